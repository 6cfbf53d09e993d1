import type { TemplateCopy } from '../templates.ts';

/** The `bis-rejected` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const bisRejected: TemplateCopy = {
  nl: {
    subject: 'Uw aanvraag van een BIS-nummer werd geweigerd',
    paragraphs: [
      'Helaas moeten we u meedelen dat uw aanvraag van een BIS-nummer (referentie {{registrationId}}) werd geweigerd.',
      'Reden: {{reason}}',
      'Denkt u dat deze beslissing niet klopt, of verandert uw situatie, dan kunt u in eID Access een nieuwe aanvraag indienen.',
    ],
  },
  fr: {
    subject: 'Votre demande de numéro BIS a été refusée',
    paragraphs: [
      'Nous avons le regret de vous informer que votre demande de numéro BIS (référence {{registrationId}}) a été refusée.',
      'Motif : {{reason}}',
      'Si vous estimez que cette décision est erronée, ou si votre situation change, vous pouvez introduire une nouvelle demande dans eID Access.',
    ],
  },
  de: {
    subject: 'Ihr Antrag auf eine BIS-Nummer wurde abgelehnt',
    paragraphs: [
      'Leider müssen wir Ihnen mitteilen, dass Ihr Antrag auf eine BIS-Nummer (Referenz {{registrationId}}) abgelehnt wurde.',
      'Begründung: {{reason}}',
      'Wenn Sie diese Entscheidung für unzutreffend halten oder sich Ihre Situation ändert, können Sie in eID Access einen neuen Antrag stellen.',
    ],
  },
  en: {
    subject: 'Your BIS number request has been refused',
    paragraphs: [
      'We regret to inform you that your request for a BIS number (reference {{registrationId}}) has been refused.',
      'Reason: {{reason}}',
      'If you believe this decision is wrong, or if your situation changes, you can submit a new request in eID Access.',
    ],
  },
};
