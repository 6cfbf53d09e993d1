/**
 * What the authorization page says, in the four languages of the platform. Refusals say what the
 * person can do next; none names an internal check.
 */
import type { PresentationRefusalReason } from './errors.ts';

export const LOCALES = ['nl', 'fr', 'en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

/** The best supported locale of `ui_locales` or `Accept-Language`; English otherwise. */
export function pickLocale(...preferences: (string | undefined)[]): Locale {
  for (const preference of preferences) {
    for (const tag of (preference ?? '').split(/[\s,]+/)) {
      const language = tag.split(/[-;_]/)[0]?.toLowerCase();
      const found = LOCALES.find((locale) => locale === language);
      if (found) return found;
    }
  }
  return 'en';
}

interface PageText {
  title: string;
  intro: string;
  sameDevice: string;
  qrHint: string;
  qrAlt: string;
  digitalCredentials: string;
  /** The browser's wallet (Digital Credentials API) gave no usable answer. */
  digitalCredentialsFailed: string;
  waiting: string;
  done: string;
  tryAgain: string;
  otherWays: string;
  /** Heading of the page that says why the login was refused. */
  refused: string;
  /** The refusal page's way back to the application. */
  continue: string;
}

export const PAGE_TEXT: Record<Locale, PageText> = {
  nl: {
    title: 'Aanmelden met uw Europese digitale identiteitswallet',
    intro:
      'Deel uw persoonsidentificatiegegevens (PID) uit uw wallet. U ziet in de wallet welke gegevens we vragen.',
    sameDevice: 'Open mijn wallet op dit toestel',
    qrHint: 'Of scan deze QR-code met de wallet op uw smartphone.',
    qrAlt: 'QR-code met de aanvraag voor uw wallet',
    digitalCredentials: 'Gebruik de wallet van deze browser',
    digitalCredentialsFailed: 'De wallet van deze browser gaf geen antwoord. Gebruik de link of de QR-code.',
    waiting: 'We wachten op het antwoord van uw wallet…',
    done: 'Ik heb geantwoord in mijn wallet',
    tryAgain: 'Opnieuw proberen',
    otherWays: 'U kunt ook aanmelden met itsme of eIDAS.',
    refused: 'Aanmelden met uw wallet is niet gelukt',
    continue: 'Terug naar de toepassing',
  },
  fr: {
    title: 'Se connecter avec votre portefeuille européen d’identité numérique',
    intro:
      'Partagez vos données d’identification personnelle (PID) depuis votre portefeuille. Il vous montre les données demandées.',
    sameDevice: 'Ouvrir mon portefeuille sur cet appareil',
    qrHint: 'Ou scannez ce code QR avec le portefeuille de votre smartphone.',
    qrAlt: 'Code QR contenant la demande pour votre portefeuille',
    digitalCredentials: 'Utiliser le portefeuille de ce navigateur',
    digitalCredentialsFailed:
      'Le portefeuille de ce navigateur n’a pas répondu. Utilisez le lien ou le code QR.',
    waiting: 'Nous attendons la réponse de votre portefeuille…',
    done: 'J’ai répondu dans mon portefeuille',
    tryAgain: 'Réessayer',
    otherWays: 'Vous pouvez aussi vous connecter avec itsme ou eIDAS.',
    refused: 'La connexion avec votre portefeuille a échoué',
    continue: 'Retour à l’application',
  },
  en: {
    title: 'Log in with your EU Digital Identity Wallet',
    intro:
      'Share your person identification data (PID) from your wallet. Your wallet shows which data we ask for.',
    sameDevice: 'Open my wallet on this device',
    qrHint: 'Or scan this QR code with the wallet on your phone.',
    qrAlt: 'QR code with the request for your wallet',
    digitalCredentials: 'Use this browser’s wallet',
    digitalCredentialsFailed: 'This browser’s wallet did not answer. Please use the link or the QR code.',
    waiting: 'Waiting for your wallet’s answer…',
    done: 'I have answered in my wallet',
    tryAgain: 'Try again',
    otherWays: 'You can also log in with itsme or eIDAS.',
    refused: 'Logging in with your wallet did not work',
    continue: 'Back to the application',
  },
  de: {
    title: 'Mit Ihrer EU-Brieftasche für die Digitale Identität anmelden',
    intro:
      'Teilen Sie Ihre Personenidentifizierungsdaten (PID) aus Ihrer Wallet. Die Wallet zeigt, welche Daten wir anfragen.',
    sameDevice: 'Meine Wallet auf diesem Gerät öffnen',
    qrHint: 'Oder scannen Sie diesen QR-Code mit der Wallet auf Ihrem Smartphone.',
    qrAlt: 'QR-Code mit der Anfrage für Ihre Wallet',
    digitalCredentials: 'Die Wallet dieses Browsers verwenden',
    digitalCredentialsFailed:
      'Die Wallet dieses Browsers hat nicht geantwortet. Verwenden Sie den Link oder den QR-Code.',
    waiting: 'Wir warten auf die Antwort Ihrer Wallet…',
    done: 'Ich habe in meiner Wallet geantwortet',
    tryAgain: 'Erneut versuchen',
    otherWays: 'Sie können sich auch mit itsme oder eIDAS anmelden.',
    refused: 'Die Anmeldung mit Ihrer Wallet ist fehlgeschlagen',
    continue: 'Zurück zur Anwendung',
  },
};

/** Refusal messages by reason (what the person reads on the page and on the hosted login). */
export const REFUSAL_TEXT: Record<PresentationRefusalReason, Record<Locale, string>> = {
  'invalid-response': {
    nl: 'Het antwoord van uw wallet kon niet gelezen worden. Probeer opnieuw of werk uw wallet bij.',
    fr: 'La réponse de votre portefeuille est illisible. Réessayez ou mettez votre portefeuille à jour.',
    en: 'Your wallet’s answer could not be read. Please try again or update your wallet.',
    de: 'Die Antwort Ihrer Wallet konnte nicht gelesen werden. Versuchen Sie es erneut oder aktualisieren Sie Ihre Wallet.',
  },
  'wallet-error': {
    nl: 'Uw wallet heeft de aanvraag niet beantwoord. Probeer opnieuw als u uw gegevens wilt delen.',
    fr: 'Votre portefeuille n’a pas répondu à la demande. Réessayez si vous souhaitez partager vos données.',
    en: 'Your wallet did not answer the request. Please try again if you want to share your data.',
    de: 'Ihre Wallet hat die Anfrage nicht beantwortet. Versuchen Sie es erneut, wenn Sie Ihre Daten teilen möchten.',
  },
  'untrusted-issuer': {
    nl: 'Uw PID komt van een uitgever die we (nog) niet vertrouwen. Meld aan met itsme of eIDAS.',
    fr: 'Votre PID provient d’un émetteur que nous ne reconnaissons pas (encore). Connectez-vous avec itsme ou eIDAS.',
    en: 'Your PID comes from an issuer we do not (yet) trust. Please log in with itsme or eIDAS.',
    de: 'Ihre PID stammt von einem Aussteller, dem wir (noch) nicht vertrauen. Melden Sie sich mit itsme oder eIDAS an.',
  },
  'invalid-signature': {
    nl: 'Uw PID kon niet gecontroleerd worden. Vraag een nieuwe PID aan in uw wallet of meld anders aan.',
    fr: 'Votre PID n’a pas pu être vérifié. Demandez un nouveau PID dans votre portefeuille ou connectez-vous autrement.',
    en: 'Your PID could not be verified. Please get a new PID in your wallet or log in another way.',
    de: 'Ihre PID konnte nicht geprüft werden. Holen Sie eine neue PID in Ihre Wallet oder melden Sie sich anders an.',
  },
  'tampered-disclosure': {
    nl: 'De gegevens uit uw wallet komen niet overeen met uw PID. Probeer opnieuw of werk uw wallet bij.',
    fr: 'Les données de votre portefeuille ne correspondent pas à votre PID. Réessayez ou mettez votre portefeuille à jour.',
    en: 'The data from your wallet does not match your PID. Please try again or update your wallet.',
    de: 'Die Daten aus Ihrer Wallet stimmen nicht mit Ihrer PID überein. Versuchen Sie es erneut oder aktualisieren Sie Ihre Wallet.',
  },
  'key-binding': {
    nl: 'Uw wallet bewees niet dat deze PID van u is. Werk uw wallet bij en probeer opnieuw.',
    fr: 'Votre portefeuille n’a pas prouvé que ce PID vous appartient. Mettez votre portefeuille à jour et réessayez.',
    en: 'Your wallet did not prove that this PID is yours. Please update your wallet and try again.',
    de: 'Ihre Wallet hat nicht nachgewiesen, dass diese PID Ihnen gehört. Aktualisieren Sie Ihre Wallet und versuchen Sie es erneut.',
  },
  'foreign-request': {
    nl: 'Uw wallet beantwoordde een andere aanmeldaanvraag. Start het aanmelden opnieuw op deze pagina.',
    fr: 'Votre portefeuille a répondu à une autre demande de connexion. Recommencez la connexion depuis cette page.',
    en: 'Your wallet answered another login request. Please start the login again from this page.',
    de: 'Ihre Wallet hat eine andere Anmeldeanfrage beantwortet. Starten Sie die Anmeldung auf dieser Seite erneut.',
  },
  expired: {
    nl: 'Uw PID is verlopen. Vraag een nieuwe PID aan in uw wallet en probeer opnieuw.',
    fr: 'Votre PID a expiré. Demandez un nouveau PID dans votre portefeuille et réessayez.',
    en: 'Your PID has expired. Please get a new PID in your wallet and try again.',
    de: 'Ihre PID ist abgelaufen. Holen Sie eine neue PID in Ihre Wallet und versuchen Sie es erneut.',
  },
  revoked: {
    nl: 'Uw PID is ingetrokken of kon niet gecontroleerd worden. Neem contact op met de uitgever van uw wallet of meld anders aan.',
    fr: 'Votre PID est révoqué ou n’a pas pu être contrôlé. Contactez l’émetteur de votre portefeuille ou connectez-vous autrement.',
    en: 'Your PID has been revoked or its status could not be checked. Please contact your wallet’s issuer or log in another way.',
    de: 'Ihre PID wurde widerrufen oder ihr Status konnte nicht geprüft werden. Wenden Sie sich an den Aussteller Ihrer Wallet oder melden Sie sich anders an.',
  },
  'not-a-pid': {
    nl: 'Uw wallet deelde geen persoonsidentificatiegegevens (PID). Kies uw PID in de wallet.',
    fr: 'Votre portefeuille n’a pas partagé vos données d’identification personnelle (PID). Choisissez votre PID.',
    en: 'Your wallet did not share your person identification data (PID). Please choose your PID in the wallet.',
    de: 'Ihre Wallet hat keine Personenidentifizierungsdaten (PID) geteilt. Wählen Sie Ihre PID in der Wallet.',
  },
  'missing-claim': {
    nl: 'Uw wallet deelde niet uw naam en geboortedatum, die we nodig hebben. Probeer opnieuw en sta het delen toe.',
    fr: 'Votre portefeuille n’a pas partagé votre nom et votre date de naissance, nécessaires. Réessayez et acceptez le partage.',
    en: 'Your wallet did not share your name and date of birth, which we need. Please try again and allow sharing.',
    de: 'Ihre Wallet hat Ihren Namen und Ihr Geburtsdatum nicht geteilt, die wir brauchen. Versuchen Sie es erneut und erlauben Sie das Teilen.',
  },
  'no-administrative-number': {
    nl: 'Uw PID bevat geen persoonlijk administratief nummer, waarmee we u later herkennen. Meld aan met itsme of eIDAS, of ga naar een registratiekantoor.',
    fr: 'Votre PID ne contient pas de numéro administratif personnel, qui nous permet de vous reconnaître. Connectez-vous avec itsme ou eIDAS, ou rendez-vous à un bureau d’enregistrement.',
    en: 'Your PID carries no personal administrative number, which we need to recognise you next time. Please log in with itsme or eIDAS, or visit a registration office.',
    de: 'Ihre PID enthält keine persönliche Verwaltungsnummer, mit der wir Sie wiedererkennen. Melden Sie sich mit itsme oder eIDAS an oder besuchen Sie ein Registrierungsbüro.',
  },
  replay: {
    nl: 'Deze aanmelding is verlopen of al gebruikt. Start het aanmelden opnieuw.',
    fr: 'Cette connexion a expiré ou a déjà été utilisée. Recommencez la connexion.',
    en: 'This login has expired or was already used. Please start the login again.',
    de: 'Diese Anmeldung ist abgelaufen oder wurde bereits verwendet. Starten Sie die Anmeldung erneut.',
  },
};

/**
 * The `error_description` of a refusal towards Cognito: `[wallet-<reason>] <sentence>`. The portal
 * reads the code in brackets, as it does for the triggers' refusals, and shows its own language's
 * sentence; anyone else reads the sentence.
 */
export function refusalDescription(reason: PresentationRefusalReason, locale: Locale): string {
  return `[wallet-${reason}] ${REFUSAL_TEXT[reason][locale]}`;
}

/** The refusal reason of a portal refusal code (`wallet-<reason>`), if it is one. */
export function walletRefusalReason(code: string | undefined): PresentationRefusalReason | undefined {
  const reason = code?.startsWith('wallet-') ? code.slice('wallet-'.length) : undefined;
  return reason !== undefined && Object.hasOwn(REFUSAL_TEXT, reason)
    ? (reason as PresentationRefusalReason)
    : undefined;
}
