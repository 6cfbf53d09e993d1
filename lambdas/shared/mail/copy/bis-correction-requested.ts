import type { TemplateCopy } from '../templates.ts';

/** The `bis-correction-requested` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const bisCorrectionRequested: TemplateCopy = {
  nl: {
    subject: 'Uw aanvraag van een BIS-nummer moet worden verbeterd',
    paragraphs: [
      'Een BIS-agent heeft uw aanvraag van een BIS-nummer (referentie {{registrationId}}) bekeken en vraagt u om ze te verbeteren of aan te vullen.',
      'Wat moet worden aangepast: {{reason}}',
      'Meld u aan bij eID Access, open uw aanvraag en bezorg ons de verbeterde gegevens. Als we binnen 30 dagen geen verbetering ontvangen, wordt uw aanvraag afgesloten.',
    ],
  },
  fr: {
    subject: 'Votre demande de numéro BIS doit être corrigée',
    paragraphs: [
      'Un agent BIS a examiné votre demande de numéro BIS (référence {{registrationId}}) et vous demande de la corriger ou de la compléter.',
      'Ce qui doit être modifié : {{reason}}',
      'Veuillez vous connecter à eID Access, ouvrir votre demande et nous envoyer les informations corrigées. Sans correction de votre part dans les 30 jours, votre demande sera clôturée.',
    ],
  },
  de: {
    subject: 'Ihr Antrag auf eine BIS-Nummer muss berichtigt werden',
    paragraphs: [
      'Ein BIS-Sachbearbeiter hat Ihren Antrag auf eine BIS-Nummer (Referenz {{registrationId}}) geprüft und bittet Sie, ihn zu berichtigen oder zu ergänzen.',
      'Was geändert werden muss: {{reason}}',
      'Bitte melden Sie sich bei eID Access an, öffnen Sie Ihren Antrag und senden Sie uns die berichtigten Angaben. Wenn innerhalb von 30 Tagen keine Berichtigung eingeht, wird Ihr Antrag geschlossen.',
    ],
  },
  en: {
    subject: 'Your BIS number request needs a correction',
    paragraphs: [
      'A BIS agent has reviewed your request for a BIS number (reference {{registrationId}}) and asks you to correct or complete it.',
      'What needs to change: {{reason}}',
      'Please sign in to eID Access, open your request and send us the corrected information. If we receive no correction within 30 days, your request will be closed.',
    ],
  },
};
