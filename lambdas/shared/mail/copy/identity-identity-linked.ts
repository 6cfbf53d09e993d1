import type { TemplateCopy } from '../templates.ts';

/** The `identity-identity-linked` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityIdentityLinked: TemplateCopy = {
  nl: {
    subject: 'Er werd een nieuwe aanmeldmethode toegevoegd aan uw eID Access-account',
    paragraphs: [
      'Op {{date}} werd een aanmelding met {{provider}} toegevoegd aan uw eID Access-account. Voortaan meldt die u aan bij hetzelfde account.',
      'Elke wijziging aan uw account ziet u onder "Activiteit" nadat u zich hebt aangemeld bij eID Access.',
      'Was u dit niet? Neem dan meteen contact op met de servicedesk.',
    ],
  },
  fr: {
    subject: 'Un nouveau moyen de connexion a été ajouté à votre compte eID Access',
    paragraphs: [
      'Le {{date}}, une connexion avec {{provider}} a été ajoutée à votre compte eID Access. Elle vous connecte désormais au même compte.',
      'Vous pouvez consulter chaque modification de votre compte sous « Activité » après vous être connecté à eID Access.',
      "Si ce n'était pas vous, contactez immédiatement le service d'assistance.",
    ],
  },
  de: {
    subject: 'Ihrem eID Access-Konto wurde eine neue Anmeldemöglichkeit hinzugefügt',
    paragraphs: [
      'Am {{date}} wurde Ihrem eID Access-Konto eine Anmeldung mit {{provider}} hinzugefügt. Sie meldet Sie künftig bei demselben Konto an.',
      'Jede Änderung an Ihrem Konto sehen Sie unter „Aktivität“, nachdem Sie sich bei eID Access angemeldet haben.',
      'Wenn Sie das nicht waren, wenden Sie sich bitte sofort an den Service-Desk.',
    ],
  },
  en: {
    subject: 'A new way to log in was added to your eID Access account',
    paragraphs: [
      'On {{date}} a login with {{provider}} was added to your eID Access account. From now on it signs you in to the same account.',
      'You can see every change to your account under "Activity" after signing in to eID Access.',
      'If this was not you, please contact the service desk at once.',
    ],
  },
};
