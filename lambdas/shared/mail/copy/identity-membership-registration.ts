import type { TemplateCopy } from '../templates.ts';

/** The `identity-membership-registration` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityMembershipRegistration: TemplateCopy = {
  nl: {
    subject: 'U bent nu lid van {{organisationName}}',
    paragraphs: [
      'Een lokale beheerder van {{organisationName}} (organisatiecode {{reference}}) heeft u met uw rijksregisternummer als lid geregistreerd in eID Access, met de rollen die hij of zij u toekende. De registratie ging in op {{date}}, toen uw rijksregisternummer werd bevestigd.',
      'U ziet de organisatie en uw rollen onder „Mijn profiel” nadat u zich hebt aangemeld bij eID Access.',
      'Kent u deze organisatie niet? Neem dan meteen contact op met de servicedesk.',
    ],
  },
  fr: {
    subject: 'Vous êtes désormais membre de {{organisationName}}',
    paragraphs: [
      'Un administrateur local de {{organisationName}} (code d’organisation {{reference}}) vous a enregistré comme membre dans eID Access avec votre numéro de registre national, avec les rôles qu’il vous a attribués. L’enregistrement a pris effet le {{date}}, lorsque votre numéro de registre national a été confirmé.',
      'Vous voyez l’organisation et vos rôles sous « Mon profil » après vous être connecté à eID Access.',
      'Si vous ne connaissez pas cette organisation, contactez immédiatement le service d’assistance.',
    ],
  },
  de: {
    subject: 'Sie sind jetzt Mitglied von {{organisationName}}',
    paragraphs: [
      'Ein lokaler Administrator von {{organisationName}} (Organisationscode {{reference}}) hat Sie mit Ihrer Nationalregisternummer als Mitglied in eID Access registriert, mit den Rollen, die er Ihnen zugewiesen hat. Die Registrierung wurde am {{date}} wirksam, als Ihre Nationalregisternummer bestätigt wurde.',
      'Sie sehen die Organisation und Ihre Rollen unter „Mein Profil“, nachdem Sie sich bei eID Access angemeldet haben.',
      'Wenn Sie diese Organisation nicht kennen, wenden Sie sich bitte sofort an den Service-Desk.',
    ],
  },
  en: {
    subject: 'You are now a member of {{organisationName}}',
    paragraphs: [
      'A local administrator of {{organisationName}} (organisation code {{reference}}) registered you as a member in eID Access with your national number, with the roles they granted you. The registration took effect on {{date}}, when your national number was confirmed.',
      'You can see the organisation and your roles under “My profile” after signing in to eID Access.',
      'If you do not know this organisation, please contact the service desk at once.',
    ],
  },
};
