import type { TemplateCopy } from '../templates.ts';

/** The `foreign-registration-review-requested` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const foreignRegistrationReviewRequested: TemplateCopy = {
  nl: {
    subject: 'Nieuwe registratie van een buitenlandse organisatie te beoordelen ({{registrationId}})',
    paragraphs: [
      'Een nieuwe registratie van een buitenlandse organisatie, met een uittreksel uit het handelsregister, wacht op uw beoordeling in eID Access.',
      'Referentie van de registratie: {{registrationId}}',
      'Meld u aan bij eID Access als veiligheidsconsulent om het uittreksel te controleren en een beslissing te nemen. Om de privacy te beschermen, bevat dit bericht geen persoonsgegevens.',
    ],
  },
  fr: {
    subject: "Nouvel enregistrement d'une organisation étrangère à examiner ({{registrationId}})",
    paragraphs: [
      "Un nouvel enregistrement d'une organisation étrangère, accompagné d'un extrait du registre de commerce, attend votre examen dans eID Access.",
      "Référence de l'enregistrement : {{registrationId}}",
      "Veuillez vous connecter à eID Access en tant que conseiller en sécurité pour vérifier l'extrait et prendre une décision. Pour protéger la vie privée, ce message ne contient aucune donnée à caractère personnel.",
    ],
  },
  de: {
    subject: 'Neue Registrierung einer ausländischen Organisation zur Prüfung ({{registrationId}})',
    paragraphs: [
      'Eine neue Registrierung einer ausländischen Organisation mit Handelsregisterauszug wartet in eID Access auf Ihre Prüfung.',
      'Referenz der Registrierung: {{registrationId}}',
      'Bitte melden Sie sich als Sicherheitsberater bei eID Access an, um den Auszug zu prüfen und zu entscheiden. Aus Datenschutzgründen enthält diese Nachricht keine personenbezogenen Daten.',
    ],
  },
  en: {
    subject: 'New foreign organisation registration to review ({{registrationId}})',
    paragraphs: [
      'A new registration of a foreign organisation, with its trade-register extract, is waiting for your review in eID Access.',
      'Registration reference: {{registrationId}}',
      'Please sign in to eID Access as a security officer to check the extract and decide. For privacy reasons, this message contains no personal data.',
    ],
  },
};
