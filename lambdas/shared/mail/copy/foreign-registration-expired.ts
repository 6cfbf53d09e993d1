import type { TemplateCopy } from '../templates.ts';

/** The `foreign-registration-expired` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const foreignRegistrationExpired: TemplateCopy = {
  nl: {
    subject: 'Registratie van {{organisationName}} afgesloten',
    paragraphs: [
      'Uw registratie van {{organisationName}} (referentie {{registrationId}}) werd afgesloten omdat ze niet tijdig kon worden afgerond.',
      'De organisatie werd niet geregistreerd. Hebt u de registratie nog altijd nodig, dan kunt u in eID Access een nieuwe indienen. Onze excuses voor het ongemak.',
    ],
  },
  fr: {
    subject: 'Enregistrement de {{organisationName}} clôturé',
    paragraphs: [
      "Votre enregistrement de {{organisationName}} (référence {{registrationId}}) a été clôturé, car il n'a pas pu être finalisé dans les délais.",
      "L'organisation n'a pas été enregistrée. Si vous en avez toujours besoin, vous pouvez introduire un nouvel enregistrement dans eID Access. Nous vous prions de nous excuser pour la gêne occasionnée.",
    ],
  },
  de: {
    subject: 'Registrierung von {{organisationName}} geschlossen',
    paragraphs: [
      'Ihre Registrierung von {{organisationName}} (Referenz {{registrationId}}) wurde geschlossen, da sie nicht rechtzeitig abgeschlossen werden konnte.',
      'Die Organisation wurde nicht registriert. Wenn Sie die Registrierung weiterhin benötigen, können Sie in eID Access eine neue einreichen. Wir bitten um Ihr Verständnis.',
    ],
  },
  en: {
    subject: 'Registration of {{organisationName}} closed',
    paragraphs: [
      'Your registration of {{organisationName}} (reference {{registrationId}}) has been closed because it could not be completed in time.',
      'The organisation has not been registered. If you still need it, you can submit a new registration in eID Access. We apologise for the inconvenience.',
    ],
  },
};
