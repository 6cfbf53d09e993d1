import type { TemplateCopy } from '../templates.ts';

/** The `foreign-registration-failed` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const foreignRegistrationFailed: TemplateCopy = {
  nl: {
    subject: 'Registratie van {{organisationName}} kon niet worden verwerkt',
    paragraphs: [
      'Uw registratie van {{organisationName}} (referentie {{registrationId}}) werd afgesloten omdat ze door een technische fout bij ons niet kon worden verwerkt.',
      'De organisatie werd niet geregistreerd. U kunt in eID Access een nieuwe registratie indienen; vermeld de referentie als u contact met ons opneemt. Onze excuses voor het ongemak.',
    ],
  },
  fr: {
    subject: "L'enregistrement de {{organisationName}} n'a pas pu être traité",
    paragraphs: [
      'Votre enregistrement de {{organisationName}} (référence {{registrationId}}) a été clôturé, car une erreur technique de notre côté a empêché son traitement.',
      "L'organisation n'a pas été enregistrée. Vous pouvez introduire un nouvel enregistrement dans eID Access ; mentionnez la référence si vous nous contactez. Nous vous prions de nous excuser pour la gêne occasionnée.",
    ],
  },
  de: {
    subject: 'Die Registrierung von {{organisationName}} konnte nicht bearbeitet werden',
    paragraphs: [
      'Ihre Registrierung von {{organisationName}} (Referenz {{registrationId}}) wurde geschlossen, da sie wegen eines technischen Fehlers auf unserer Seite nicht bearbeitet werden konnte.',
      'Die Organisation wurde nicht registriert. Sie können in eID Access eine neue Registrierung einreichen; nennen Sie die Referenz, wenn Sie uns kontaktieren. Wir bitten um Ihr Verständnis.',
    ],
  },
  en: {
    subject: 'The registration of {{organisationName}} could not be processed',
    paragraphs: [
      'Your registration of {{organisationName}} (reference {{registrationId}}) has been closed because a technical error on our side prevented us from processing it.',
      'The organisation has not been registered. You can submit a new registration in eID Access; please quote the reference if you contact us. We apologise for the inconvenience.',
    ],
  },
};
