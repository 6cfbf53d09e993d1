import type { TemplateCopy } from '../templates.ts';

/** The `right-request-review-requested` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const rightRequestReviewRequested: TemplateCopy = {
  nl: {
    subject: 'Toegangsaanvraag te beoordelen voor {{organisationName}}',
    paragraphs: [
      'Iemand heeft namens {{organisationName}} de rol {{role}} aangevraagd in de toepassing {{application}}.',
      'Referentie van de aanvraag: {{requestId}}',
      'Meld u als lokale beheerder aan bij eID Access om de aanvraag goed te keuren of te weigeren. Om de privacy te beschermen, vermeldt dit bericht niet wie de aanvraag heeft gedaan.',
    ],
  },
  fr: {
    subject: "Demande d'accès à examiner pour {{organisationName}}",
    paragraphs: [
      "Une personne a demandé, au nom de {{organisationName}}, le rôle {{role}} dans l'application {{application}}.",
      'Référence de la demande : {{requestId}}',
      "En tant qu'administrateur local, veuillez vous connecter à eID Access pour approuver ou refuser la demande. Pour protéger la vie privée, ce message n'indique pas qui a introduit la demande.",
    ],
  },
  de: {
    subject: 'Zugangsantrag zur Prüfung für {{organisationName}}',
    paragraphs: [
      'Eine Person hat im Namen von {{organisationName}} die Rolle {{role}} in der Anwendung {{application}} beantragt.',
      'Referenz des Antrags: {{requestId}}',
      'Bitte melden Sie sich als lokaler Verwalter bei eID Access an, um den Antrag zu genehmigen oder abzulehnen. Aus Datenschutzgründen nennt diese Nachricht nicht, wer den Antrag gestellt hat.',
    ],
  },
  en: {
    subject: 'Access request to review for {{organisationName}}',
    paragraphs: [
      'Someone has requested the role {{role}} in the application {{application}} on behalf of {{organisationName}}.',
      'Request reference: {{requestId}}',
      'As local administrator, please sign in to eID Access to approve or deny the request. For privacy reasons, this message does not say who made the request.',
    ],
  },
};
