import type { TemplateCopy } from '../templates.ts';

/** The `native-code-card` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const nativeCodeCard: TemplateCopy = {
  nl: {
    subject: 'Uw nieuwe codekaart voor eID Access',
    paragraphs: [
      'In bijlage vindt u uw nieuwe codekaart (referentie {{cardId}}, uitgegeven op {{issuedOn}}). Druk ze af of bewaar ze op een plaats waar alleen u bij kunt.',
      'Bij het aanmelden wordt de code op één positie van de kaart gevraagd. Uw vorige kaart, als u er een had, werkt niet meer.',
      'Hebt u geen nieuwe kaart gevraagd? Neem dan meteen contact op met het registratiekantoor.',
    ],
  },
  fr: {
    subject: 'Votre nouvelle carte de codes eID Access',
    paragraphs: [
      'Vous trouverez en annexe votre nouvelle carte de codes (référence {{cardId}}, émise le {{issuedOn}}). Imprimez-la ou conservez-la dans un endroit auquel vous seul avez accès.',
      "Lors de la connexion, le code d'une position de la carte vous est demandé. Votre carte précédente, si vous en aviez une, ne fonctionne plus.",
      "Si vous n'avez pas demandé de nouvelle carte, contactez immédiatement le bureau d'enregistrement.",
    ],
  },
  de: {
    subject: 'Ihre neue Codekarte für eID Access',
    paragraphs: [
      'Im Anhang finden Sie Ihre neue Codekarte (Referenz {{cardId}}, ausgestellt am {{issuedOn}}). Drucken Sie sie aus oder bewahren Sie sie an einem Ort auf, zu dem nur Sie Zugang haben.',
      'Bei der Anmeldung wird der Code an einer Position der Karte abgefragt. Ihre bisherige Karte, falls vorhanden, gilt nicht mehr.',
      'Wenn Sie keine neue Karte angefordert haben, wenden Sie sich bitte sofort an die Registrierungsstelle.',
    ],
  },
  en: {
    subject: 'Your new eID Access code card',
    paragraphs: [
      'Attached is your new code card (reference {{cardId}}, issued on {{issuedOn}}). Print it or keep it somewhere only you can reach.',
      'At login you are asked the code at one position of the card. Your previous card, if you had one, no longer works.',
      'If you did not ask for a new card, please contact the registration office at once.',
    ],
  },
};
