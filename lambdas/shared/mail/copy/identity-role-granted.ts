import type { TemplateCopy } from '../templates.ts';

/** The `identity-role-granted` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityRoleGranted: TemplateCopy = {
  nl: {
    subject: 'U hebt een nieuwe rol bij {{organisationName}}',
    paragraphs: [
      'Op {{date}} heeft een lokale beheerder van {{organisationName}} (organisatiecode {{reference}}) u de rol „{{roleName}}” toegekend in eID Access, geldig tot {{validUntil}}.',
      'De toepassingen van de organisatie tonen ze na uw volgende aanmelding; u ziet ze onder „Mijn profiel”.',
      'Kent u deze organisatie niet? Neem dan meteen contact op met de servicedesk.',
    ],
  },
  fr: {
    subject: 'Vous avez un nouveau rôle chez {{organisationName}}',
    paragraphs: [
      'Le {{date}}, un administrateur local de {{organisationName}} (code d’organisation {{reference}}) vous a attribué le rôle « {{roleName}} » dans eID Access, valable jusqu’au {{validUntil}}.',
      'Les applications de l’organisation l’affichent après votre prochaine connexion ; vous le voyez sous « Mon profil ».',
      'Si vous ne connaissez pas cette organisation, contactez immédiatement le service d’assistance.',
    ],
  },
  de: {
    subject: 'Sie haben eine neue Rolle bei {{organisationName}}',
    paragraphs: [
      'Am {{date}} hat Ihnen ein lokaler Administrator von {{organisationName}} (Organisationscode {{reference}}) in eID Access die Rolle „{{roleName}}“ zugewiesen, gültig bis {{validUntil}}.',
      'Die Anwendungen der Organisation zeigen sie nach Ihrer nächsten Anmeldung; Sie sehen sie unter „Mein Profil“.',
      'Wenn Sie diese Organisation nicht kennen, wenden Sie sich bitte sofort an den Service-Desk.',
    ],
  },
  en: {
    subject: 'You have a new role at {{organisationName}}',
    paragraphs: [
      'On {{date}} a local administrator of {{organisationName}} (organisation code {{reference}}) granted you the role “{{roleName}}” in eID Access, valid until {{validUntil}}.',
      'The applications of the organisation show it after your next sign-in; you see it under “My profile”.',
      'If you do not know this organisation, please contact the service desk at once.',
    ],
  },
};
