import type { TemplateCopy } from '../templates.ts';

/** The `organisation-case-opened` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const organisationCaseOpened: TemplateCopy = {
  nl: {
    subject: 'Een organisatie heeft een veiligheidsconsulent nodig ({{orgCode}})',
    paragraphs: [
      'Het ondernemingsregister vermeldt de laatste lokale beheerder van organisatie {{orgCode}} niet langer als wettelijk vertegenwoordiger. Diens rechten zijn behouden, zodat de organisatie niet zonder beheerder valt.',
      'Meld u aan bij eID Access als veiligheidsconsulent en bekijk de organisatie. Om de privacy te beschermen, bevat dit bericht geen persoonsgegevens.',
    ],
  },
  fr: {
    subject: 'Une organisation requiert un conseiller en sécurité ({{orgCode}})',
    paragraphs: [
      'Le registre des entreprises ne mentionne plus le dernier administrateur local de l’organisation {{orgCode}} comme représentant légal. Ses droits ont été conservés pour que l’organisation ne reste pas sans administrateur.',
      'Veuillez vous connecter à eID Access en tant que conseiller en sécurité et examiner l’organisation. Pour protéger la vie privée, ce message ne contient aucune donnée à caractère personnel.',
    ],
  },
  de: {
    subject: 'Eine Organisation braucht einen Sicherheitsberater ({{orgCode}})',
    paragraphs: [
      'Das Unternehmensregister führt den letzten lokalen Administrator der Organisation {{orgCode}} nicht mehr als gesetzlichen Vertreter. Seine Rechte wurden beibehalten, damit die Organisation nicht ohne Administrator bleibt.',
      'Bitte melden Sie sich als Sicherheitsberater bei eID Access an und prüfen Sie die Organisation. Aus Datenschutzgründen enthält diese Nachricht keine personenbezogenen Daten.',
    ],
  },
  en: {
    subject: 'An organisation needs a security officer ({{orgCode}})',
    paragraphs: [
      'The company register no longer lists the last local administrator of organisation {{orgCode}} as its legal representative. Their rights were kept so that the organisation is not left without an administrator.',
      'Please sign in to eID Access as a security officer and review the organisation. For privacy reasons, this message contains no personal data.',
    ],
  },
};
