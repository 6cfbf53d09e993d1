import type { TemplateCopy } from '../templates.ts';

/** The `right-request-approved` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const rightRequestApproved: TemplateCopy = {
  nl: {
    subject: 'Toegang verleend: {{role}} in {{application}}',
    paragraphs: [
      'Uw aanvraag (referentie {{requestId}}) werd goedgekeurd: u hebt nu de rol {{role}} in de toepassing {{application}} namens {{organisationName}}.',
      'Dit recht is geldig tot {{validUntil}}. Het is actief vanaf uw volgende aanmelding.',
    ],
  },
  fr: {
    subject: 'Accès accordé : {{role}} dans {{application}}',
    paragraphs: [
      "Votre demande (référence {{requestId}}) a été approuvée : vous disposez désormais du rôle {{role}} dans l'application {{application}} au nom de {{organisationName}}.",
      "Ce droit est valable jusqu'au {{validUntil}}. Il prendra effet lors de votre prochaine connexion.",
    ],
  },
  de: {
    subject: 'Zugang gewährt: {{role}} in {{application}}',
    paragraphs: [
      'Ihr Antrag (Referenz {{requestId}}) wurde genehmigt: Sie haben jetzt die Rolle {{role}} in der Anwendung {{application}} im Namen von {{organisationName}}.',
      'Dieses Recht gilt bis zum {{validUntil}}. Es wird bei Ihrer nächsten Anmeldung wirksam.',
    ],
  },
  en: {
    subject: 'Access granted: {{role}} in {{application}}',
    paragraphs: [
      'Your request (reference {{requestId}}) has been approved: you now have the role {{role}} in the application {{application}} on behalf of {{organisationName}}.',
      'This right is valid until {{validUntil}}. It takes effect the next time you sign in.',
    ],
  },
};
