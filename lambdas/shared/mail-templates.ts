/**
 * Every e-mail the platform sends, as plain data: the ONE definition used by the CDK `Notifications`
 * construct (SES template resources) and by the local outbox (rendered here), so the two cannot drift.
 *
 * Authoring form: per locale a subject and paragraphs with `{{variable}}` placeholders. From that we
 * derive `{ subject, text, html }` in the same layout for every template. SES templates are Handlebars,
 * which HTML-escapes `{{x}}` everywhere; so the SES subject and text parts use `{{{x}}}` (raw, no
 * `&amp;` in a plain-text mail) and only the HTML part uses `{{x}}` (escaped). `renderTemplate` applies
 * the same Handlebars rules to the same SES parts, so the outbox shows what SES would send.
 *
 * Rules for template content: no task tokens, no national numbers (the only exception is the person's
 * own new BIS number in `bis-approved`; `native-account-activation` carries the person's own temporary
 * password, which Cognito makes them replace at the first login; the `identity-*` notices name the
 * date, the login provider and a reference, never the number), and the review-requested mails to back-office mailboxes carry
 * no personal data at all — only a reference to look up after signing in.
 */

/** Locales we write mails in. */
export const LOCALES = ['nl', 'fr', 'de', 'en'] as const;

/** A supported mail locale. */
export type Locale = (typeof LOCALES)[number];

/** The locale used when a person's locale is unknown or not supported. */
export const DEFAULT_LOCALE: Locale = 'en';

/** The platform name as the mails spell it. */
export const PLATFORM_NAME = 'eID Access';

interface LocalizedContent {
  readonly subject: string;
  /** Body paragraphs between the greeting and the sign-off; `\n` is a line break inside a paragraph. */
  readonly paragraphs: readonly string[];
}

interface TemplateDefinition {
  /** The variables the template needs; the template's data type is derived from this list. */
  readonly variables: readonly string[];
  readonly content: { readonly [L in Locale]: LocalizedContent };
}

interface Frame {
  readonly greeting: string;
  readonly signOff: string;
  readonly footer: string;
}

const frames: { readonly [L in Locale]: Frame } = {
  en: {
    greeting: 'Hello,',
    signOff: `Kind regards,\nThe ${PLATFORM_NAME} team`,
    footer: `This message was sent automatically by ${PLATFORM_NAME}. Please do not reply to this e-mail.`,
  },
  nl: {
    greeting: 'Goedendag,',
    signOff: `Met vriendelijke groeten,\nHet team van ${PLATFORM_NAME}`,
    footer: `Dit bericht werd automatisch verstuurd door ${PLATFORM_NAME}. Antwoord niet op deze e-mail.`,
  },
  fr: {
    greeting: 'Bonjour,',
    signOff: `Cordialement,\nL'équipe ${PLATFORM_NAME}`,
    footer: `Ce message a été envoyé automatiquement par ${PLATFORM_NAME}. Merci de ne pas répondre à cet e-mail.`,
  },
  de: {
    greeting: 'Guten Tag,',
    signOff: `Mit freundlichen Grüßen\nIhr Team von ${PLATFORM_NAME}`,
    footer: `Diese Nachricht wurde automatisch von ${PLATFORM_NAME} versendet. Bitte antworten Sie nicht auf diese E-Mail.`,
  },
};

const definitions = {
  'bis-review-requested': {
    variables: ['registrationId'],
    content: {
      en: {
        subject: 'New BIS number request to review ({{registrationId}})',
        paragraphs: [
          'A new BIS number request is waiting for your review in eID Access.',
          'Request reference: {{registrationId}}',
          'Please sign in to eID Access as a BIS agent to review the request. For privacy reasons, this message contains no personal data.',
        ],
      },
      nl: {
        subject: 'Nieuwe aanvraag van een BIS-nummer te beoordelen ({{registrationId}})',
        paragraphs: [
          'Een nieuwe aanvraag van een BIS-nummer wacht op uw beoordeling in eID Access.',
          'Referentie van de aanvraag: {{registrationId}}',
          'Meld u aan bij eID Access als BIS-agent om de aanvraag te behandelen. Om de privacy te beschermen, bevat dit bericht geen persoonsgegevens.',
        ],
      },
      fr: {
        subject: 'Nouvelle demande de numéro BIS à examiner ({{registrationId}})',
        paragraphs: [
          'Une nouvelle demande de numéro BIS attend votre examen dans eID Access.',
          'Référence de la demande : {{registrationId}}',
          "Veuillez vous connecter à eID Access en tant qu'agent BIS pour traiter la demande. Pour protéger la vie privée, ce message ne contient aucune donnée à caractère personnel.",
        ],
      },
      de: {
        subject: 'Neuer Antrag auf eine BIS-Nummer zur Prüfung ({{registrationId}})',
        paragraphs: [
          'Ein neuer Antrag auf eine BIS-Nummer wartet in eID Access auf Ihre Prüfung.',
          'Referenz des Antrags: {{registrationId}}',
          'Bitte melden Sie sich als BIS-Sachbearbeiter bei eID Access an, um den Antrag zu bearbeiten. Aus Datenschutzgründen enthält diese Nachricht keine personenbezogenen Daten.',
        ],
      },
    },
  },

  'bis-submitted': {
    variables: ['registrationId'],
    content: {
      en: {
        subject: 'We have received your BIS number request',
        paragraphs: [
          'Thank you. We have received your request for a BIS number in eID Access.',
          'Your reference: {{registrationId}}',
          'A BIS agent will review your request. We will e-mail you as soon as a decision has been made or if we need more information. You can follow your request at any time by signing in to eID Access.',
        ],
      },
      nl: {
        subject: 'We hebben uw aanvraag van een BIS-nummer ontvangen',
        paragraphs: [
          'Bedankt. We hebben uw aanvraag van een BIS-nummer in eID Access goed ontvangen.',
          'Uw referentie: {{registrationId}}',
          'Een BIS-agent behandelt uw aanvraag. We sturen u een e-mail zodra er een beslissing is of als we meer informatie nodig hebben. U kunt uw aanvraag altijd opvolgen door u aan te melden bij eID Access.',
        ],
      },
      fr: {
        subject: 'Nous avons bien reçu votre demande de numéro BIS',
        paragraphs: [
          'Merci. Nous avons bien reçu votre demande de numéro BIS dans eID Access.',
          'Votre référence : {{registrationId}}',
          "Un agent BIS va examiner votre demande. Nous vous enverrons un e-mail dès qu'une décision aura été prise ou si nous avons besoin d'informations complémentaires. Vous pouvez suivre votre demande à tout moment en vous connectant à eID Access.",
        ],
      },
      de: {
        subject: 'Wir haben Ihren Antrag auf eine BIS-Nummer erhalten',
        paragraphs: [
          'Vielen Dank. Wir haben Ihren Antrag auf eine BIS-Nummer in eID Access erhalten.',
          'Ihre Referenz: {{registrationId}}',
          'Ein BIS-Sachbearbeiter prüft Ihren Antrag. Wir benachrichtigen Sie per E-Mail, sobald eine Entscheidung vorliegt oder wir weitere Angaben benötigen. Den Stand Ihres Antrags können Sie jederzeit einsehen, indem Sie sich bei eID Access anmelden.',
        ],
      },
    },
  },

  'bis-correction-requested': {
    variables: ['registrationId', 'reason'],
    content: {
      en: {
        subject: 'Your BIS number request needs a correction',
        paragraphs: [
          'A BIS agent has reviewed your request for a BIS number (reference {{registrationId}}) and asks you to correct or complete it.',
          'What needs to change: {{reason}}',
          'Please sign in to eID Access, open your request and send us the corrected information. If we receive no correction within 30 days, your request will be closed.',
        ],
      },
      nl: {
        subject: 'Uw aanvraag van een BIS-nummer moet worden verbeterd',
        paragraphs: [
          'Een BIS-agent heeft uw aanvraag van een BIS-nummer (referentie {{registrationId}}) bekeken en vraagt u om ze te verbeteren of aan te vullen.',
          'Wat moet worden aangepast: {{reason}}',
          'Meld u aan bij eID Access, open uw aanvraag en bezorg ons de verbeterde gegevens. Als we binnen 30 dagen geen verbetering ontvangen, wordt uw aanvraag afgesloten.',
        ],
      },
      fr: {
        subject: 'Votre demande de numéro BIS doit être corrigée',
        paragraphs: [
          'Un agent BIS a examiné votre demande de numéro BIS (référence {{registrationId}}) et vous demande de la corriger ou de la compléter.',
          'Ce qui doit être modifié : {{reason}}',
          'Veuillez vous connecter à eID Access, ouvrir votre demande et nous envoyer les informations corrigées. Sans correction de votre part dans les 30 jours, votre demande sera clôturée.',
        ],
      },
      de: {
        subject: 'Ihr Antrag auf eine BIS-Nummer muss berichtigt werden',
        paragraphs: [
          'Ein BIS-Sachbearbeiter hat Ihren Antrag auf eine BIS-Nummer (Referenz {{registrationId}}) geprüft und bittet Sie, ihn zu berichtigen oder zu ergänzen.',
          'Was geändert werden muss: {{reason}}',
          'Bitte melden Sie sich bei eID Access an, öffnen Sie Ihren Antrag und senden Sie uns die berichtigten Angaben. Wenn innerhalb von 30 Tagen keine Berichtigung eingeht, wird Ihr Antrag geschlossen.',
        ],
      },
    },
  },

  'bis-approved': {
    variables: ['registrationId', 'bisNumber'],
    content: {
      en: {
        subject: 'Your BIS number has been issued',
        paragraphs: [
          'Good news: your request for a BIS number (reference {{registrationId}}) has been approved.',
          'Your BIS number is: {{bisNumber}}',
          'Please keep this number safe: Belgian social security and public services use it to identify you. Your BIS number is now linked to your eID Access account and takes effect the next time you sign in.',
        ],
      },
      nl: {
        subject: 'Uw BIS-nummer werd toegekend',
        paragraphs: [
          'Goed nieuws: uw aanvraag van een BIS-nummer (referentie {{registrationId}}) werd goedgekeurd.',
          'Uw BIS-nummer is: {{bisNumber}}',
          'Bewaar dit nummer zorgvuldig: de Belgische sociale zekerheid en overheidsdiensten gebruiken het om u te identificeren. Uw BIS-nummer is nu gekoppeld aan uw account bij eID Access en is actief vanaf uw volgende aanmelding.',
        ],
      },
      fr: {
        subject: 'Votre numéro BIS a été attribué',
        paragraphs: [
          'Bonne nouvelle : votre demande de numéro BIS (référence {{registrationId}}) a été approuvée.',
          'Votre numéro BIS est : {{bisNumber}}',
          "Conservez ce numéro précieusement : la sécurité sociale et les services publics belges l'utilisent pour vous identifier. Votre numéro BIS est désormais lié à votre compte eID Access et sera pris en compte lors de votre prochaine connexion.",
        ],
      },
      de: {
        subject: 'Ihre BIS-Nummer wurde vergeben',
        paragraphs: [
          'Gute Nachricht: Ihr Antrag auf eine BIS-Nummer (Referenz {{registrationId}}) wurde genehmigt.',
          'Ihre BIS-Nummer lautet: {{bisNumber}}',
          'Bitte bewahren Sie diese Nummer sorgfältig auf: Die belgische soziale Sicherheit und die Behörden identifizieren Sie damit. Ihre BIS-Nummer ist jetzt mit Ihrem Konto bei eID Access verknüpft und wird bei Ihrer nächsten Anmeldung wirksam.',
        ],
      },
    },
  },

  'bis-rejected': {
    variables: ['registrationId', 'reason'],
    content: {
      en: {
        subject: 'Your BIS number request has been refused',
        paragraphs: [
          'We regret to inform you that your request for a BIS number (reference {{registrationId}}) has been refused.',
          'Reason: {{reason}}',
          'If you believe this decision is wrong, or if your situation changes, you can submit a new request in eID Access.',
        ],
      },
      nl: {
        subject: 'Uw aanvraag van een BIS-nummer werd geweigerd',
        paragraphs: [
          'Helaas moeten we u meedelen dat uw aanvraag van een BIS-nummer (referentie {{registrationId}}) werd geweigerd.',
          'Reden: {{reason}}',
          'Denkt u dat deze beslissing niet klopt, of verandert uw situatie, dan kunt u in eID Access een nieuwe aanvraag indienen.',
        ],
      },
      fr: {
        subject: 'Votre demande de numéro BIS a été refusée',
        paragraphs: [
          'Nous avons le regret de vous informer que votre demande de numéro BIS (référence {{registrationId}}) a été refusée.',
          'Motif : {{reason}}',
          'Si vous estimez que cette décision est erronée, ou si votre situation change, vous pouvez introduire une nouvelle demande dans eID Access.',
        ],
      },
      de: {
        subject: 'Ihr Antrag auf eine BIS-Nummer wurde abgelehnt',
        paragraphs: [
          'Leider müssen wir Ihnen mitteilen, dass Ihr Antrag auf eine BIS-Nummer (Referenz {{registrationId}}) abgelehnt wurde.',
          'Begründung: {{reason}}',
          'Wenn Sie diese Entscheidung für unzutreffend halten oder sich Ihre Situation ändert, können Sie in eID Access einen neuen Antrag stellen.',
        ],
      },
    },
  },

  'bis-expired': {
    variables: ['registrationId'],
    content: {
      en: {
        subject: 'Your BIS number request has been closed',
        paragraphs: [
          'Your request for a BIS number (reference {{registrationId}}) has been closed because it could not be completed within 30 days.',
          'No BIS number has been issued. If you still need one, you can submit a new request in eID Access. We apologise for the inconvenience.',
        ],
      },
      nl: {
        subject: 'Uw aanvraag van een BIS-nummer werd afgesloten',
        paragraphs: [
          'Uw aanvraag van een BIS-nummer (referentie {{registrationId}}) werd afgesloten omdat ze niet binnen 30 dagen kon worden afgerond.',
          'Er werd geen BIS-nummer toegekend. Hebt u er nog altijd een nodig, dan kunt u in eID Access een nieuwe aanvraag indienen. Onze excuses voor het ongemak.',
        ],
      },
      fr: {
        subject: 'Votre demande de numéro BIS a été clôturée',
        paragraphs: [
          "Votre demande de numéro BIS (référence {{registrationId}}) a été clôturée, car elle n'a pas pu être finalisée dans un délai de 30 jours.",
          "Aucun numéro BIS n'a été attribué. Si vous en avez toujours besoin, vous pouvez introduire une nouvelle demande dans eID Access. Nous vous prions de nous excuser pour la gêne occasionnée.",
        ],
      },
      de: {
        subject: 'Ihr Antrag auf eine BIS-Nummer wurde geschlossen',
        paragraphs: [
          'Ihr Antrag auf eine BIS-Nummer (Referenz {{registrationId}}) wurde geschlossen, da er nicht innerhalb von 30 Tagen abgeschlossen werden konnte.',
          'Es wurde keine BIS-Nummer vergeben. Wenn Sie weiterhin eine benötigen, können Sie in eID Access einen neuen Antrag stellen. Wir bitten um Ihr Verständnis.',
        ],
      },
    },
  },

  'organisation-claimed': {
    variables: ['organisationName', 'orgCode'],
    content: {
      en: {
        subject: 'You now manage {{organisationName}} in eID Access',
        paragraphs: [
          'You have been registered in eID Access as legal representative of {{organisationName}} (organisation code {{orgCode}}), as listed in the Crossroads Bank for Enterprises.',
          'As local administrator, you can now appoint other local administrators and approve or deny the access requests of your colleagues.',
          'If you did not make this request yourself, please contact the eID Access helpdesk immediately.',
        ],
      },
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
    },
  },

  'foreign-registration-review-requested': {
    variables: ['registrationId'],
    content: {
      en: {
        subject: 'New foreign organisation registration to review ({{registrationId}})',
        paragraphs: [
          'A new registration of a foreign organisation, with its trade-register extract, is waiting for your review in eID Access.',
          'Registration reference: {{registrationId}}',
          'Please sign in to eID Access as a security officer to check the extract and decide. For privacy reasons, this message contains no personal data.',
        ],
      },
      nl: {
        subject: 'Nieuwe registratie van een buitenlandse organisatie te beoordelen ({{registrationId}})',
        paragraphs: [
          'Een nieuwe registratie van een buitenlandse organisatie, met een uittreksel uit het handelsregister, wacht op uw beoordeling in eID Access.',
          'Referentie van de registratie: {{registrationId}}',
          'Meld u aan bij eID Access als veiligheidsconsulent om het uittreksel te controleren en een beslissing te nemen. Om de privacy te beschermen, bevat dit bericht geen persoonsgegevens.',
        ],
      },
      fr: {
        subject: "Nouvel enregistrement d'une organisation étrangère à examiner ({{registrationId}})",
        paragraphs: [
          "Un nouvel enregistrement d'une organisation étrangère, accompagné d'un extrait du registre de commerce, attend votre examen dans eID Access.",
          "Référence de l'enregistrement : {{registrationId}}",
          "Veuillez vous connecter à eID Access en tant que conseiller en sécurité pour vérifier l'extrait et prendre une décision. Pour protéger la vie privée, ce message ne contient aucune donnée à caractère personnel.",
        ],
      },
      de: {
        subject: 'Neue Registrierung einer ausländischen Organisation zur Prüfung ({{registrationId}})',
        paragraphs: [
          'Eine neue Registrierung einer ausländischen Organisation mit Handelsregisterauszug wartet in eID Access auf Ihre Prüfung.',
          'Referenz der Registrierung: {{registrationId}}',
          'Bitte melden Sie sich als Sicherheitsberater bei eID Access an, um den Auszug zu prüfen und zu entscheiden. Aus Datenschutzgründen enthält diese Nachricht keine personenbezogenen Daten.',
        ],
      },
    },
  },

  'foreign-registration-org-exists': {
    variables: ['registrationId', 'organisationName', 'orgCode'],
    content: {
      en: {
        subject: 'Someone asked to represent {{organisationName}}',
        paragraphs: [
          'Someone has registered {{organisationName}} ({{orgCode}}) again in eID Access, with a trade-register extract, and asked to become its legal representative and local administrator. You receive this message because you are a local administrator of this organisation.',
          'Nobody is added to your organisation without a second check by the security officers. If you do not know about this request, please contact the service desk and quote the reference {{registrationId}}.',
        ],
      },
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
    },
  },

  'foreign-registration-org-lookalike': {
    variables: ['registrationId', 'organisationName', 'orgCode'],
    content: {
      en: {
        subject: 'A registration looks like {{organisationName}}',
        paragraphs: [
          'Someone has registered a foreign organisation in eID Access whose name or registration number looks like that of {{organisationName}} ({{orgCode}}), and asked to become its legal representative and local administrator. You receive this message because you are a local administrator of {{organisationName}}.',
          'The security officers treat it as a registration of your organisation: nobody is approved without a second check by another security officer. If you do not know about this request, please contact the service desk and quote the reference {{registrationId}}.',
        ],
      },
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
    },
  },

  'representative-lapsed': {
    variables: ['organisationName', 'orgCode'],
    content: {
      en: {
        subject: 'You no longer represent {{organisationName}} in eID Access',
        paragraphs: [
          'The company register no longer lists you as a legal representative of {{organisationName}} ({{orgCode}}). The rights you had in eID Access only because you were its legal representative have been removed.',
          'If the register is wrong, please have it corrected; a local administrator of the organisation can also appoint you again.',
        ],
      },
      nl: {
        subject: 'U vertegenwoordigt {{organisationName}} niet langer in eID Access',
        paragraphs: [
          'Het ondernemingsregister vermeldt u niet langer als wettelijk vertegenwoordiger van {{organisationName}} ({{orgCode}}). De rechten die u in eID Access alleen als wettelijk vertegenwoordiger had, zijn ingetrokken.',
          'Is het register fout, laat het dan verbeteren; een lokale beheerder van de organisatie kan u ook opnieuw aanstellen.',
        ],
      },
      fr: {
        subject: 'Vous ne représentez plus {{organisationName}} dans eID Access',
        paragraphs: [
          'Le registre des entreprises ne vous mentionne plus comme représentant légal de {{organisationName}} ({{orgCode}}). Les droits que vous aviez dans eID Access uniquement en tant que représentant légal ont été retirés.',
          'Si le registre est erroné, faites-le corriger ; un administrateur local de l’organisation peut aussi vous désigner à nouveau.',
        ],
      },
      de: {
        subject: 'Sie vertreten {{organisationName}} in eID Access nicht mehr',
        paragraphs: [
          'Das Unternehmensregister führt Sie nicht mehr als gesetzlichen Vertreter von {{organisationName}} ({{orgCode}}). Die Rechte, die Sie in eID Access nur als gesetzlicher Vertreter hatten, wurden entzogen.',
          'Ist das Register fehlerhaft, lassen Sie es bitte berichtigen; ein lokaler Administrator der Organisation kann Sie auch erneut ernennen.',
        ],
      },
    },
  },

  'organisation-case-opened': {
    variables: ['orgCode'],
    content: {
      en: {
        subject: 'An organisation needs a security officer ({{orgCode}})',
        paragraphs: [
          'The company register no longer lists the last local administrator of organisation {{orgCode}} as its legal representative. Their rights were kept so that the organisation is not left without an administrator.',
          'Please sign in to eID Access as a security officer and review the organisation. For privacy reasons, this message contains no personal data.',
        ],
      },
      nl: {
        subject: 'Een organisatie heeft een veiligheidsconsulent nodig ({{orgCode}})',
        paragraphs: [
          'Het ondernemingsregister vermeldt de laatste lokale beheerder van organisatie {{orgCode}} niet langer als wettelijk vertegenwoordiger. Diens rechten zijn behouden, zodat de organisatie niet zonder beheerder valt.',
          'Meld u aan bij eID Access als veiligheidsconsulent en bekijk de organisatie. Om de privacy te beschermen, bevat dit bericht geen persoonsgegevens.',
        ],
      },
      fr: {
        subject: 'Une organisation requiert un conseiller en sécurité ({{orgCode}})',
        paragraphs: [
          'Le registre des entreprises ne mentionne plus le dernier administrateur local de l’organisation {{orgCode}} comme représentant légal. Ses droits ont été conservés pour que l’organisation ne reste pas sans administrateur.',
          'Veuillez vous connecter à eID Access en tant que conseiller en sécurité et examiner l’organisation. Pour protéger la vie privée, ce message ne contient aucune donnée à caractère personnel.',
        ],
      },
      de: {
        subject: 'Eine Organisation braucht einen Sicherheitsberater ({{orgCode}})',
        paragraphs: [
          'Das Unternehmensregister führt den letzten lokalen Administrator der Organisation {{orgCode}} nicht mehr als gesetzlichen Vertreter. Seine Rechte wurden beibehalten, damit die Organisation nicht ohne Administrator bleibt.',
          'Bitte melden Sie sich als Sicherheitsberater bei eID Access an und prüfen Sie die Organisation. Aus Datenschutzgründen enthält diese Nachricht keine personenbezogenen Daten.',
        ],
      },
    },
  },

  'foreign-registration-approved': {
    variables: ['registrationId', 'organisationName', 'orgCode'],
    content: {
      en: {
        subject: 'Registration of {{organisationName}} approved',
        paragraphs: [
          'Your registration of {{organisationName}} (reference {{registrationId}}) has been approved.',
          'The organisation code of {{organisationName}} in eID Access is {{orgCode}}. You are now its local administrator: you can appoint other local administrators and approve or deny the access requests of your colleagues.',
        ],
      },
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
    },
  },

  'foreign-registration-rejected': {
    variables: ['registrationId', 'organisationName', 'reason'],
    content: {
      en: {
        subject: 'Registration of {{organisationName}} refused',
        paragraphs: [
          'We regret to inform you that your registration of {{organisationName}} (reference {{registrationId}}) has been refused.',
          'Reason: {{reason}}',
          'You can submit a new registration in eID Access with a recent trade-register extract that names you as legal representative.',
        ],
      },
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
    },
  },

  'foreign-registration-expired': {
    variables: ['registrationId', 'organisationName'],
    content: {
      en: {
        subject: 'Registration of {{organisationName}} closed',
        paragraphs: [
          'Your registration of {{organisationName}} (reference {{registrationId}}) has been closed because it could not be completed in time.',
          'The organisation has not been registered. If you still need it, you can submit a new registration in eID Access. We apologise for the inconvenience.',
        ],
      },
      nl: {
        subject: 'Registratie van {{organisationName}} afgesloten',
        paragraphs: [
          'Uw registratie van {{organisationName}} (referentie {{registrationId}}) werd afgesloten omdat ze niet tijdig kon worden afgerond.',
          'De organisatie werd niet geregistreerd. Hebt u de registratie nog altijd nodig, dan kunt u in eID Access een nieuwe indienen. Onze excuses voor het ongemak.',
        ],
      },
      fr: {
        subject: 'Enregistrement de {{organisationName}} clôturé',
        paragraphs: [
          "Votre enregistrement de {{organisationName}} (référence {{registrationId}}) a été clôturé, car il n'a pas pu être finalisé dans les délais.",
          "L'organisation n'a pas été enregistrée. Si vous en avez toujours besoin, vous pouvez introduire un nouvel enregistrement dans eID Access. Nous vous prions de nous excuser pour la gêne occasionnée.",
        ],
      },
      de: {
        subject: 'Registrierung von {{organisationName}} geschlossen',
        paragraphs: [
          'Ihre Registrierung von {{organisationName}} (Referenz {{registrationId}}) wurde geschlossen, da sie nicht rechtzeitig abgeschlossen werden konnte.',
          'Die Organisation wurde nicht registriert. Wenn Sie die Registrierung weiterhin benötigen, können Sie in eID Access eine neue einreichen. Wir bitten um Ihr Verständnis.',
        ],
      },
    },
  },

  'right-request-review-requested': {
    variables: ['requestId', 'organisationName', 'application', 'role'],
    content: {
      en: {
        subject: 'Access request to review for {{organisationName}}',
        paragraphs: [
          'Someone has requested the role {{role}} in the application {{application}} on behalf of {{organisationName}}.',
          'Request reference: {{requestId}}',
          'As local administrator, please sign in to eID Access to approve or deny the request. For privacy reasons, this message does not say who made the request.',
        ],
      },
      nl: {
        subject: 'Toegangsaanvraag te beoordelen voor {{organisationName}}',
        paragraphs: [
          'Iemand heeft namens {{organisationName}} de rol {{role}} aangevraagd in de toepassing {{application}}.',
          'Referentie van de aanvraag: {{requestId}}',
          'Meld u als lokale beheerder aan bij eID Access om de aanvraag goed te keuren of te weigeren. Om de privacy te beschermen, vermeldt dit bericht niet wie de aanvraag heeft gedaan.',
        ],
      },
      fr: {
        subject: "Demande d'accès à examiner pour {{organisationName}}",
        paragraphs: [
          "Une personne a demandé, au nom de {{organisationName}}, le rôle {{role}} dans l'application {{application}}.",
          'Référence de la demande : {{requestId}}',
          "En tant qu'administrateur local, veuillez vous connecter à eID Access pour approuver ou refuser la demande. Pour protéger la vie privée, ce message n'indique pas qui a introduit la demande.",
        ],
      },
      de: {
        subject: 'Zugangsantrag zur Prüfung für {{organisationName}}',
        paragraphs: [
          'Eine Person hat im Namen von {{organisationName}} die Rolle {{role}} in der Anwendung {{application}} beantragt.',
          'Referenz des Antrags: {{requestId}}',
          'Bitte melden Sie sich als lokaler Verwalter bei eID Access an, um den Antrag zu genehmigen oder abzulehnen. Aus Datenschutzgründen nennt diese Nachricht nicht, wer den Antrag gestellt hat.',
        ],
      },
    },
  },

  'right-request-approved': {
    variables: ['requestId', 'organisationName', 'application', 'role', 'validUntil'],
    content: {
      en: {
        subject: 'Access granted: {{role}} in {{application}}',
        paragraphs: [
          'Your request (reference {{requestId}}) has been approved: you now have the role {{role}} in the application {{application}} on behalf of {{organisationName}}.',
          'This right is valid until {{validUntil}}. It takes effect the next time you sign in.',
        ],
      },
      nl: {
        subject: 'Toegang verleend: {{role}} in {{application}}',
        paragraphs: [
          'Uw aanvraag (referentie {{requestId}}) werd goedgekeurd: u hebt nu de rol {{role}} in de toepassing {{application}} namens {{organisationName}}.',
          'Dit recht is geldig tot {{validUntil}}. Het is actief vanaf uw volgende aanmelding.',
        ],
      },
      fr: {
        subject: 'Accès accordé : {{role}} dans {{application}}',
        paragraphs: [
          "Votre demande (référence {{requestId}}) a été approuvée : vous disposez désormais du rôle {{role}} dans l'application {{application}} au nom de {{organisationName}}.",
          "Ce droit est valable jusqu'au {{validUntil}}. Il prendra effet lors de votre prochaine connexion.",
        ],
      },
      de: {
        subject: 'Zugang gewährt: {{role}} in {{application}}',
        paragraphs: [
          'Ihr Antrag (Referenz {{requestId}}) wurde genehmigt: Sie haben jetzt die Rolle {{role}} in der Anwendung {{application}} im Namen von {{organisationName}}.',
          'Dieses Recht gilt bis zum {{validUntil}}. Es wird bei Ihrer nächsten Anmeldung wirksam.',
        ],
      },
    },
  },

  'right-request-denied': {
    variables: ['requestId', 'organisationName', 'application', 'role', 'reason'],
    content: {
      en: {
        subject: 'Access request denied: {{role}} in {{application}}',
        paragraphs: [
          'Your request (reference {{requestId}}) for the role {{role}} in the application {{application}} on behalf of {{organisationName}} has been denied by a local administrator.',
          'Reason: {{reason}}',
          'If you have questions about this decision, please contact the local administrators of {{organisationName}}.',
        ],
      },
      nl: {
        subject: 'Toegangsaanvraag geweigerd: {{role}} in {{application}}',
        paragraphs: [
          'Uw aanvraag (referentie {{requestId}}) van de rol {{role}} in de toepassing {{application}} namens {{organisationName}} werd geweigerd door een lokale beheerder.',
          'Reden: {{reason}}',
          'Hebt u vragen over deze beslissing? Neem dan contact op met de lokale beheerders van {{organisationName}}.',
        ],
      },
      fr: {
        subject: "Demande d'accès refusée : {{role}} dans {{application}}",
        paragraphs: [
          "Votre demande (référence {{requestId}}) du rôle {{role}} dans l'application {{application}} au nom de {{organisationName}} a été refusée par un administrateur local.",
          'Motif : {{reason}}',
          'Pour toute question sur cette décision, veuillez contacter les administrateurs locaux de {{organisationName}}.',
        ],
      },
      de: {
        subject: 'Zugangsantrag abgelehnt: {{role}} in {{application}}',
        paragraphs: [
          'Ihr Antrag (Referenz {{requestId}}) auf die Rolle {{role}} in der Anwendung {{application}} im Namen von {{organisationName}} wurde von einem lokalen Verwalter abgelehnt.',
          'Begründung: {{reason}}',
          'Bei Fragen zu dieser Entscheidung wenden Sie sich bitte an die lokalen Verwalter von {{organisationName}}.',
        ],
      },
    },
  },

  'right-request-expired': {
    variables: ['requestId', 'organisationName', 'application', 'role'],
    content: {
      en: {
        subject: 'Access request closed: {{role}} in {{application}}',
        paragraphs: [
          'Your request (reference {{requestId}}) for the role {{role}} in the application {{application}} on behalf of {{organisationName}} has been closed because no decision was made in time.',
          'You can submit a new request in eID Access, or contact the local administrators of {{organisationName}}.',
        ],
      },
      nl: {
        subject: 'Toegangsaanvraag afgesloten: {{role}} in {{application}}',
        paragraphs: [
          'Uw aanvraag (referentie {{requestId}}) van de rol {{role}} in de toepassing {{application}} namens {{organisationName}} werd afgesloten omdat er niet tijdig een beslissing werd genomen.',
          'U kunt in eID Access een nieuwe aanvraag indienen of contact opnemen met de lokale beheerders van {{organisationName}}.',
        ],
      },
      fr: {
        subject: "Demande d'accès clôturée : {{role}} dans {{application}}",
        paragraphs: [
          "Votre demande (référence {{requestId}}) du rôle {{role}} dans l'application {{application}} au nom de {{organisationName}} a été clôturée, car aucune décision n'a été prise dans les délais.",
          'Vous pouvez introduire une nouvelle demande dans eID Access ou contacter les administrateurs locaux de {{organisationName}}.',
        ],
      },
      de: {
        subject: 'Zugangsantrag geschlossen: {{role}} in {{application}}',
        paragraphs: [
          'Ihr Antrag (Referenz {{requestId}}) auf die Rolle {{role}} in der Anwendung {{application}} im Namen von {{organisationName}} wurde geschlossen, da nicht rechtzeitig darüber entschieden wurde.',
          'Sie können in eID Access einen neuen Antrag stellen oder sich an die lokalen Verwalter von {{organisationName}} wenden.',
        ],
      },
    },
  },

  'grant-expiring': {
    variables: ['organisationName', 'application', 'role', 'validUntil'],
    content: {
      en: {
        subject: 'Your access to {{application}} expires on {{validUntil}}',
        paragraphs: [
          'Your role {{role}} in the application {{application}} on behalf of {{organisationName}} is valid until {{validUntil}}.',
          'If you still need this access after that date, please submit a new request in eID Access in good time, so that a local administrator of {{organisationName}} can approve it before your access expires.',
        ],
      },
      nl: {
        subject: 'Uw toegang tot {{application}} verloopt op {{validUntil}}',
        paragraphs: [
          'Uw rol {{role}} in de toepassing {{application}} namens {{organisationName}} is geldig tot {{validUntil}}.',
          'Hebt u deze toegang daarna nog nodig? Dien dan tijdig een nieuwe aanvraag in via eID Access, zodat een lokale beheerder van {{organisationName}} ze kan goedkeuren voordat uw toegang verloopt.',
        ],
      },
      fr: {
        subject: 'Votre accès à {{application}} expire le {{validUntil}}',
        paragraphs: [
          "Votre rôle {{role}} dans l'application {{application}} au nom de {{organisationName}} est valable jusqu'au {{validUntil}}.",
          "Si vous avez encore besoin de cet accès après cette date, veuillez introduire à temps une nouvelle demande dans eID Access, afin qu'un administrateur local de {{organisationName}} puisse l'approuver avant l'expiration de votre accès.",
        ],
      },
      de: {
        subject: 'Ihr Zugang zu {{application}} läuft am {{validUntil}} ab',
        paragraphs: [
          'Ihre Rolle {{role}} in der Anwendung {{application}} im Namen von {{organisationName}} gilt bis zum {{validUntil}}.',
          'Wenn Sie diesen Zugang danach weiterhin benötigen, stellen Sie bitte rechtzeitig einen neuen Antrag in eID Access, damit ein lokaler Verwalter von {{organisationName}} ihn vor Ablauf genehmigen kann.',
        ],
      },
    },
  },

  'grant-expired': {
    variables: ['organisationName', 'application', 'role', 'validUntil'],
    content: {
      en: {
        subject: 'Your access to {{application}} has ended',
        paragraphs: [
          'Your role {{role}} in the application {{application}} on behalf of {{organisationName}} was valid until {{validUntil}} and has now been removed.',
          'If you need this access again, please submit a new request in eID Access; a local administrator of {{organisationName}} decides on it.',
        ],
      },
      nl: {
        subject: 'Uw toegang tot {{application}} is beëindigd',
        paragraphs: [
          'Uw rol {{role}} in de toepassing {{application}} namens {{organisationName}} was geldig tot {{validUntil}} en is nu verwijderd.',
          'Hebt u deze toegang opnieuw nodig? Dien dan een nieuwe aanvraag in via eID Access; een lokale beheerder van {{organisationName}} beslist erover.',
        ],
      },
      fr: {
        subject: 'Votre accès à {{application}} a pris fin',
        paragraphs: [
          "Votre rôle {{role}} dans l'application {{application}} au nom de {{organisationName}} était valable jusqu'au {{validUntil}} et a maintenant été retiré.",
          'Si vous avez à nouveau besoin de cet accès, veuillez introduire une nouvelle demande dans eID Access ; un administrateur local de {{organisationName}} en décidera.',
        ],
      },
      de: {
        subject: 'Ihr Zugang zu {{application}} ist beendet',
        paragraphs: [
          'Ihre Rolle {{role}} in der Anwendung {{application}} im Namen von {{organisationName}} galt bis zum {{validUntil}} und wurde nun entfernt.',
          'Wenn Sie diesen Zugang wieder benötigen, stellen Sie bitte einen neuen Antrag in eID Access; ein lokaler Verwalter von {{organisationName}} entscheidet darüber.',
        ],
      },
    },
  },

  'native-account-activation': {
    variables: ['username', 'temporaryPassword', 'validityDays'],
    content: {
      en: {
        subject: 'Your eID Access account is ready',
        paragraphs: [
          'A registration office has created an eID Access account for you.',
          'Username: {{username}}\nTemporary password: {{temporaryPassword}}',
          'The temporary password is valid for {{validityDays}} days. At your first login you choose your own password; you then confirm your login with a code from your code card (sent in a separate e-mail) or, later, with an authenticator app.',
          'If you did not ask for this account, please contact the registration office.',
        ],
      },
      nl: {
        subject: 'Uw account bij eID Access is klaar',
        paragraphs: [
          'Een registratiekantoor heeft een account bij eID Access voor u aangemaakt.',
          'Gebruikersnaam: {{username}}\nTijdelijk wachtwoord: {{temporaryPassword}}',
          'Het tijdelijke wachtwoord is {{validityDays}} dagen geldig. Bij uw eerste aanmelding kiest u zelf een wachtwoord; daarna bevestigt u uw aanmelding met een code van uw codekaart (in een aparte e-mail verstuurd) of, later, met een authenticatie-app.',
          'Hebt u deze account niet aangevraagd? Neem dan contact op met het registratiekantoor.',
        ],
      },
      fr: {
        subject: 'Votre compte eID Access est prêt',
        paragraphs: [
          "Un bureau d'enregistrement a créé pour vous un compte eID Access.",
          "Nom d'utilisateur : {{username}}\nMot de passe temporaire : {{temporaryPassword}}",
          "Le mot de passe temporaire est valable {{validityDays}} jours. Lors de votre première connexion, vous choisissez votre propre mot de passe ; vous confirmez ensuite votre connexion avec un code de votre carte de codes (envoyée dans un e-mail séparé) ou, plus tard, avec une application d'authentification.",
          "Si vous n'avez pas demandé ce compte, veuillez contacter le bureau d'enregistrement.",
        ],
      },
      de: {
        subject: 'Ihr Konto bei eID Access ist bereit',
        paragraphs: [
          'Eine Registrierungsstelle hat für Sie ein Konto bei eID Access eingerichtet.',
          'Benutzername: {{username}}\nVorläufiges Passwort: {{temporaryPassword}}',
          'Das vorläufige Passwort ist {{validityDays}} Tage gültig. Bei Ihrer ersten Anmeldung wählen Sie Ihr eigenes Passwort; danach bestätigen Sie die Anmeldung mit einem Code Ihrer Codekarte (in einer separaten E-Mail) oder später mit einer Authenticator-App.',
          'Wenn Sie dieses Konto nicht beantragt haben, wenden Sie sich bitte an die Registrierungsstelle.',
        ],
      },
    },
  },

  'native-code-card': {
    variables: ['cardId', 'issuedOn'],
    content: {
      en: {
        subject: 'Your new eID Access code card',
        paragraphs: [
          'Attached is your new code card (reference {{cardId}}, issued on {{issuedOn}}). Print it or keep it somewhere only you can reach.',
          'At login you are asked the code at one position of the card. Your previous card, if you had one, no longer works.',
          'If you did not ask for a new card, please contact the registration office at once.',
        ],
      },
      nl: {
        subject: 'Uw nieuwe codekaart voor eID Access',
        paragraphs: [
          'In bijlage vindt u uw nieuwe codekaart (referentie {{cardId}}, uitgegeven op {{issuedOn}}). Druk ze af of bewaar ze op een plaats waar alleen u bij kunt.',
          'Bij het aanmelden wordt de code op één positie van de kaart gevraagd. Uw vorige kaart, als u er een had, werkt niet meer.',
          'Hebt u geen nieuwe kaart gevraagd? Neem dan meteen contact op met het registratiekantoor.',
        ],
      },
      fr: {
        subject: 'Votre nouvelle carte de codes eID Access',
        paragraphs: [
          'Vous trouverez en annexe votre nouvelle carte de codes (référence {{cardId}}, émise le {{issuedOn}}). Imprimez-la ou conservez-la dans un endroit auquel vous seul avez accès.',
          "Lors de la connexion, le code d'une position de la carte vous est demandé. Votre carte précédente, si vous en aviez une, ne fonctionne plus.",
          "Si vous n'avez pas demandé de nouvelle carte, contactez immédiatement le bureau d'enregistrement.",
        ],
      },
      de: {
        subject: 'Ihre neue Codekarte für eID Access',
        paragraphs: [
          'Im Anhang finden Sie Ihre neue Codekarte (Referenz {{cardId}}, ausgestellt am {{issuedOn}}). Drucken Sie sie aus oder bewahren Sie sie an einem Ort auf, zu dem nur Sie Zugang haben.',
          'Bei der Anmeldung wird der Code an einer Position der Karte abgefragt. Ihre bisherige Karte, falls vorhanden, gilt nicht mehr.',
          'Wenn Sie keine neue Karte angefordert haben, wenden Sie sich bitte sofort an die Registrierungsstelle.',
        ],
      },
    },
  },
  'identity-insz-linked': {
    variables: ['date', 'provider'],
    content: {
      en: {
        subject: 'A national number was linked to your eID Access account',
        paragraphs: [
          'On {{date}} a Belgian national number was linked to your eID Access account, after a login with {{provider}}.',
          'You can see every change to your account under "Activity" after signing in to eID Access.',
          'If this was not you, please contact the service desk at once.',
        ],
      },
      nl: {
        subject: 'Er werd een rijksregisternummer gekoppeld aan uw eID Access-account',
        paragraphs: [
          'Op {{date}} werd een Belgisch rijksregisternummer gekoppeld aan uw eID Access-account, na een aanmelding met {{provider}}.',
          'Elke wijziging aan uw account ziet u onder "Activiteit" nadat u zich hebt aangemeld bij eID Access.',
          'Was u dit niet? Neem dan meteen contact op met de servicedesk.',
        ],
      },
      fr: {
        subject: 'Un numéro de registre national a été lié à votre compte eID Access',
        paragraphs: [
          'Le {{date}}, un numéro de registre national belge a été lié à votre compte eID Access, après une connexion avec {{provider}}.',
          'Vous pouvez consulter chaque modification de votre compte sous « Activité » après vous être connecté à eID Access.',
          "Si ce n'était pas vous, contactez immédiatement le service d'assistance.",
        ],
      },
      de: {
        subject: 'Eine Nationalregisternummer wurde mit Ihrem eID Access-Konto verknüpft',
        paragraphs: [
          'Am {{date}} wurde eine belgische Nationalregisternummer mit Ihrem eID Access-Konto verknüpft, nach einer Anmeldung mit {{provider}}.',
          'Jede Änderung an Ihrem Konto sehen Sie unter „Aktivität“, nachdem Sie sich bei eID Access angemeldet haben.',
          'Wenn Sie das nicht waren, wenden Sie sich bitte sofort an den Service-Desk.',
        ],
      },
    },
  },

  'identity-identity-linked': {
    variables: ['date', 'provider'],
    content: {
      en: {
        subject: 'A new way to log in was added to your eID Access account',
        paragraphs: [
          'On {{date}} a login with {{provider}} was added to your eID Access account. From now on it signs you in to the same account.',
          'You can see every change to your account under "Activity" after signing in to eID Access.',
          'If this was not you, please contact the service desk at once.',
        ],
      },
      nl: {
        subject: 'Er werd een nieuwe aanmeldmethode toegevoegd aan uw eID Access-account',
        paragraphs: [
          'Op {{date}} werd een aanmelding met {{provider}} toegevoegd aan uw eID Access-account. Voortaan meldt die u aan bij hetzelfde account.',
          'Elke wijziging aan uw account ziet u onder "Activiteit" nadat u zich hebt aangemeld bij eID Access.',
          'Was u dit niet? Neem dan meteen contact op met de servicedesk.',
        ],
      },
      fr: {
        subject: 'Un nouveau moyen de connexion a été ajouté à votre compte eID Access',
        paragraphs: [
          'Le {{date}}, une connexion avec {{provider}} a été ajoutée à votre compte eID Access. Elle vous connecte désormais au même compte.',
          'Vous pouvez consulter chaque modification de votre compte sous « Activité » après vous être connecté à eID Access.',
          "Si ce n'était pas vous, contactez immédiatement le service d'assistance.",
        ],
      },
      de: {
        subject: 'Ihrem eID Access-Konto wurde eine neue Anmeldemöglichkeit hinzugefügt',
        paragraphs: [
          'Am {{date}} wurde Ihrem eID Access-Konto eine Anmeldung mit {{provider}} hinzugefügt. Sie meldet Sie künftig bei demselben Konto an.',
          'Jede Änderung an Ihrem Konto sehen Sie unter „Aktivität“, nachdem Sie sich bei eID Access angemeldet haben.',
          'Wenn Sie das nicht waren, wenden Sie sich bitte sofort an den Service-Desk.',
        ],
      },
    },
  },

  'identity-identities-joined': {
    variables: ['date', 'reference'],
    content: {
      en: {
        subject: 'Two of your eID Access logins were connected',
        paragraphs: [
          'On {{date}} you connected two ways of logging in to eID Access: from now on both sign you in to the same account (reference {{reference}}).',
          'You can see every change to your account under "Activity" after signing in to eID Access.',
          'If this was not you, please contact the service desk at once and quote the reference.',
        ],
      },
      nl: {
        subject: 'Twee van uw aanmeldmethodes voor eID Access werden verbonden',
        paragraphs: [
          'Op {{date}} hebt u twee manieren om u aan te melden bij eID Access verbonden: voortaan melden beide u aan bij hetzelfde account (referentie {{reference}}).',
          'Elke wijziging aan uw account ziet u onder "Activiteit" nadat u zich hebt aangemeld bij eID Access.',
          'Was u dit niet? Neem dan meteen contact op met de servicedesk en vermeld de referentie.',
        ],
      },
      fr: {
        subject: 'Deux de vos moyens de connexion à eID Access ont été reliés',
        paragraphs: [
          'Le {{date}}, vous avez relié deux moyens de connexion à eID Access : désormais, les deux vous connectent au même compte (référence {{reference}}).',
          'Vous pouvez consulter chaque modification de votre compte sous « Activité » après vous être connecté à eID Access.',
          "Si ce n'était pas vous, contactez immédiatement le service d'assistance en mentionnant la référence.",
        ],
      },
      de: {
        subject: 'Zwei Ihrer Anmeldungen bei eID Access wurden verbunden',
        paragraphs: [
          'Am {{date}} haben Sie zwei Anmeldemöglichkeiten bei eID Access verbunden: Künftig melden beide Sie bei demselben Konto an (Referenz {{reference}}).',
          'Jede Änderung an Ihrem Konto sehen Sie unter „Aktivität“, nachdem Sie sich bei eID Access angemeldet haben.',
          'Wenn Sie das nicht waren, wenden Sie sich bitte sofort an den Service-Desk und nennen Sie die Referenz.',
        ],
      },
    },
  },

  'identity-join-refused': {
    variables: ['date', 'provider'],
    content: {
      en: {
        subject: 'Someone tried to link your national number to another eID Access login',
        paragraphs: [
          'On {{date}} someone who logged in with {{provider}} tried to link the national number of your eID Access account to their login. We refused: nothing was changed to your account.',
          'If this was you, sign in with the login you already use and choose "Connect another login" to connect both.',
          'If this was not you, please contact the service desk.',
        ],
      },
      nl: {
        subject:
          'Iemand probeerde uw rijksregisternummer te koppelen aan een andere aanmelding bij eID Access',
        paragraphs: [
          'Op {{date}} probeerde iemand die zich aanmeldde met {{provider}} het rijksregisternummer van uw eID Access-account aan zijn of haar aanmelding te koppelen. We hebben dat geweigerd: aan uw account werd niets gewijzigd.',
          'Was u dit zelf? Meld u dan aan met de manier die u al gebruikt en kies "Een andere aanmelding verbinden" om beide te verbinden.',
          'Was u dit niet? Neem dan contact op met de servicedesk.',
        ],
      },
      fr: {
        subject:
          "Quelqu'un a tenté de lier votre numéro de registre national à une autre connexion eID Access",
        paragraphs: [
          "Le {{date}}, une personne connectée avec {{provider}} a tenté de lier le numéro de registre national de votre compte eID Access à sa connexion. Nous avons refusé : rien n'a été modifié à votre compte.",
          "Si c'était vous, connectez-vous avec le moyen que vous utilisez déjà et choisissez « Relier une autre connexion » pour relier les deux.",
          "Si ce n'était pas vous, contactez le service d'assistance.",
        ],
      },
      de: {
        subject:
          'Jemand hat versucht, Ihre Nationalregisternummer mit einer anderen Anmeldung bei eID Access zu verknüpfen',
        paragraphs: [
          'Am {{date}} hat jemand, der sich mit {{provider}} angemeldet hat, versucht, die Nationalregisternummer Ihres eID Access-Kontos mit seiner Anmeldung zu verknüpfen. Wir haben das abgelehnt: An Ihrem Konto wurde nichts geändert.',
          'Wenn Sie das waren, melden Sie sich mit der Anmeldung an, die Sie bereits nutzen, und wählen Sie „Andere Anmeldung verbinden“, um beide zu verbinden.',
          'Wenn Sie das nicht waren, wenden Sie sich bitte an den Service-Desk.',
        ],
      },
    },
  },

  'identity-insz-suspended': {
    variables: ['date', 'reference'],
    content: {
      en: {
        subject: 'Your eID Access account is suspended while we check your identity',
        paragraphs: [
          'On {{date}} someone logged in with an identity that was verified against the eID card (for example itsme) and that carries the national number linked to your account. The verified login now holds the number.',
          'Until the service desk has checked the case (reference {{reference}}), your account has no national number and no roles. You can still sign in.',
          'Please contact the service desk and quote the reference.',
        ],
      },
      nl: {
        subject: 'Uw eID Access-account is opgeschort terwijl we uw identiteit nakijken',
        paragraphs: [
          'Op {{date}} meldde iemand zich aan met een identiteit die gecontroleerd werd tegen de eID-kaart (bijvoorbeeld itsme) en die het rijksregisternummer van uw account draagt. Die gecontroleerde aanmelding heeft het nummer nu.',
          'Tot de servicedesk het dossier (referentie {{reference}}) heeft nagekeken, heeft uw account geen rijksregisternummer en geen rollen. U kunt zich nog aanmelden.',
          'Neem contact op met de servicedesk en vermeld de referentie.',
        ],
      },
      fr: {
        subject: 'Votre compte eID Access est suspendu pendant que nous vérifions votre identité',
        paragraphs: [
          "Le {{date}}, une personne s'est connectée avec une identité vérifiée par la carte eID (par exemple itsme) qui porte le numéro de registre national lié à votre compte. Cette connexion vérifiée détient désormais le numéro.",
          "Jusqu'à ce que le service d'assistance ait examiné le dossier (référence {{reference}}), votre compte n'a ni numéro de registre national ni rôles. Vous pouvez toujours vous connecter.",
          "Veuillez contacter le service d'assistance en mentionnant la référence.",
        ],
      },
      de: {
        subject: 'Ihr eID Access-Konto ist gesperrt, während wir Ihre Identität prüfen',
        paragraphs: [
          'Am {{date}} hat sich jemand mit einer anhand der eID-Karte geprüften Identität (zum Beispiel itsme) angemeldet, die die mit Ihrem Konto verknüpfte Nationalregisternummer trägt. Diese geprüfte Anmeldung hat die Nummer jetzt.',
          'Bis der Service-Desk den Fall (Referenz {{reference}}) geprüft hat, hat Ihr Konto keine Nationalregisternummer und keine Rollen. Sie können sich weiterhin anmelden.',
          'Bitte wenden Sie sich an den Service-Desk und nennen Sie die Referenz.',
        ],
      },
    },
  },

  'identity-suspension-resolved': {
    variables: ['date', 'reference'],
    content: {
      en: {
        subject: 'The service desk has decided on the case of your eID Access account',
        paragraphs: [
          'On {{date}} a security officer decided on the case {{reference}} of your eID Access account.',
          'Sign in to eID Access to see the decision under "Activity".',
          'If you have questions, please contact the service desk and quote the reference.',
        ],
      },
      nl: {
        subject: 'De servicedesk heeft beslist over het dossier van uw eID Access-account',
        paragraphs: [
          'Op {{date}} heeft een beveiligingsmedewerker beslist over het dossier {{reference}} van uw eID Access-account.',
          'Meld u aan bij eID Access om de beslissing te zien onder "Activiteit".',
          'Hebt u vragen? Neem dan contact op met de servicedesk en vermeld de referentie.',
        ],
      },
      fr: {
        subject: "Le service d'assistance a statué sur le dossier de votre compte eID Access",
        paragraphs: [
          'Le {{date}}, un agent de sécurité a statué sur le dossier {{reference}} de votre compte eID Access.',
          'Connectez-vous à eID Access pour voir la décision sous « Activité ».',
          "Pour toute question, contactez le service d'assistance en mentionnant la référence.",
        ],
      },
      de: {
        subject: 'Der Service-Desk hat über den Fall Ihres eID Access-Kontos entschieden',
        paragraphs: [
          'Am {{date}} hat ein Sicherheitsbeauftragter über den Fall {{reference}} Ihres eID Access-Kontos entschieden.',
          'Melden Sie sich bei eID Access an, um die Entscheidung unter „Aktivität“ zu sehen.',
          'Bei Fragen wenden Sie sich bitte an den Service-Desk und nennen Sie die Referenz.',
        ],
      },
    },
  },

  'identity-office-account-requested': {
    variables: ['date', 'reference'],
    content: {
      en: {
        subject: 'A registration office asked to create an account for you',
        paragraphs: [
          'On {{date}} a registration officer asked to create a username-and-password account for the person of your eID Access account (reference {{reference}}). A second officer must confirm it before it exists.',
          'If you asked for this at a registration office, there is nothing to do.',
          'If you did not, please contact the service desk at once and quote the reference.',
        ],
      },
      nl: {
        subject: 'Een registratiekantoor vroeg om een account voor u aan te maken',
        paragraphs: [
          'Op {{date}} vroeg een registratiemedewerker om een account met gebruikersnaam en wachtwoord aan te maken voor de persoon van uw eID Access-account (referentie {{reference}}). Een tweede medewerker moet dat bevestigen voor het bestaat.',
          'Hebt u dit gevraagd bij een registratiekantoor? Dan hoeft u niets te doen.',
          'Hebt u dit niet gevraagd? Neem dan meteen contact op met de servicedesk en vermeld de referentie.',
        ],
      },
      fr: {
        subject: "Un bureau d'enregistrement a demandé la création d'un compte pour vous",
        paragraphs: [
          "Le {{date}}, un agent d'enregistrement a demandé la création d'un compte avec nom d'utilisateur et mot de passe pour la personne de votre compte eID Access (référence {{reference}}). Un second agent doit le confirmer avant qu'il n'existe.",
          "Si vous l'avez demandé dans un bureau d'enregistrement, vous n'avez rien à faire.",
          "Sinon, contactez immédiatement le service d'assistance en mentionnant la référence.",
        ],
      },
      de: {
        subject: 'Eine Registrierungsstelle hat beantragt, ein Konto für Sie anzulegen',
        paragraphs: [
          'Am {{date}} hat ein Registrierungsbeauftragter beantragt, für die Person Ihres eID Access-Kontos ein Konto mit Benutzername und Passwort anzulegen (Referenz {{reference}}). Ein zweiter Beauftragter muss das bestätigen, bevor es angelegt wird.',
          'Wenn Sie das bei einer Registrierungsstelle beantragt haben, müssen Sie nichts tun.',
          'Wenn nicht, wenden Sie sich bitte sofort an den Service-Desk und nennen Sie die Referenz.',
        ],
      },
    },
  },

  'identity-office-account-created': {
    variables: ['date'],
    content: {
      en: {
        subject: 'A registration office created an account for you',
        paragraphs: [
          'On {{date}} a registration office created a username-and-password account for the person of your eID Access account. It signs you in to the same account.',
          'You can see every change to your account under "Activity" after signing in to eID Access.',
          'If you did not ask for this, please contact the service desk at once.',
        ],
      },
      nl: {
        subject: 'Een registratiekantoor heeft een account voor u aangemaakt',
        paragraphs: [
          'Op {{date}} heeft een registratiekantoor een account met gebruikersnaam en wachtwoord aangemaakt voor de persoon van uw eID Access-account. Het meldt u aan bij hetzelfde account.',
          'Elke wijziging aan uw account ziet u onder "Activiteit" nadat u zich hebt aangemeld bij eID Access.',
          'Hebt u dit niet gevraagd? Neem dan meteen contact op met de servicedesk.',
        ],
      },
      fr: {
        subject: "Un bureau d'enregistrement a créé un compte pour vous",
        paragraphs: [
          "Le {{date}}, un bureau d'enregistrement a créé un compte avec nom d'utilisateur et mot de passe pour la personne de votre compte eID Access. Il vous connecte au même compte.",
          'Vous pouvez consulter chaque modification de votre compte sous « Activité » après vous être connecté à eID Access.',
          "Si vous ne l'avez pas demandé, contactez immédiatement le service d'assistance.",
        ],
      },
      de: {
        subject: 'Eine Registrierungsstelle hat ein Konto für Sie angelegt',
        paragraphs: [
          'Am {{date}} hat eine Registrierungsstelle für die Person Ihres eID Access-Kontos ein Konto mit Benutzername und Passwort angelegt. Es meldet Sie bei demselben Konto an.',
          'Jede Änderung an Ihrem Konto sehen Sie unter „Aktivität“, nachdem Sie sich bei eID Access angemeldet haben.',
          'Wenn Sie das nicht beantragt haben, wenden Sie sich bitte sofort an den Service-Desk.',
        ],
      },
    },
  },
  'identity-administrator-appointment': {
    variables: ['date', 'organisationName', 'reference'],
    content: {
      en: {
        subject: 'You are now local administrator of {{organisationName}}',
        paragraphs: [
          'A local administrator of {{organisationName}} (organisation code {{reference}}) appointed you as local administrator in eID Access with your national number. The appointment took effect on {{date}}, when your national number was confirmed.',
          'You can now manage the organisation’s members and their rights after signing in to eID Access.',
          'If you do not know this organisation, please contact the service desk at once.',
        ],
      },
      nl: {
        subject: 'U bent nu lokale beheerder van {{organisationName}}',
        paragraphs: [
          'Een lokale beheerder van {{organisationName}} (organisatiecode {{reference}}) heeft u met uw rijksregisternummer aangesteld als lokale beheerder in eID Access. De aanstelling ging in op {{date}}, toen uw rijksregisternummer werd bevestigd.',
          'U kunt nu de leden van de organisatie en hun rechten beheren nadat u zich hebt aangemeld bij eID Access.',
          'Kent u deze organisatie niet? Neem dan meteen contact op met de servicedesk.',
        ],
      },
      fr: {
        subject: 'Vous êtes désormais administrateur local de {{organisationName}}',
        paragraphs: [
          'Un administrateur local de {{organisationName}} (code d’organisation {{reference}}) vous a désigné administrateur local dans eID Access avec votre numéro de registre national. La désignation a pris effet le {{date}}, lorsque votre numéro de registre national a été confirmé.',
          'Vous pouvez désormais gérer les membres de l’organisation et leurs droits après vous être connecté à eID Access.',
          'Si vous ne connaissez pas cette organisation, contactez immédiatement le service d’assistance.',
        ],
      },
      de: {
        subject: 'Sie sind jetzt lokaler Administrator von {{organisationName}}',
        paragraphs: [
          'Ein lokaler Administrator von {{organisationName}} (Organisationscode {{reference}}) hat Sie mit Ihrer Nationalregisternummer als lokalen Administrator in eID Access bestellt. Die Bestellung wurde am {{date}} wirksam, als Ihre Nationalregisternummer bestätigt wurde.',
          'Sie können jetzt nach der Anmeldung bei eID Access die Mitglieder der Organisation und ihre Rechte verwalten.',
          'Wenn Sie diese Organisation nicht kennen, wenden Sie sich bitte sofort an den Service-Desk.',
        ],
      },
    },
  },
  'identity-membership-registration': {
    variables: ['date', 'organisationName', 'reference'],
    content: {
      en: {
        subject: 'You are now a member of {{organisationName}}',
        paragraphs: [
          'A local administrator of {{organisationName}} (organisation code {{reference}}) registered you as a member in eID Access with your national number, with the roles they granted you. The registration took effect on {{date}}, when your national number was confirmed.',
          'You can see the organisation and your roles under “My profile” after signing in to eID Access.',
          'If you do not know this organisation, please contact the service desk at once.',
        ],
      },
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
    },
  },
  'identity-role-granted': {
    variables: ['date', 'organisationName', 'reference', 'roleName', 'validUntil'],
    content: {
      en: {
        subject: 'You have a new role at {{organisationName}}',
        paragraphs: [
          'On {{date}} a local administrator of {{organisationName}} (organisation code {{reference}}) granted you the role “{{roleName}}” in eID Access, valid until {{validUntil}}.',
          'The applications of the organisation show it after your next sign-in; you see it under “My profile”.',
          'If you do not know this organisation, please contact the service desk at once.',
        ],
      },
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
    },
  },
} as const satisfies Record<string, TemplateDefinition>;

type Definitions = typeof definitions;

/** A template id (kebab-case). */
export type TemplateId = keyof Definitions;

/** Every template id, in definition order. */
export const TEMPLATE_IDS = Object.keys(definitions) as TemplateId[];

/** The variables template `T` needs. */
export type TemplateVariable<T extends TemplateId> = Definitions[T]['variables'][number];

/**
 * The data template `T` needs: exactly its variables, as display-ready strings.
 * - `bisNumber`: the printed form `YY.MM.DD-SSS.CC` (`formatInsz`), only ever the recipient's own number;
 * - `validUntil`: an ISO-8601 date `YYYY-MM-DD`, unambiguous in every language;
 * - `reason`: the decision-maker's free text, shown as written (HTML-escaped in the HTML part).
 */
export type TemplateData<T extends TemplateId> = { readonly [K in TemplateVariable<T>]: string };

/** A template's rendered or renderable parts. */
export interface MailParts {
  subject: string;
  text: string;
  html: string;
}

/** Authoring view: one template with, per locale, subject, text and HTML using `{{variable}}` placeholders. */
export interface MailTemplate<T extends TemplateId = TemplateId> {
  readonly id: T;
  readonly variables: readonly TemplateVariable<T>[];
  readonly locales: { readonly [L in Locale]: MailParts };
}

/** The parts of an SES template (AWS::SES::Template `Template` property, camelCase for CDK). */
export interface SesTemplateParts {
  subjectPart: string;
  textPart: string;
  htmlPart: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/**
 * Escapes a value for HTML text and attribute content, with the same character set Handlebars (and so
 * SES) escapes for `{{x}}`: & < > " ' ` =.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (char) => HTML_ENTITIES[char] ?? char);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/** Static template text into HTML: escaped (placeholders untouched) and line breaks kept. */
function staticTextToHtml(text: string): string {
  return text
    .replace(/[&<>]/g, (char) => HTML_ENTITIES[char] ?? char)
    .split('\n')
    .join('<br>\n');
}

function composeText(frame: Frame, content: LocalizedContent): string {
  return [frame.greeting, ...content.paragraphs, frame.signOff, `-- \n${frame.footer}`].join('\n\n');
}

function composeHtml(locale: Locale, frame: Frame, content: LocalizedContent): string {
  const paragraph = (text: string) => `<p>${staticTextToHtml(text)}</p>`;
  return [
    '<!DOCTYPE html>',
    `<html lang="${locale}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5; color: #1a1a1a;">',
    paragraph(frame.greeting),
    ...content.paragraphs.map(paragraph),
    paragraph(frame.signOff),
    `<p style="font-size: 12px; color: #666666;">${staticTextToHtml(frame.footer)}</p>`,
    '</body>',
    '</html>',
  ].join('\n');
}

function buildTemplate<T extends TemplateId>(id: T): MailTemplate<T> {
  const definition: TemplateDefinition = definitions[id];
  const locales = Object.fromEntries(
    LOCALES.map((locale) => {
      const content = definition.content[locale];
      const frame = frames[locale];
      const parts: MailParts = {
        subject: content.subject,
        text: composeText(frame, content),
        html: composeHtml(locale, frame, content),
      };
      return [locale, parts];
    }),
  ) as { [L in Locale]: MailParts };
  return { id, variables: definition.variables as readonly TemplateVariable<T>[], locales };
}

/** Every template in its authoring view, by id. */
export const mailTemplates: { readonly [T in TemplateId]: MailTemplate<T> } = Object.fromEntries(
  TEMPLATE_IDS.map((id) => [id, buildTemplate(id)]),
) as { [T in TemplateId]: MailTemplate<T> };

/**
 * The SES template parts of one template in one locale. Subject and text use raw `{{{x}}}` (plain text
 * must not show `&amp;`), the HTML part escaped `{{x}}`.
 */
export function sesTemplateParts(id: TemplateId, locale: Locale): SesTemplateParts {
  const parts = mailTemplates[id].locales[locale];
  const raw = (text: string) => text.replace(PLACEHOLDER, '{{{$1}}}');
  return { subjectPart: raw(parts.subject), textPart: raw(parts.text), htmlPart: parts.html };
}

/** Longest SES template name SES accepts. */
export const MAX_TEMPLATE_NAME_LENGTH = 64;

/** The SES template name of one template in one locale: `${prefix}-${id}-${locale}`. */
export function sesTemplateName(prefix: string, id: TemplateId, locale: Locale): string {
  return `${prefix}-${id}-${locale}`;
}

/**
 * Picks the mail locale from a person's locale in any common spelling (`nl-BE`, `fr`, `de_DE`, `EN`);
 * anything unknown or missing gives {@link DEFAULT_LOCALE}.
 */
export function resolveLocale(locale?: string | null): Locale {
  const language = locale?.trim().toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((candidate) => candidate === language) ?? DEFAULT_LOCALE;
}

/** Thrown when template data lacks a variable the template uses (a bug: the types prevent it). */
export class MissingTemplateVariableError extends Error {
  constructor(templateId: string, variable: string) {
    super(`Template ${templateId} needs variable ${variable}`);
    this.name = 'MissingTemplateVariableError';
  }
}

/** Handlebars substitution as SES does it: `{{{x}}}` raw, `{{x}}` HTML-escaped, one pass (values are never re-read). */
function substitute(templateId: string, source: string, data: Readonly<Record<string, string>>): string {
  return source.replace(
    /\{\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}\}|\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g,
    (_match, rawName: string | undefined, escapedName: string | undefined) => {
      const name = rawName ?? escapedName ?? '';
      const value = data[name];
      if (value === undefined) throw new MissingTemplateVariableError(templateId, name);
      return rawName === undefined ? escapeHtml(value) : value;
    },
  );
}

/**
 * Renders a template locally exactly as SES renders its stored template: same parts, same escaping.
 * The locale may be any spelling `resolveLocale` accepts.
 */
export function renderTemplate<T extends TemplateId>(
  id: T,
  locale: string | undefined,
  data: TemplateData<T>,
): MailParts & { locale: Locale } {
  const resolved = resolveLocale(locale);
  const parts = sesTemplateParts(id, resolved);
  const values = data as Readonly<Record<string, string>>;
  return {
    locale: resolved,
    subject: substitute(id, parts.subjectPart, values),
    text: substitute(id, parts.textPart, values),
    html: substitute(id, parts.htmlPart, values),
  };
}
