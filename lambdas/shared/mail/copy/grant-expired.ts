import type { TemplateCopy } from '../templates.ts';

/** The `grant-expired` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const grantExpired: TemplateCopy = {
  nl: {
    subject: 'Uw toegang tot {{application}} is beëindigd',
    paragraphs: [
      'Uw rol {{role}} in de toepassing {{application}} namens {{organisationName}} was geldig tot {{validUntil}} en is nu verwijderd.',
      'Hebt u deze toegang opnieuw nodig? Dien dan een nieuwe aanvraag in via eID Access; een lokale beheerder van {{organisationName}} beslist erover.',
    ],
  },
  fr: {
    subject: 'Votre accès à {{application}} a pris fin',
    paragraphs: [
      "Votre rôle {{role}} dans l'application {{application}} au nom de {{organisationName}} était valable jusqu'au {{validUntil}} et a maintenant été retiré.",
      'Si vous avez à nouveau besoin de cet accès, veuillez introduire une nouvelle demande dans eID Access ; un administrateur local de {{organisationName}} en décidera.',
    ],
  },
  de: {
    subject: 'Ihr Zugang zu {{application}} ist beendet',
    paragraphs: [
      'Ihre Rolle {{role}} in der Anwendung {{application}} im Namen von {{organisationName}} galt bis zum {{validUntil}} und wurde nun entfernt.',
      'Wenn Sie diesen Zugang wieder benötigen, stellen Sie bitte einen neuen Antrag in eID Access; ein lokaler Verwalter von {{organisationName}} entscheidet darüber.',
    ],
  },
  en: {
    subject: 'Your access to {{application}} has ended',
    paragraphs: [
      'Your role {{role}} in the application {{application}} on behalf of {{organisationName}} was valid until {{validUntil}} and has now been removed.',
      'If you need this access again, please submit a new request in eID Access; a local administrator of {{organisationName}} decides on it.',
    ],
  },
};
