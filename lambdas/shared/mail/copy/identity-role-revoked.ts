import type { TemplateCopy } from '../templates.ts';

/** The `identity-role-revoked` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityRoleRevoked: TemplateCopy = {
  nl: {
    subject: 'Uw rol bij {{organisationName}} werd ingetrokken',
    paragraphs: [
      'Op {{date}} heeft een lokale beheerder van {{organisationName}} (organisatiecode {{reference}}) uw rol „{{roleName}}” in eID Access ingetrokken.',
      'De toepassingen van de organisatie tonen de rol niet meer na uw volgende aanmelding.',
      'Denkt u dat dit een vergissing is? Neem dan contact op met een lokale beheerder van de organisatie.',
    ],
  },
  fr: {
    subject: 'Votre rôle chez {{organisationName}} a été retiré',
    paragraphs: [
      'Le {{date}}, un administrateur local de {{organisationName}} (code d’organisation {{reference}}) a retiré votre rôle « {{roleName}} » dans eID Access.',
      'Les applications de l’organisation ne l’affichent plus après votre prochaine connexion.',
      'Si vous pensez qu’il s’agit d’une erreur, contactez un administrateur local de l’organisation.',
    ],
  },
  de: {
    subject: 'Ihre Rolle bei {{organisationName}} wurde entzogen',
    paragraphs: [
      'Am {{date}} hat ein lokaler Administrator von {{organisationName}} (Organisationscode {{reference}}) Ihnen in eID Access die Rolle „{{roleName}}“ entzogen.',
      'Die Anwendungen der Organisation zeigen sie nach Ihrer nächsten Anmeldung nicht mehr.',
      'Wenn Sie dies für einen Irrtum halten, wenden Sie sich bitte an einen lokalen Administrator der Organisation.',
    ],
  },
  en: {
    subject: 'Your role at {{organisationName}} was revoked',
    paragraphs: [
      'On {{date}} a local administrator of {{organisationName}} (organisation code {{reference}}) revoked your role “{{roleName}}” in eID Access.',
      'The applications of the organisation no longer show it after your next sign-in.',
      'If you think this is a mistake, please contact a local administrator of the organisation.',
    ],
  },
};
