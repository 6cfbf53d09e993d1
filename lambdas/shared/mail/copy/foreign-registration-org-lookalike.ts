import type { TemplateCopy } from '../templates.ts';

/** The `foreign-registration-org-lookalike` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const foreignRegistrationOrgLookalike: TemplateCopy = {
  nl: {
    subject: 'Een registratie lijkt op {{organisationName}}',
    paragraphs: [
      'Iemand heeft in eID Access een buitenlandse organisatie geregistreerd waarvan de naam of het registratienummer lijkt op die van {{organisationName}} ({{orgCode}}), en gevraagd om wettelijk vertegenwoordiger en lokale beheerder te worden. U ontvangt dit bericht omdat u lokale beheerder van {{organisationName}} bent.',
      'De veiligheidsconsulenten behandelen ze als een registratie van uw organisatie: niemand wordt goedgekeurd zonder een tweede controle door een andere veiligheidsconsulent. Kent u deze aanvraag niet, neem dan contact op met de helpdesk en vermeld de referentie {{registrationId}}.',
    ],
  },
  fr: {
    subject: 'Un enregistrement ressemble à {{organisationName}}',
    paragraphs: [
      'Quelqu’un a enregistré dans eID Access une organisation étrangère dont le nom ou le numéro d’enregistrement ressemble à celui de {{organisationName}} ({{orgCode}}), et a demandé à en devenir représentant légal et administrateur local. Vous recevez ce message parce que vous êtes administrateur local de {{organisationName}}.',
      'Les conseillers en sécurité le traitent comme un enregistrement de votre organisation : personne n’est approuvé sans un second contrôle par un autre conseiller en sécurité. Si vous ne connaissez pas cette demande, veuillez contacter le service d’assistance en citant la référence {{registrationId}}.',
    ],
  },
  de: {
    subject: 'Eine Registrierung ähnelt {{organisationName}}',
    paragraphs: [
      'Jemand hat in eID Access eine ausländische Organisation registriert, deren Name oder Registernummer dem von {{organisationName}} ({{orgCode}}) ähnelt, und beantragt, gesetzlicher Vertreter und lokaler Administrator zu werden. Sie erhalten diese Nachricht, weil Sie lokaler Administrator von {{organisationName}} sind.',
      'Die Sicherheitsberater behandeln sie wie eine Registrierung Ihrer Organisation: Niemand wird ohne eine zweite Prüfung durch einen anderen Sicherheitsberater genehmigt. Wenn Ihnen dieser Antrag unbekannt ist, wenden Sie sich bitte unter Angabe der Referenz {{registrationId}} an den Helpdesk.',
    ],
  },
  en: {
    subject: 'A registration looks like {{organisationName}}',
    paragraphs: [
      'Someone has registered a foreign organisation in eID Access whose name or registration number looks like that of {{organisationName}} ({{orgCode}}), and asked to become its legal representative and local administrator. You receive this message because you are a local administrator of {{organisationName}}.',
      'The security officers treat it as a registration of your organisation: nobody is approved without a second check by another security officer. If you do not know about this request, please contact the service desk and quote the reference {{registrationId}}.',
    ],
  },
};
