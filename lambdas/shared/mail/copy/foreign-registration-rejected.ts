import type { TemplateCopy } from '../templates.ts';

/** The `foreign-registration-rejected` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const foreignRegistrationRejected: TemplateCopy = {
  nl: {
    subject: 'Registratie van {{organisationName}} geweigerd',
    paragraphs: [
      'Helaas moeten we u meedelen dat uw registratie van {{organisationName}} (referentie {{registrationId}}) werd geweigerd.',
      'Reden: {{reason}}',
      'U kunt in eID Access een nieuwe registratie indienen met een recent uittreksel uit het handelsregister waarin u als wettelijk vertegenwoordiger wordt vermeld.',
    ],
  },
  fr: {
    subject: 'Enregistrement de {{organisationName}} refusé',
    paragraphs: [
      'Nous avons le regret de vous informer que votre enregistrement de {{organisationName}} (référence {{registrationId}}) a été refusé.',
      'Motif : {{reason}}',
      'Vous pouvez introduire un nouvel enregistrement dans eID Access avec un extrait récent du registre de commerce qui vous mentionne comme représentant légal.',
    ],
  },
  de: {
    subject: 'Registrierung von {{organisationName}} abgelehnt',
    paragraphs: [
      'Leider müssen wir Ihnen mitteilen, dass Ihre Registrierung von {{organisationName}} (Referenz {{registrationId}}) abgelehnt wurde.',
      'Begründung: {{reason}}',
      'Sie können in eID Access eine neue Registrierung mit einem aktuellen Handelsregisterauszug einreichen, in dem Sie als gesetzlicher Vertreter genannt sind.',
    ],
  },
  en: {
    subject: 'Registration of {{organisationName}} refused',
    paragraphs: [
      'We regret to inform you that your registration of {{organisationName}} (reference {{registrationId}}) has been refused.',
      'Reason: {{reason}}',
      'You can submit a new registration in eID Access with a recent trade-register extract that names you as legal representative.',
    ],
  },
};
