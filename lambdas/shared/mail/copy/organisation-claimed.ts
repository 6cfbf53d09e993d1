import type { TemplateCopy } from '../templates.ts';

/** The `organisation-claimed` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const organisationClaimed: TemplateCopy = {
  nl: {
    subject: 'U beheert nu {{organisationName}} in eID Access',
    paragraphs: [
      'U werd in eID Access geregistreerd als wettelijk vertegenwoordiger van {{organisationName}} (organisatiecode {{orgCode}}), zoals vermeld in de Kruispuntbank van Ondernemingen.',
      'Als lokale beheerder kunt u nu andere lokale beheerders aanstellen en de toegangsaanvragen van uw medewerkers goedkeuren of weigeren.',
      'Hebt u deze aanvraag niet zelf gedaan? Neem dan meteen contact op met de helpdesk van eID Access.',
    ],
  },
  fr: {
    subject: 'Vous gérez désormais {{organisationName}} dans eID Access',
    paragraphs: [
      "eID Access a enregistré votre qualité de représentant légal de {{organisationName}} (code d'organisation {{orgCode}}), telle qu'elle figure dans la Banque-Carrefour des Entreprises.",
      "En tant qu'administrateur local, vous pouvez désormais désigner d'autres administrateurs locaux et approuver ou refuser les demandes d'accès de vos collaborateurs.",
      "Si vous n'êtes pas à l'origine de cette demande, veuillez contacter immédiatement le service d'assistance d'eID Access.",
    ],
  },
  de: {
    subject: 'Sie verwalten jetzt {{organisationName}} in eID Access',
    paragraphs: [
      'Sie wurden in eID Access als gesetzlicher Vertreter von {{organisationName}} (Organisationscode {{orgCode}}) registriert, wie in der Zentralen Datenbank der Unternehmen eingetragen.',
      'Als lokaler Verwalter können Sie jetzt weitere lokale Verwalter ernennen und die Zugangsanträge Ihrer Mitarbeitenden genehmigen oder ablehnen.',
      'Wenn Sie diesen Antrag nicht selbst gestellt haben, wenden Sie sich bitte umgehend an den Helpdesk von eID Access.',
    ],
  },
  en: {
    subject: 'You now manage {{organisationName}} in eID Access',
    paragraphs: [
      'You have been registered in eID Access as legal representative of {{organisationName}} (organisation code {{orgCode}}), as listed in the Crossroads Bank for Enterprises.',
      'As local administrator, you can now appoint other local administrators and approve or deny the access requests of your colleagues.',
      'If you did not make this request yourself, please contact the eID Access helpdesk immediately.',
    ],
  },
};
