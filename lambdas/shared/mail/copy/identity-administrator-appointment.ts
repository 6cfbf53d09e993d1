import type { TemplateCopy } from '../templates.ts';

/** The `identity-administrator-appointment` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityAdministratorAppointment: TemplateCopy = {
  nl: {
    subject: 'U bent nu lokale beheerder van {{organisationName}}',
    paragraphs: [
      'Een lokale beheerder van {{organisationName}} (organisatiecode {{reference}}) heeft u met uw rijksregisternummer aangesteld als lokale beheerder in eID Access. De aanstelling ging in op {{date}}.',
      'U kunt nu de leden van de organisatie en hun rechten beheren nadat u zich hebt aangemeld bij eID Access.',
      'Kent u deze organisatie niet? Neem dan meteen contact op met de servicedesk.',
    ],
  },
  fr: {
    subject: 'Vous êtes désormais administrateur local de {{organisationName}}',
    paragraphs: [
      'Un administrateur local de {{organisationName}} (code d’organisation {{reference}}) vous a désigné administrateur local dans eID Access avec votre numéro de registre national. La désignation a pris effet le {{date}}.',
      'Vous pouvez désormais gérer les membres de l’organisation et leurs droits après vous être connecté à eID Access.',
      'Si vous ne connaissez pas cette organisation, contactez immédiatement le service d’assistance.',
    ],
  },
  de: {
    subject: 'Sie sind jetzt lokaler Administrator von {{organisationName}}',
    paragraphs: [
      'Ein lokaler Administrator von {{organisationName}} (Organisationscode {{reference}}) hat Sie mit Ihrer Nationalregisternummer als lokalen Administrator in eID Access bestellt. Die Bestellung wurde am {{date}} wirksam.',
      'Sie können jetzt nach der Anmeldung bei eID Access die Mitglieder der Organisation und ihre Rechte verwalten.',
      'Wenn Sie diese Organisation nicht kennen, wenden Sie sich bitte sofort an den Service-Desk.',
    ],
  },
  en: {
    subject: 'You are now local administrator of {{organisationName}}',
    paragraphs: [
      'A local administrator of {{organisationName}} (organisation code {{reference}}) appointed you as local administrator in eID Access with your national number. The appointment took effect on {{date}}.',
      'You can now manage the organisation’s members and their rights after signing in to eID Access.',
      'If you do not know this organisation, please contact the service desk at once.',
    ],
  },
};
