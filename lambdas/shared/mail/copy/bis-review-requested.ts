import type { TemplateCopy } from '../templates.ts';

/** The `bis-review-requested` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const bisReviewRequested: TemplateCopy = {
  nl: {
    subject: 'Nieuwe aanvraag van een BIS-nummer te beoordelen ({{registrationId}})',
    paragraphs: [
      'Een nieuwe aanvraag van een BIS-nummer wacht op uw beoordeling in eID Access.',
      'Referentie van de aanvraag: {{registrationId}}',
      'Meld u aan bij eID Access als BIS-agent om de aanvraag te behandelen. Om de privacy te beschermen, bevat dit bericht geen persoonsgegevens.',
    ],
  },
  fr: {
    subject: 'Nouvelle demande de numéro BIS à examiner ({{registrationId}})',
    paragraphs: [
      'Une nouvelle demande de numéro BIS attend votre examen dans eID Access.',
      'Référence de la demande : {{registrationId}}',
      "Veuillez vous connecter à eID Access en tant qu'agent BIS pour traiter la demande. Pour protéger la vie privée, ce message ne contient aucune donnée à caractère personnel.",
    ],
  },
  de: {
    subject: 'Neuer Antrag auf eine BIS-Nummer zur Prüfung ({{registrationId}})',
    paragraphs: [
      'Ein neuer Antrag auf eine BIS-Nummer wartet in eID Access auf Ihre Prüfung.',
      'Referenz des Antrags: {{registrationId}}',
      'Bitte melden Sie sich als BIS-Sachbearbeiter bei eID Access an, um den Antrag zu bearbeiten. Aus Datenschutzgründen enthält diese Nachricht keine personenbezogenen Daten.',
    ],
  },
  en: {
    subject: 'New BIS number request to review ({{registrationId}})',
    paragraphs: [
      'A new BIS number request is waiting for your review in eID Access.',
      'Request reference: {{registrationId}}',
      'Please sign in to eID Access as a BIS agent to review the request. For privacy reasons, this message contains no personal data.',
    ],
  },
};
