import type { TemplateCopy } from '../templates.ts';

/** The `bis-approved` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const bisApproved: TemplateCopy = {
  nl: {
    subject: 'Uw BIS-nummer werd toegekend',
    paragraphs: [
      'Goed nieuws: uw aanvraag van een BIS-nummer (referentie {{registrationId}}) werd goedgekeurd.',
      'Uw BIS-nummer is: {{bisNumber}}',
      'Bewaar dit nummer zorgvuldig: de Belgische sociale zekerheid en overheidsdiensten gebruiken het om u te identificeren. Uw BIS-nummer is nu gekoppeld aan uw account bij eID Access en is actief vanaf uw volgende aanmelding.',
    ],
  },
  fr: {
    subject: 'Votre numéro BIS a été attribué',
    paragraphs: [
      'Bonne nouvelle : votre demande de numéro BIS (référence {{registrationId}}) a été approuvée.',
      'Votre numéro BIS est : {{bisNumber}}',
      "Conservez ce numéro précieusement : la sécurité sociale et les services publics belges l'utilisent pour vous identifier. Votre numéro BIS est désormais lié à votre compte eID Access et sera pris en compte lors de votre prochaine connexion.",
    ],
  },
  de: {
    subject: 'Ihre BIS-Nummer wurde vergeben',
    paragraphs: [
      'Gute Nachricht: Ihr Antrag auf eine BIS-Nummer (Referenz {{registrationId}}) wurde genehmigt.',
      'Ihre BIS-Nummer lautet: {{bisNumber}}',
      'Bitte bewahren Sie diese Nummer sorgfältig auf: Die belgische soziale Sicherheit und die Behörden identifizieren Sie damit. Ihre BIS-Nummer ist jetzt mit Ihrem Konto bei eID Access verknüpft und wird bei Ihrer nächsten Anmeldung wirksam.',
    ],
  },
  en: {
    subject: 'Your BIS number has been issued',
    paragraphs: [
      'Good news: your request for a BIS number (reference {{registrationId}}) has been approved.',
      'Your BIS number is: {{bisNumber}}',
      'Please keep this number safe: Belgian social security and public services use it to identify you. Your BIS number is now linked to your eID Access account and takes effect the next time you sign in.',
    ],
  },
};
