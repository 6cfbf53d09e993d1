import type { TemplateCopy } from '../templates.ts';

/** The `grant-expiring` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const grantExpiring: TemplateCopy = {
  nl: {
    subject: 'Uw toegang tot {{application}} verloopt op {{validUntil}}',
    paragraphs: [
      'Uw rol {{role}} in de toepassing {{application}} namens {{organisationName}} is geldig tot {{validUntil}}.',
      'Hebt u deze toegang daarna nog nodig? Dien dan tijdig een nieuwe aanvraag in via eID Access, zodat een lokale beheerder van {{organisationName}} ze kan goedkeuren voordat uw toegang verloopt.',
    ],
  },
  fr: {
    subject: 'Votre accès à {{application}} expire le {{validUntil}}',
    paragraphs: [
      "Votre rôle {{role}} dans l'application {{application}} au nom de {{organisationName}} est valable jusqu'au {{validUntil}}.",
      "Si vous avez encore besoin de cet accès après cette date, veuillez introduire à temps une nouvelle demande dans eID Access, afin qu'un administrateur local de {{organisationName}} puisse l'approuver avant l'expiration de votre accès.",
    ],
  },
  de: {
    subject: 'Ihr Zugang zu {{application}} läuft am {{validUntil}} ab',
    paragraphs: [
      'Ihre Rolle {{role}} in der Anwendung {{application}} im Namen von {{organisationName}} gilt bis zum {{validUntil}}.',
      'Wenn Sie diesen Zugang danach weiterhin benötigen, stellen Sie bitte rechtzeitig einen neuen Antrag in eID Access, damit ein lokaler Verwalter von {{organisationName}} ihn vor Ablauf genehmigen kann.',
    ],
  },
  en: {
    subject: 'Your access to {{application}} expires on {{validUntil}}',
    paragraphs: [
      'Your role {{role}} in the application {{application}} on behalf of {{organisationName}} is valid until {{validUntil}}.',
      'If you still need this access after that date, please submit a new request in eID Access in good time, so that a local administrator of {{organisationName}} can approve it before your access expires.',
    ],
  },
};
