import type { TemplateCopy } from '../templates.ts';

/** The `identity-insz-linked` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityInszLinked: TemplateCopy = {
  nl: {
    subject: 'Er werd een rijksregisternummer gekoppeld aan uw eID Access-account',
    paragraphs: [
      'Op {{date}} werd een Belgisch rijksregisternummer gekoppeld aan uw eID Access-account, na een aanmelding met {{provider}}.',
      'Elke wijziging aan uw account ziet u onder "Activiteit" nadat u zich hebt aangemeld bij eID Access.',
      'Was u dit niet? Neem dan meteen contact op met de servicedesk.',
    ],
  },
  fr: {
    subject: 'Un numéro de registre national a été lié à votre compte eID Access',
    paragraphs: [
      'Le {{date}}, un numéro de registre national belge a été lié à votre compte eID Access, après une connexion avec {{provider}}.',
      'Vous pouvez consulter chaque modification de votre compte sous « Activité » après vous être connecté à eID Access.',
      "Si ce n'était pas vous, contactez immédiatement le service d'assistance.",
    ],
  },
  de: {
    subject: 'Eine Nationalregisternummer wurde mit Ihrem eID Access-Konto verknüpft',
    paragraphs: [
      'Am {{date}} wurde eine belgische Nationalregisternummer mit Ihrem eID Access-Konto verknüpft, nach einer Anmeldung mit {{provider}}.',
      'Jede Änderung an Ihrem Konto sehen Sie unter „Aktivität“, nachdem Sie sich bei eID Access angemeldet haben.',
      'Wenn Sie das nicht waren, wenden Sie sich bitte sofort an den Service-Desk.',
    ],
  },
  en: {
    subject: 'A national number was linked to your eID Access account',
    paragraphs: [
      'On {{date}} a Belgian national number was linked to your eID Access account, after a login with {{provider}}.',
      'You can see every change to your account under "Activity" after signing in to eID Access.',
      'If this was not you, please contact the service desk at once.',
    ],
  },
};
