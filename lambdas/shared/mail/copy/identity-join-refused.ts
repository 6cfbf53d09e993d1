import type { TemplateCopy } from '../templates.ts';

/** The `identity-join-refused` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityJoinRefused: TemplateCopy = {
  nl: {
    subject: 'Iemand probeerde uw rijksregisternummer te koppelen aan een andere aanmelding bij eID Access',
    paragraphs: [
      'Op {{date}} probeerde iemand die zich aanmeldde met {{provider}} het rijksregisternummer van uw eID Access-account aan zijn of haar aanmelding te koppelen. We hebben dat geweigerd: aan uw account werd niets gewijzigd.',
      'Was u dit zelf? Meld u dan aan met de manier die u al gebruikt en kies "Een andere aanmelding verbinden" om beide te verbinden.',
      'Was u dit niet? Neem dan contact op met de servicedesk.',
    ],
  },
  fr: {
    subject: "Quelqu'un a tenté de lier votre numéro de registre national à une autre connexion eID Access",
    paragraphs: [
      "Le {{date}}, une personne connectée avec {{provider}} a tenté de lier le numéro de registre national de votre compte eID Access à sa connexion. Nous avons refusé : rien n'a été modifié à votre compte.",
      "Si c'était vous, connectez-vous avec le moyen que vous utilisez déjà et choisissez « Relier une autre connexion » pour relier les deux.",
      "Si ce n'était pas vous, contactez le service d'assistance.",
    ],
  },
  de: {
    subject:
      'Jemand hat versucht, Ihre Nationalregisternummer mit einer anderen Anmeldung bei eID Access zu verknüpfen',
    paragraphs: [
      'Am {{date}} hat jemand, der sich mit {{provider}} angemeldet hat, versucht, die Nationalregisternummer Ihres eID Access-Kontos mit seiner Anmeldung zu verknüpfen. Wir haben das abgelehnt: An Ihrem Konto wurde nichts geändert.',
      'Wenn Sie das waren, melden Sie sich mit der Anmeldung an, die Sie bereits nutzen, und wählen Sie „Andere Anmeldung verbinden“, um beide zu verbinden.',
      'Wenn Sie das nicht waren, wenden Sie sich bitte an den Service-Desk.',
    ],
  },
  en: {
    subject: 'Someone tried to link your national number to another eID Access login',
    paragraphs: [
      'On {{date}} someone who logged in with {{provider}} tried to link the national number of your eID Access account to their login. We refused: nothing was changed to your account.',
      'If this was you, sign in with the login you already use and choose "Connect another login" to connect both.',
      'If this was not you, please contact the service desk.',
    ],
  },
};
