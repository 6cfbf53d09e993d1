import type { TemplateCopy } from '../templates.ts';

/** The `right-request-failed` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const rightRequestFailed: TemplateCopy = {
  nl: {
    subject: 'Toegangsaanvraag niet verwerkt: {{role}} in {{application}}',
    paragraphs: [
      'Uw aanvraag (referentie {{requestId}}) van de rol {{role}} in de toepassing {{application}} namens {{organisationName}} werd afgesloten omdat ze door een technische fout bij ons niet kon worden verwerkt.',
      'U kreeg de rol niet. U kunt in eID Access een nieuwe aanvraag indienen; vermeld de referentie als u contact met ons opneemt.',
    ],
  },
  fr: {
    subject: "Demande d'accès non traitée : {{role}} dans {{application}}",
    paragraphs: [
      "Votre demande (référence {{requestId}}) du rôle {{role}} dans l'application {{application}} au nom de {{organisationName}} a été clôturée, car une erreur technique de notre côté a empêché son traitement.",
      'Le rôle ne vous a pas été attribué. Vous pouvez introduire une nouvelle demande dans eID Access ; mentionnez la référence si vous nous contactez.',
    ],
  },
  de: {
    subject: 'Zugangsantrag nicht bearbeitet: {{role}} in {{application}}',
    paragraphs: [
      'Ihr Antrag (Referenz {{requestId}}) auf die Rolle {{role}} in der Anwendung {{application}} im Namen von {{organisationName}} wurde geschlossen, da er wegen eines technischen Fehlers auf unserer Seite nicht bearbeitet werden konnte.',
      'Die Rolle wurde Ihnen nicht zugewiesen. Sie können in eID Access einen neuen Antrag stellen; nennen Sie die Referenz, wenn Sie uns kontaktieren.',
    ],
  },
  en: {
    subject: 'Access request not processed: {{role}} in {{application}}',
    paragraphs: [
      'Your request (reference {{requestId}}) for the role {{role}} in the application {{application}} on behalf of {{organisationName}} has been closed because a technical error on our side prevented us from processing it.',
      'The role has not been granted. You can submit a new request in eID Access; please quote the reference if you contact us.',
    ],
  },
};
