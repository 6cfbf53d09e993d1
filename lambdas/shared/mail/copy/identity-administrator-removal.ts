import type { TemplateCopy } from '../templates.ts';

/** The `identity-administrator-removal` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityAdministratorRemoval: TemplateCopy = {
  nl: {
    subject: 'U bent geen lokale beheerder meer van {{organisationName}}',
    paragraphs: [
      'Op {{date}} heeft een andere lokale beheerder van {{organisationName}} (organisatiecode {{reference}}) u in eID Access als lokale beheerder verwijderd. U blijft lid van de organisatie.',
      'U kunt de leden van de organisatie en hun rechten niet meer beheren na uw volgende aanmelding.',
      'Denkt u dat dit een vergissing is? Neem dan contact op met een lokale beheerder van de organisatie.',
    ],
  },
  fr: {
    subject: 'Vous n’êtes plus administrateur local de {{organisationName}}',
    paragraphs: [
      'Le {{date}}, un autre administrateur local de {{organisationName}} (code d’organisation {{reference}}) vous a retiré le rôle d’administrateur local dans eID Access. Vous restez membre de l’organisation.',
      'Vous ne pouvez plus gérer les membres de l’organisation et leurs droits après votre prochaine connexion.',
      'Si vous pensez qu’il s’agit d’une erreur, contactez un administrateur local de l’organisation.',
    ],
  },
  de: {
    subject: 'Sie sind nicht mehr lokaler Administrator von {{organisationName}}',
    paragraphs: [
      'Am {{date}} hat ein anderer lokaler Administrator von {{organisationName}} (Organisationscode {{reference}}) Sie in eID Access als lokalen Administrator abberufen. Sie bleiben Mitglied der Organisation.',
      'Nach Ihrer nächsten Anmeldung können Sie die Mitglieder der Organisation und ihre Rechte nicht mehr verwalten.',
      'Wenn Sie dies für einen Irrtum halten, wenden Sie sich bitte an einen lokalen Administrator der Organisation.',
    ],
  },
  en: {
    subject: 'You are no longer local administrator of {{organisationName}}',
    paragraphs: [
      'On {{date}} another local administrator of {{organisationName}} (organisation code {{reference}}) removed you as local administrator in eID Access. You remain a member of the organisation.',
      'You can no longer manage the organisation’s members and their rights after your next sign-in.',
      'If you think this is a mistake, please contact a local administrator of the organisation.',
    ],
  },
};
