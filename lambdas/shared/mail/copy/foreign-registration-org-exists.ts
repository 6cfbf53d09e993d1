import type { TemplateCopy } from '../templates.ts';

/** The `foreign-registration-org-exists` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const foreignRegistrationOrgExists: TemplateCopy = {
  nl: {
    subject: 'Iemand vroeg om {{organisationName}} te vertegenwoordigen',
    paragraphs: [
      'Iemand heeft {{organisationName}} ({{orgCode}}) opnieuw geregistreerd in eID Access, met een uittreksel uit het handelsregister, en gevraagd om wettelijk vertegenwoordiger en lokale beheerder te worden. U ontvangt dit bericht omdat u lokale beheerder van deze organisatie bent.',
      'Niemand wordt aan uw organisatie toegevoegd zonder een tweede controle door de veiligheidsconsulenten. Kent u deze aanvraag niet, neem dan contact op met de helpdesk en vermeld de referentie {{registrationId}}.',
    ],
  },
  fr: {
    subject: 'Quelqu’un a demandé à représenter {{organisationName}}',
    paragraphs: [
      'Quelqu’un a de nouveau enregistré {{organisationName}} ({{orgCode}}) dans eID Access, avec un extrait du registre de commerce, et a demandé à en devenir représentant légal et administrateur local. Vous recevez ce message parce que vous êtes administrateur local de cette organisation.',
      'Personne n’est ajouté à votre organisation sans un second contrôle par les conseillers en sécurité. Si vous ne connaissez pas cette demande, veuillez contacter le service d’assistance en citant la référence {{registrationId}}.',
    ],
  },
  de: {
    subject: 'Jemand möchte {{organisationName}} vertreten',
    paragraphs: [
      'Jemand hat {{organisationName}} ({{orgCode}}) in eID Access erneut registriert, mit einem Handelsregisterauszug, und beantragt, gesetzlicher Vertreter und lokaler Administrator zu werden. Sie erhalten diese Nachricht, weil Sie lokaler Administrator dieser Organisation sind.',
      'Niemand wird Ihrer Organisation ohne eine zweite Prüfung durch die Sicherheitsberater hinzugefügt. Wenn Ihnen dieser Antrag unbekannt ist, wenden Sie sich bitte unter Angabe der Referenz {{registrationId}} an den Helpdesk.',
    ],
  },
  en: {
    subject: 'Someone asked to represent {{organisationName}}',
    paragraphs: [
      'Someone has registered {{organisationName}} ({{orgCode}}) again in eID Access, with a trade-register extract, and asked to become its legal representative and local administrator. You receive this message because you are a local administrator of this organisation.',
      'Nobody is added to your organisation without a second check by the security officers. If you do not know about this request, please contact the service desk and quote the reference {{registrationId}}.',
    ],
  },
};
