import type { TemplateCopy } from '../templates.ts';

/** The `identity-suspension-resolved` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identitySuspensionResolved: TemplateCopy = {
  nl: {
    subject: 'De servicedesk heeft beslist over het dossier van uw eID Access-account',
    paragraphs: [
      'Op {{date}} heeft een beveiligingsmedewerker beslist over het dossier {{reference}} van uw eID Access-account.',
      'Meld u aan bij eID Access om de beslissing te zien onder "Activiteit".',
      'Hebt u vragen? Neem dan contact op met de servicedesk en vermeld de referentie.',
    ],
  },
  fr: {
    subject: "Le service d'assistance a statué sur le dossier de votre compte eID Access",
    paragraphs: [
      'Le {{date}}, un agent de sécurité a statué sur le dossier {{reference}} de votre compte eID Access.',
      'Connectez-vous à eID Access pour voir la décision sous « Activité ».',
      "Pour toute question, contactez le service d'assistance en mentionnant la référence.",
    ],
  },
  de: {
    subject: 'Der Service-Desk hat über den Fall Ihres eID Access-Kontos entschieden',
    paragraphs: [
      'Am {{date}} hat ein Sicherheitsbeauftragter über den Fall {{reference}} Ihres eID Access-Kontos entschieden.',
      'Melden Sie sich bei eID Access an, um die Entscheidung unter „Aktivität“ zu sehen.',
      'Bei Fragen wenden Sie sich bitte an den Service-Desk und nennen Sie die Referenz.',
    ],
  },
  en: {
    subject: 'The service desk has decided on the case of your eID Access account',
    paragraphs: [
      'On {{date}} a security officer decided on the case {{reference}} of your eID Access account.',
      'Sign in to eID Access to see the decision under "Activity".',
      'If you have questions, please contact the service desk and quote the reference.',
    ],
  },
};
