import type { TemplateCopy } from '../templates.ts';

/** The `bis-expired` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const bisExpired: TemplateCopy = {
  nl: {
    subject: 'Uw aanvraag van een BIS-nummer werd afgesloten',
    paragraphs: [
      'Uw aanvraag van een BIS-nummer (referentie {{registrationId}}) werd afgesloten omdat ze niet binnen 30 dagen kon worden afgerond.',
      'Er werd geen BIS-nummer toegekend. Hebt u er nog altijd een nodig, dan kunt u in eID Access een nieuwe aanvraag indienen. Onze excuses voor het ongemak.',
    ],
  },
  fr: {
    subject: 'Votre demande de numéro BIS a été clôturée',
    paragraphs: [
      "Votre demande de numéro BIS (référence {{registrationId}}) a été clôturée, car elle n'a pas pu être finalisée dans un délai de 30 jours.",
      "Aucun numéro BIS n'a été attribué. Si vous en avez toujours besoin, vous pouvez introduire une nouvelle demande dans eID Access. Nous vous prions de nous excuser pour la gêne occasionnée.",
    ],
  },
  de: {
    subject: 'Ihr Antrag auf eine BIS-Nummer wurde geschlossen',
    paragraphs: [
      'Ihr Antrag auf eine BIS-Nummer (Referenz {{registrationId}}) wurde geschlossen, da er nicht innerhalb von 30 Tagen abgeschlossen werden konnte.',
      'Es wurde keine BIS-Nummer vergeben. Wenn Sie weiterhin eine benötigen, können Sie in eID Access einen neuen Antrag stellen. Wir bitten um Ihr Verständnis.',
    ],
  },
  en: {
    subject: 'Your BIS number request has been closed',
    paragraphs: [
      'Your request for a BIS number (reference {{registrationId}}) has been closed because it could not be completed within 30 days.',
      'No BIS number has been issued. If you still need one, you can submit a new request in eID Access. We apologise for the inconvenience.',
    ],
  },
};
