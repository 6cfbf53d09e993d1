import type { TemplateCopy } from '../templates.ts';

/** The `foreign-registration-approved` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const foreignRegistrationApproved: TemplateCopy = {
  nl: {
    subject: 'Registratie van {{organisationName}} goedgekeurd',
    paragraphs: [
      'Uw registratie van {{organisationName}} (referentie {{registrationId}}) werd goedgekeurd.',
      'De organisatiecode van {{organisationName}} in eID Access is {{orgCode}}. U bent nu lokale beheerder van de organisatie: u kunt andere lokale beheerders aanstellen en de toegangsaanvragen van uw medewerkers goedkeuren of weigeren.',
    ],
  },
  fr: {
    subject: 'Enregistrement de {{organisationName}} approuvé',
    paragraphs: [
      'Votre enregistrement de {{organisationName}} (référence {{registrationId}}) a été approuvé.',
      "Le code d'organisation de {{organisationName}} dans eID Access est {{orgCode}}. Vous en êtes désormais l'administrateur local : vous pouvez désigner d'autres administrateurs locaux et approuver ou refuser les demandes d'accès de vos collaborateurs.",
    ],
  },
  de: {
    subject: 'Registrierung von {{organisationName}} genehmigt',
    paragraphs: [
      'Ihre Registrierung von {{organisationName}} (Referenz {{registrationId}}) wurde genehmigt.',
      'Der Organisationscode von {{organisationName}} in eID Access lautet {{orgCode}}. Sie sind jetzt lokaler Verwalter der Organisation: Sie können weitere lokale Verwalter ernennen und die Zugangsanträge Ihrer Mitarbeitenden genehmigen oder ablehnen.',
    ],
  },
  en: {
    subject: 'Registration of {{organisationName}} approved',
    paragraphs: [
      'Your registration of {{organisationName}} (reference {{registrationId}}) has been approved.',
      'The organisation code of {{organisationName}} in eID Access is {{orgCode}}. You are now its local administrator: you can appoint other local administrators and approve or deny the access requests of your colleagues.',
    ],
  },
};
