import type { TemplateCopy } from '../templates.ts';

/** The `bis-submitted` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const bisSubmitted: TemplateCopy = {
  nl: {
    subject: 'We hebben uw aanvraag van een BIS-nummer ontvangen',
    paragraphs: [
      'Bedankt. We hebben uw aanvraag van een BIS-nummer in eID Access goed ontvangen.',
      'Uw referentie: {{registrationId}}',
      'Een BIS-agent behandelt uw aanvraag. We sturen u een e-mail zodra er een beslissing is of als we meer informatie nodig hebben. U kunt uw aanvraag altijd opvolgen door u aan te melden bij eID Access.',
    ],
  },
  fr: {
    subject: 'Nous avons bien reçu votre demande de numéro BIS',
    paragraphs: [
      'Merci. Nous avons bien reçu votre demande de numéro BIS dans eID Access.',
      'Votre référence : {{registrationId}}',
      "Un agent BIS va examiner votre demande. Nous vous enverrons un e-mail dès qu'une décision aura été prise ou si nous avons besoin d'informations complémentaires. Vous pouvez suivre votre demande à tout moment en vous connectant à eID Access.",
    ],
  },
  de: {
    subject: 'Wir haben Ihren Antrag auf eine BIS-Nummer erhalten',
    paragraphs: [
      'Vielen Dank. Wir haben Ihren Antrag auf eine BIS-Nummer in eID Access erhalten.',
      'Ihre Referenz: {{registrationId}}',
      'Ein BIS-Sachbearbeiter prüft Ihren Antrag. Wir benachrichtigen Sie per E-Mail, sobald eine Entscheidung vorliegt oder wir weitere Angaben benötigen. Den Stand Ihres Antrags können Sie jederzeit einsehen, indem Sie sich bei eID Access anmelden.',
    ],
  },
  en: {
    subject: 'We have received your BIS number request',
    paragraphs: [
      'Thank you. We have received your request for a BIS number in eID Access.',
      'Your reference: {{registrationId}}',
      'A BIS agent will review your request. We will e-mail you as soon as a decision has been made or if we need more information. You can follow your request at any time by signing in to eID Access.',
    ],
  },
};
