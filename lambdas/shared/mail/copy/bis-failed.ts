import type { TemplateCopy } from '../templates.ts';

/** The `bis-failed` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const bisFailed: TemplateCopy = {
  nl: {
    subject: 'Uw aanvraag van een BIS-nummer kon niet worden verwerkt',
    paragraphs: [
      'Uw aanvraag van een BIS-nummer (referentie {{registrationId}}) werd afgesloten omdat ze door een technische fout bij ons niet kon worden verwerkt.',
      'Er werd geen BIS-nummer toegekend. U kunt in eID Access een nieuwe aanvraag indienen; vermeld de referentie als u contact met ons opneemt. Onze excuses voor het ongemak.',
    ],
  },
  fr: {
    subject: "Votre demande de numéro BIS n'a pas pu être traitée",
    paragraphs: [
      'Votre demande de numéro BIS (référence {{registrationId}}) a été clôturée, car une erreur technique de notre côté a empêché son traitement.',
      "Aucun numéro BIS n'a été attribué. Vous pouvez introduire une nouvelle demande dans eID Access ; mentionnez la référence si vous nous contactez. Nous vous prions de nous excuser pour la gêne occasionnée.",
    ],
  },
  de: {
    subject: 'Ihr Antrag auf eine BIS-Nummer konnte nicht bearbeitet werden',
    paragraphs: [
      'Ihr Antrag auf eine BIS-Nummer (Referenz {{registrationId}}) wurde geschlossen, da er wegen eines technischen Fehlers auf unserer Seite nicht bearbeitet werden konnte.',
      'Es wurde keine BIS-Nummer vergeben. Sie können in eID Access einen neuen Antrag stellen; nennen Sie die Referenz, wenn Sie uns kontaktieren. Wir bitten um Ihr Verständnis.',
    ],
  },
  en: {
    subject: 'Your BIS number request could not be processed',
    paragraphs: [
      'Your request for a BIS number (reference {{registrationId}}) has been closed because a technical error on our side prevented us from processing it.',
      'No BIS number has been issued. You can submit a new request in eID Access; please quote the reference if you contact us. We apologise for the inconvenience.',
    ],
  },
};
