import type { TemplateCopy } from '../templates.ts';

/** The `identity-insz-suspended` mail: per locale its subject and body paragraphs, with `{{variable}}` placeholders. */
export const identityInszSuspended: TemplateCopy = {
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
  en: {
    subject: 'Your eID Access account is suspended while we check your identity',
    paragraphs: [
      'On {{date}} someone logged in with an identity that was verified against the eID card (for example itsme) and that carries the national number linked to your account. The verified login now holds the number.',
      'Until the service desk has checked the case (reference {{reference}}), your account has no national number and no roles. You can still sign in.',
      'Please contact the service desk and quote the reference.',
    ],
  },
};
