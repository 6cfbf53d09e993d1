import type { TemplateCopy } from '../templates.ts';

/** The `identity-office-account-created` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityOfficeAccountCreated: TemplateCopy = {
  nl: {
    subject: 'Een registratiekantoor heeft een account voor u aangemaakt',
    paragraphs: [
      'Op {{date}} heeft een registratiekantoor een account met gebruikersnaam en wachtwoord aangemaakt voor de persoon van uw eID Access-account. Het meldt u aan bij hetzelfde account.',
      'Elke wijziging aan uw account ziet u onder "Activiteit" nadat u zich hebt aangemeld bij eID Access.',
      'Hebt u dit niet gevraagd? Neem dan meteen contact op met de servicedesk.',
    ],
  },
  fr: {
    subject: "Un bureau d'enregistrement a créé un compte pour vous",
    paragraphs: [
      "Le {{date}}, un bureau d'enregistrement a créé un compte avec nom d'utilisateur et mot de passe pour la personne de votre compte eID Access. Il vous connecte au même compte.",
      'Vous pouvez consulter chaque modification de votre compte sous « Activité » après vous être connecté à eID Access.',
      "Si vous ne l'avez pas demandé, contactez immédiatement le service d'assistance.",
    ],
  },
  de: {
    subject: 'Eine Registrierungsstelle hat ein Konto für Sie angelegt',
    paragraphs: [
      'Am {{date}} hat eine Registrierungsstelle für die Person Ihres eID Access-Kontos ein Konto mit Benutzername und Passwort angelegt. Es meldet Sie bei demselben Konto an.',
      'Jede Änderung an Ihrem Konto sehen Sie unter „Aktivität“, nachdem Sie sich bei eID Access angemeldet haben.',
      'Wenn Sie das nicht beantragt haben, wenden Sie sich bitte sofort an den Service-Desk.',
    ],
  },
  en: {
    subject: 'A registration office created an account for you',
    paragraphs: [
      'On {{date}} a registration office created a username-and-password account for the person of your eID Access account. It signs you in to the same account.',
      'You can see every change to your account under "Activity" after signing in to eID Access.',
      'If you did not ask for this, please contact the service desk at once.',
    ],
  },
};
