import type { TemplateCopy } from '../templates.ts';

/** The `identity-office-account-requested` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityOfficeAccountRequested: TemplateCopy = {
  nl: {
    subject: 'Een registratiekantoor vroeg om een account voor u aan te maken',
    paragraphs: [
      'Op {{date}} vroeg een registratiemedewerker om een account met gebruikersnaam en wachtwoord aan te maken voor de persoon van uw eID Access-account (referentie {{reference}}). Een tweede medewerker moet dat bevestigen voor het bestaat.',
      'Hebt u dit gevraagd bij een registratiekantoor? Dan hoeft u niets te doen.',
      'Hebt u dit niet gevraagd? Neem dan meteen contact op met de servicedesk en vermeld de referentie.',
    ],
  },
  fr: {
    subject: "Un bureau d'enregistrement a demandé la création d'un compte pour vous",
    paragraphs: [
      "Le {{date}}, un agent d'enregistrement a demandé la création d'un compte avec nom d'utilisateur et mot de passe pour la personne de votre compte eID Access (référence {{reference}}). Un second agent doit le confirmer avant qu'il n'existe.",
      "Si vous l'avez demandé dans un bureau d'enregistrement, vous n'avez rien à faire.",
      "Sinon, contactez immédiatement le service d'assistance en mentionnant la référence.",
    ],
  },
  de: {
    subject: 'Eine Registrierungsstelle hat beantragt, ein Konto für Sie anzulegen',
    paragraphs: [
      'Am {{date}} hat ein Registrierungsbeauftragter beantragt, für die Person Ihres eID Access-Kontos ein Konto mit Benutzername und Passwort anzulegen (Referenz {{reference}}). Ein zweiter Beauftragter muss das bestätigen, bevor es angelegt wird.',
      'Wenn Sie das bei einer Registrierungsstelle beantragt haben, müssen Sie nichts tun.',
      'Wenn nicht, wenden Sie sich bitte sofort an den Service-Desk und nennen Sie die Referenz.',
    ],
  },
  en: {
    subject: 'A registration office asked to create an account for you',
    paragraphs: [
      'On {{date}} a registration officer asked to create a username-and-password account for the person of your eID Access account (reference {{reference}}). A second officer must confirm it before it exists.',
      'If you asked for this at a registration office, there is nothing to do.',
      'If you did not, please contact the service desk at once and quote the reference.',
    ],
  },
};
