import type { FrameCopy } from '../templates.ts';

/** What every mail says around its own paragraphs, per locale: greeting, sign-off and footer. */
export const frame: FrameCopy = {
  nl: {
    greeting: 'Goedendag,',
    signOff: 'Met vriendelijke groeten,\nHet team van eID Access',
    footer: 'Dit bericht werd automatisch verstuurd door eID Access. Antwoord niet op deze e-mail.',
  },
  fr: {
    greeting: 'Bonjour,',
    signOff: "Cordialement,\nL'équipe eID Access",
    footer: 'Ce message a été envoyé automatiquement par eID Access. Merci de ne pas répondre à cet e-mail.',
  },
  de: {
    greeting: 'Guten Tag,',
    signOff: 'Mit freundlichen Grüßen\nIhr Team von eID Access',
    footer:
      'Diese Nachricht wurde automatisch von eID Access versendet. Bitte antworten Sie nicht auf diese E-Mail.',
  },
  en: {
    greeting: 'Hello,',
    signOff: 'Kind regards,\nThe eID Access team',
    footer: 'This message was sent automatically by eID Access. Please do not reply to this e-mail.',
  },
};
