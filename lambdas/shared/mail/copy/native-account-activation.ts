import type { TemplateCopy } from '../templates.ts';

/** The `native-account-activation` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const nativeAccountActivation: TemplateCopy = {
  nl: {
    subject: 'Uw account bij eID Access is klaar',
    paragraphs: [
      'Een registratiekantoor heeft een account bij eID Access voor u aangemaakt.',
      'Gebruikersnaam: {{username}}\nTijdelijk wachtwoord: {{temporaryPassword}}',
      'Het tijdelijke wachtwoord is {{validityDays}} dagen geldig. Bij uw eerste aanmelding kiest u zelf een wachtwoord; daarna bevestigt u uw aanmelding met een code van uw codekaart (in een aparte e-mail verstuurd) of, later, met een authenticatie-app.',
      'Hebt u deze account niet aangevraagd? Neem dan contact op met het registratiekantoor.',
    ],
  },
  fr: {
    subject: 'Votre compte eID Access est prêt',
    paragraphs: [
      "Un bureau d'enregistrement a créé pour vous un compte eID Access.",
      "Nom d'utilisateur : {{username}}\nMot de passe temporaire : {{temporaryPassword}}",
      "Le mot de passe temporaire est valable {{validityDays}} jours. Lors de votre première connexion, vous choisissez votre propre mot de passe ; vous confirmez ensuite votre connexion avec un code de votre carte de codes (envoyée dans un e-mail séparé) ou, plus tard, avec une application d'authentification.",
      "Si vous n'avez pas demandé ce compte, veuillez contacter le bureau d'enregistrement.",
    ],
  },
  de: {
    subject: 'Ihr Konto bei eID Access ist bereit',
    paragraphs: [
      'Eine Registrierungsstelle hat für Sie ein Konto bei eID Access eingerichtet.',
      'Benutzername: {{username}}\nVorläufiges Passwort: {{temporaryPassword}}',
      'Das vorläufige Passwort ist {{validityDays}} Tage gültig. Bei Ihrer ersten Anmeldung wählen Sie Ihr eigenes Passwort; danach bestätigen Sie die Anmeldung mit einem Code Ihrer Codekarte (in einer separaten E-Mail) oder später mit einer Authenticator-App.',
      'Wenn Sie dieses Konto nicht beantragt haben, wenden Sie sich bitte an die Registrierungsstelle.',
    ],
  },
  en: {
    subject: 'Your eID Access account is ready',
    paragraphs: [
      'A registration office has created an eID Access account for you.',
      'Username: {{username}}\nTemporary password: {{temporaryPassword}}',
      'The temporary password is valid for {{validityDays}} days. At your first login you choose your own password; you then confirm your login with a code from your code card (sent in a separate e-mail) or, later, with an authenticator app.',
      'If you did not ask for this account, please contact the registration office.',
    ],
  },
};
