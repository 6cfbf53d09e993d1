import type { TemplateCopy } from '../templates.ts';

/** The `representative-lapsed` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const representativeLapsed: TemplateCopy = {
  nl: {
    subject: 'U vertegenwoordigt {{organisationName}} niet langer in eID Access',
    paragraphs: [
      'Het ondernemingsregister vermeldt u niet langer als wettelijk vertegenwoordiger van {{organisationName}} ({{orgCode}}). De rechten die u in eID Access alleen als wettelijk vertegenwoordiger had, zijn ingetrokken.',
      'Is het register fout, laat het dan verbeteren; een lokale beheerder van de organisatie kan u ook opnieuw aanstellen.',
    ],
  },
  fr: {
    subject: 'Vous ne représentez plus {{organisationName}} dans eID Access',
    paragraphs: [
      'Le registre des entreprises ne vous mentionne plus comme représentant légal de {{organisationName}} ({{orgCode}}). Les droits que vous aviez dans eID Access uniquement en tant que représentant légal ont été retirés.',
      'Si le registre est erroné, faites-le corriger ; un administrateur local de l’organisation peut aussi vous désigner à nouveau.',
    ],
  },
  de: {
    subject: 'Sie vertreten {{organisationName}} in eID Access nicht mehr',
    paragraphs: [
      'Das Unternehmensregister führt Sie nicht mehr als gesetzlichen Vertreter von {{organisationName}} ({{orgCode}}). Die Rechte, die Sie in eID Access nur als gesetzlicher Vertreter hatten, wurden entzogen.',
      'Ist das Register fehlerhaft, lassen Sie es bitte berichtigen; ein lokaler Administrator der Organisation kann Sie auch erneut ernennen.',
    ],
  },
  en: {
    subject: 'You no longer represent {{organisationName}} in eID Access',
    paragraphs: [
      'The company register no longer lists you as a legal representative of {{organisationName}} ({{orgCode}}). The rights you had in eID Access only because you were its legal representative have been removed.',
      'If the register is wrong, please have it corrected; a local administrator of the organisation can also appoint you again.',
    ],
  },
};
