import type { TemplateCopy } from '../templates.ts';

/** The `right-request-expired` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const rightRequestExpired: TemplateCopy = {
  nl: {
    subject: 'Toegangsaanvraag afgesloten: {{role}} in {{application}}',
    paragraphs: [
      'Uw aanvraag (referentie {{requestId}}) van de rol {{role}} in de toepassing {{application}} namens {{organisationName}} werd afgesloten omdat er niet tijdig een beslissing werd genomen.',
      'U kunt in eID Access een nieuwe aanvraag indienen of contact opnemen met de lokale beheerders van {{organisationName}}.',
    ],
  },
  fr: {
    subject: "Demande d'accès clôturée : {{role}} dans {{application}}",
    paragraphs: [
      "Votre demande (référence {{requestId}}) du rôle {{role}} dans l'application {{application}} au nom de {{organisationName}} a été clôturée, car aucune décision n'a été prise dans les délais.",
      'Vous pouvez introduire une nouvelle demande dans eID Access ou contacter les administrateurs locaux de {{organisationName}}.',
    ],
  },
  de: {
    subject: 'Zugangsantrag geschlossen: {{role}} in {{application}}',
    paragraphs: [
      'Ihr Antrag (Referenz {{requestId}}) auf die Rolle {{role}} in der Anwendung {{application}} im Namen von {{organisationName}} wurde geschlossen, da nicht rechtzeitig darüber entschieden wurde.',
      'Sie können in eID Access einen neuen Antrag stellen oder sich an die lokalen Verwalter von {{organisationName}} wenden.',
    ],
  },
  en: {
    subject: 'Access request closed: {{role}} in {{application}}',
    paragraphs: [
      'Your request (reference {{requestId}}) for the role {{role}} in the application {{application}} on behalf of {{organisationName}} has been closed because no decision was made in time.',
      'You can submit a new request in eID Access, or contact the local administrators of {{organisationName}}.',
    ],
  },
};
