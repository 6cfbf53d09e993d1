import type { TemplateCopy } from '../templates.ts';

/** The `identity-identities-joined` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityIdentitiesJoined: TemplateCopy = {
  nl: {
    subject: 'Twee van uw aanmeldmethodes voor eID Access werden verbonden',
    paragraphs: [
      'Op {{date}} hebt u twee manieren om u aan te melden bij eID Access verbonden: voortaan melden beide u aan bij hetzelfde account (referentie {{reference}}).',
      'Elke wijziging aan uw account ziet u onder "Activiteit" nadat u zich hebt aangemeld bij eID Access.',
      'Was u dit niet? Neem dan meteen contact op met de servicedesk en vermeld de referentie.',
    ],
  },
  fr: {
    subject: 'Deux de vos moyens de connexion à eID Access ont été reliés',
    paragraphs: [
      'Le {{date}}, vous avez relié deux moyens de connexion à eID Access : désormais, les deux vous connectent au même compte (référence {{reference}}).',
      'Vous pouvez consulter chaque modification de votre compte sous « Activité » après vous être connecté à eID Access.',
      "Si ce n'était pas vous, contactez immédiatement le service d'assistance en mentionnant la référence.",
    ],
  },
  de: {
    subject: 'Zwei Ihrer Anmeldungen bei eID Access wurden verbunden',
    paragraphs: [
      'Am {{date}} haben Sie zwei Anmeldemöglichkeiten bei eID Access verbunden: Künftig melden beide Sie bei demselben Konto an (Referenz {{reference}}).',
      'Jede Änderung an Ihrem Konto sehen Sie unter „Aktivität“, nachdem Sie sich bei eID Access angemeldet haben.',
      'Wenn Sie das nicht waren, wenden Sie sich bitte sofort an den Service-Desk und nennen Sie die Referenz.',
    ],
  },
  en: {
    subject: 'Two of your eID Access logins were connected',
    paragraphs: [
      'On {{date}} you connected two ways of logging in to eID Access: from now on both sign you in to the same account (reference {{reference}}).',
      'You can see every change to your account under "Activity" after signing in to eID Access.',
      'If this was not you, please contact the service desk at once and quote the reference.',
    ],
  },
};
