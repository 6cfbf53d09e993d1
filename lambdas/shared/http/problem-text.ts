/**
 * The fallback sentences of problem documents in the caller's language (`Accept-Language`): the
 * `detail` of a problem and the `message` of each field problem, chosen by their stable `code`.
 * Clients show their own sentence per code (ARCHITECTURE.md section 3); these are for clients that
 * do not know a code yet. English keeps the throw site's own wording; other languages use the
 * sentence of the code, else of the error's class.
 */

/** Languages the API writes fallback sentences in. */
export const PROBLEM_LANGUAGES = ['en', 'nl', 'fr', 'de'] as const;
export type ProblemLanguage = (typeof PROBLEM_LANGUAGES)[number];

type Catalogue = Readonly<Record<string, string>>;

/**
 * Problem codes: the class defaults, then specific codes of throw sites. `{count}` is the number of
 * invalid fields of a validation problem.
 */
const PROBLEMS: Readonly<Record<ProblemLanguage, Catalogue>> = {
  en: {
    'invalid-request': 'Some information is missing or not valid.',
    unauthenticated: 'Please sign in again.',
    forbidden: 'You are not allowed to do this.',
    'not-found': 'This does not exist or is not visible to you.',
    conflict: 'This was already done or has changed in the meantime.',
    'rule-violation': 'This was refused by a rule of the service.',
    'too-many-requests': 'Too many attempts. Try again later.',
    'payload-too-large': 'The request is too large.',
    'unsupported-media-type': 'Send the request body as application/json (UTF-8).',
    'bis-sequence-exhausted':
      'No BIS number is left for this birth date and sex. The request keeps waiting: check the birth date with the applicant, or refer the case to the register.',
  },
  nl: {
    'invalid-request': 'Er ontbreken gegevens of ze zijn niet geldig.',
    unauthenticated: 'Meld u opnieuw aan.',
    forbidden: 'U mag dit niet doen.',
    'not-found': 'Dit bestaat niet of u hebt er geen toegang toe.',
    conflict: 'Dit is al gebeurd of is intussen gewijzigd.',
    'rule-violation': 'Dit werd geweigerd door een regel van de dienst.',
    'too-many-requests': 'Te veel pogingen. Probeer het later opnieuw.',
    'payload-too-large': 'Het verzoek is te groot.',
    'unsupported-media-type': 'Stuur de gegevens als application/json (UTF-8).',
    'bis-sequence-exhausted':
      'Er is geen BIS-nummer meer vrij voor deze geboortedatum en dit geslacht. De aanvraag blijft wachten: controleer de geboortedatum met de aanvrager of verwijs het dossier door naar het register.',
  },
  fr: {
    'invalid-request': 'Des informations manquent ou ne sont pas valables.',
    unauthenticated: 'Veuillez vous reconnecter.',
    forbidden: "Vous n'êtes pas autorisé à faire ceci.",
    'not-found': "Ceci n'existe pas ou ne vous est pas accessible.",
    conflict: 'Ceci a déjà été fait ou a changé entre-temps.',
    'rule-violation': 'Ceci a été refusé par une règle du service.',
    'too-many-requests': 'Trop de tentatives. Réessayez plus tard.',
    'payload-too-large': 'La demande est trop volumineuse.',
    'unsupported-media-type': 'Envoyez les données en application/json (UTF-8).',
    'bis-sequence-exhausted':
      "Plus aucun numéro BIS n'est libre pour cette date de naissance et ce sexe. La demande reste en attente : vérifiez la date de naissance avec le demandeur ou transmettez le dossier au registre.",
  },
  de: {
    'invalid-request': 'Angaben fehlen oder sind ungültig.',
    unauthenticated: 'Bitte melden Sie sich erneut an.',
    forbidden: 'Sie dürfen dies nicht tun.',
    'not-found': 'Dies existiert nicht oder ist für Sie nicht sichtbar.',
    conflict: 'Dies wurde bereits erledigt oder hat sich inzwischen geändert.',
    'rule-violation': 'Dies wurde durch eine Regel des Dienstes abgelehnt.',
    'too-many-requests': 'Zu viele Versuche. Versuchen Sie es später erneut.',
    'payload-too-large': 'Die Anfrage ist zu groß.',
    'unsupported-media-type': 'Senden Sie die Daten als application/json (UTF-8).',
    'bis-sequence-exhausted':
      'Für dieses Geburtsdatum und Geschlecht ist keine BIS-Nummer mehr frei. Der Antrag wartet weiter: Prüfen Sie das Geburtsdatum mit dem Antragsteller oder leiten Sie den Fall an das Register weiter.',
  },
};

/** Field problem codes; `{limit}` and `{allowed}` come from the problem's `params`. */
const FIELDS: Readonly<Record<ProblemLanguage, Catalogue>> = {
  en: {
    required: 'Required',
    'too-short': 'At least {limit} characters',
    'too-long': 'At most {limit} characters',
    'too-small': 'At least {limit}',
    'too-large': 'At most {limit}',
    'invalid-type': 'Wrong kind of value',
    'invalid-date': 'Must be a real date as YYYY-MM-DD',
    'date-too-early': 'Must be on or after {limit}',
    'date-in-future': 'Must not be in the future',
    'invalid-email': 'Must be an e-mail address',
    'invalid-phone': 'Must be an international number, e.g. +32470123456',
    'invalid-format': 'Not in the expected format',
    'invalid-characters': 'Contains characters that are not allowed',
    'not-allowed': 'Not one of the allowed values',
    'unknown-field': 'Unknown field',
    'repeated-parameter': 'Give this parameter once',
    'postal-code-be': 'A Belgian postal code has 4 digits',
    'identifier-empty': 'Required',
    'identifier-characters': 'Only digits, dots, hyphens and spaces',
    'identifier-length': 'Wrong number of digits',
    'identifier-month': 'Impossible month',
    'identifier-day': 'Impossible day',
    'identifier-sequence': 'This number is never issued',
    'identifier-date': 'Encodes a date that does not exist',
    'identifier-prefix': 'Must start with 0 or 1',
    'check-digits': 'The check digits do not match: check the number for a typing error',
    'invalid-body': 'Required',
    'unexpected-body': 'This operation takes no request body',
    'invalid-json': 'Invalid JSON',
    'invalid-utf8': 'Invalid UTF-8',
    'out-of-range': 'Out of the allowed range',
    invalid: 'Not valid',
  },
  nl: {
    required: 'Verplicht',
    'too-short': 'Minstens {limit} tekens',
    'too-long': 'Hoogstens {limit} tekens',
    'too-small': 'Minstens {limit}',
    'too-large': 'Hoogstens {limit}',
    'invalid-type': 'Verkeerd soort waarde',
    'invalid-date': 'Moet een bestaande datum zijn (JJJJ-MM-DD)',
    'date-too-early': 'Moet op of na {limit} liggen',
    'date-in-future': 'Mag niet in de toekomst liggen',
    'invalid-email': 'Moet een e-mailadres zijn',
    'invalid-phone': 'Moet een internationaal nummer zijn, bv. +32470123456',
    'invalid-format': 'Niet in de verwachte vorm',
    'invalid-characters': 'Bevat tekens die niet toegelaten zijn',
    'not-allowed': 'Geen van de toegelaten waarden',
    'unknown-field': 'Onbekend veld',
    'repeated-parameter': 'Geef deze parameter één keer',
    'postal-code-be': 'Een Belgische postcode heeft 4 cijfers',
    'identifier-empty': 'Verplicht',
    'identifier-characters': 'Alleen cijfers, punten, koppeltekens en spaties',
    'identifier-length': 'Verkeerd aantal cijfers',
    'identifier-month': 'Onmogelijke maand',
    'identifier-day': 'Onmogelijke dag',
    'identifier-sequence': 'Dit nummer wordt nooit toegekend',
    'identifier-date': 'Bevat een datum die niet bestaat',
    'identifier-prefix': 'Moet met 0 of 1 beginnen',
    'check-digits': 'De controlecijfers kloppen niet: controleer het nummer op een tikfout',
    'invalid-body': 'Verplicht',
    'unexpected-body': 'Deze bewerking neemt geen gegevens aan',
    'invalid-json': 'Ongeldige JSON',
    'invalid-utf8': 'Ongeldige UTF-8',
    'out-of-range': 'Buiten het toegelaten bereik',
    invalid: 'Niet geldig',
  },
  fr: {
    required: 'Obligatoire',
    'too-short': 'Au moins {limit} caractères',
    'too-long': 'Au plus {limit} caractères',
    'too-small': 'Au moins {limit}',
    'too-large': 'Au plus {limit}',
    'invalid-type': 'Type de valeur incorrect',
    'invalid-date': 'Doit être une date réelle (AAAA-MM-JJ)',
    'date-too-early': 'Doit être le {limit} ou après',
    'date-in-future': 'Ne peut pas être dans le futur',
    'invalid-email': 'Doit être une adresse e-mail',
    'invalid-phone': 'Doit être un numéro international, p. ex. +32470123456',
    'invalid-format': "N'a pas la forme attendue",
    'invalid-characters': 'Contient des caractères non autorisés',
    'not-allowed': "N'est pas une des valeurs autorisées",
    'unknown-field': 'Champ inconnu',
    'repeated-parameter': 'Donnez ce paramètre une seule fois',
    'postal-code-be': 'Un code postal belge a 4 chiffres',
    'identifier-empty': 'Obligatoire',
    'identifier-characters': 'Uniquement des chiffres, points, traits d’union et espaces',
    'identifier-length': 'Nombre de chiffres incorrect',
    'identifier-month': 'Mois impossible',
    'identifier-day': 'Jour impossible',
    'identifier-sequence': "Ce numéro n'est jamais attribué",
    'identifier-date': "Contient une date qui n'existe pas",
    'identifier-prefix': 'Doit commencer par 0 ou 1',
    'check-digits': 'Les chiffres de contrôle ne correspondent pas : vérifiez le numéro',
    'invalid-body': 'Obligatoire',
    'unexpected-body': "Cette opération n'accepte pas de données",
    'invalid-json': 'JSON non valable',
    'invalid-utf8': 'UTF-8 non valable',
    'out-of-range': 'Hors de la plage autorisée',
    invalid: 'Non valable',
  },
  de: {
    required: 'Pflichtfeld',
    'too-short': 'Mindestens {limit} Zeichen',
    'too-long': 'Höchstens {limit} Zeichen',
    'too-small': 'Mindestens {limit}',
    'too-large': 'Höchstens {limit}',
    'invalid-type': 'Falsche Art von Wert',
    'invalid-date': 'Muss ein gültiges Datum sein (JJJJ-MM-TT)',
    'date-too-early': 'Muss am oder nach dem {limit} liegen',
    'date-in-future': 'Darf nicht in der Zukunft liegen',
    'invalid-email': 'Muss eine E-Mail-Adresse sein',
    'invalid-phone': 'Muss eine internationale Nummer sein, z. B. +32470123456',
    'invalid-format': 'Nicht im erwarteten Format',
    'invalid-characters': 'Enthält nicht erlaubte Zeichen',
    'not-allowed': 'Keiner der erlaubten Werte',
    'unknown-field': 'Unbekanntes Feld',
    'repeated-parameter': 'Geben Sie diesen Parameter nur einmal an',
    'postal-code-be': 'Eine belgische Postleitzahl hat 4 Ziffern',
    'identifier-empty': 'Pflichtfeld',
    'identifier-characters': 'Nur Ziffern, Punkte, Bindestriche und Leerzeichen',
    'identifier-length': 'Falsche Anzahl Ziffern',
    'identifier-month': 'Unmöglicher Monat',
    'identifier-day': 'Unmöglicher Tag',
    'identifier-sequence': 'Diese Nummer wird nie vergeben',
    'identifier-date': 'Enthält ein Datum, das es nicht gibt',
    'identifier-prefix': 'Muss mit 0 oder 1 beginnen',
    'check-digits': 'Die Prüfziffern stimmen nicht: Prüfen Sie die Nummer auf Tippfehler',
    'invalid-body': 'Pflichtfeld',
    'unexpected-body': 'Dieser Vorgang nimmt keine Daten an',
    'invalid-json': 'Ungültiges JSON',
    'invalid-utf8': 'Ungültiges UTF-8',
    'out-of-range': 'Außerhalb des erlaubten Bereichs',
    invalid: 'Ungültig',
  },
};

/**
 * The caller's language from an `Accept-Language` header (quality values honoured, primary subtag
 * matched: `nl-BE` → `nl`); English when none is offered.
 */
export function problemLanguageOf(acceptLanguage: string | undefined): ProblemLanguage {
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((range) => range.tag !== '' && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    const primary = tag.split('-')[0];
    const match = PROBLEM_LANGUAGES.find((language) => language === primary);
    if (match) return match;
  }
  return 'en';
}

const fill = (template: string, params: Readonly<Record<string, unknown>> = {}): string =>
  template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = params[name];
    if (value === undefined) return placeholder;
    return Array.isArray(value) ? value.join(', ') : String(value);
  });

/**
 * The `detail` of a problem in `language`: in English the throw site's `message`; otherwise the
 * sentence for `code`, else the sentence of the error's class (`fallbackCode`).
 */
export function problemDetail(
  language: ProblemLanguage,
  code: string,
  fallbackCode: string,
  message: string,
): string {
  // English is the language the throw sites write in: their sentence is the most specific one.
  if (language === 'en' && message) return message;
  const catalogue = PROBLEMS[language];
  return catalogue[code] ?? catalogue[fallbackCode] ?? message;
}

/** The `message` of a field problem in `language`, or `undefined` for a code without a sentence. */
export function fieldMessage(
  language: ProblemLanguage,
  code: string,
  params?: Readonly<Record<string, unknown>>,
): string | undefined {
  const template = FIELDS[language][code];
  return template === undefined ? undefined : fill(template, params);
}
