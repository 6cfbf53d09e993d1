import type { TemplateCopy } from '../templates.ts';

/** The `right-request-denied` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const rightRequestDenied: TemplateCopy = {
  nl: {
    subject: 'Toegangsaanvraag geweigerd: {{role}} in {{application}}',
    paragraphs: [
      'Uw aanvraag (referentie {{requestId}}) van de rol {{role}} in de toepassing {{application}} namens {{organisationName}} werd geweigerd door een lokale beheerder.',
      'Reden: {{reason}}',
      'Hebt u vragen over deze beslissing? Neem dan contact op met de lokale beheerders van {{organisationName}}.',
    ],
  },
  fr: {
    subject: "Demande d'accès refusée : {{role}} dans {{application}}",
    paragraphs: [
      "Votre demande (référence {{requestId}}) du rôle {{role}} dans l'application {{application}} au nom de {{organisationName}} a été refusée par un administrateur local.",
      'Motif : {{reason}}',
      'Pour toute question sur cette décision, veuillez contacter les administrateurs locaux de {{organisationName}}.',
    ],
  },
  de: {
    subject: 'Zugangsantrag abgelehnt: {{role}} in {{application}}',
    paragraphs: [
      'Ihr Antrag (Referenz {{requestId}}) auf die Rolle {{role}} in der Anwendung {{application}} im Namen von {{organisationName}} wurde von einem lokalen Verwalter abgelehnt.',
      'Begründung: {{reason}}',
      'Bei Fragen zu dieser Entscheidung wenden Sie sich bitte an die lokalen Verwalter von {{organisationName}}.',
    ],
  },
  en: {
    subject: 'Access request denied: {{role}} in {{application}}',
    paragraphs: [
      'Your request (reference {{requestId}}) for the role {{role}} in the application {{application}} on behalf of {{organisationName}} has been denied by a local administrator.',
      'Reason: {{reason}}',
      'If you have questions about this decision, please contact the local administrators of {{organisationName}}.',
    ],
  },
};
