/**
 * The texts of the identity-integrity pages (connect another login, evidence on the profile, the
 * activity log), kept apart from i18n/messages.ts so this feature adds keys without touching the
 * portal's main catalogue. English defines the keys; Dutch and French are complete (their type says
 * so); German, like the rest of the portal, falls back to English. Placeholders are `{name}`.
 */
import { FALLBACK_LANGUAGE, type Language, type MessageParams } from '../i18n/i18n.ts';

const en = {
  'nav.activity': 'My activity',
  'nav.connect': 'Connect another login',
  'evidence.heading': 'How you log in',
  'evidence.intro': 'Each way you log in opens this one account. Next to it: why it belongs to you.',
  'evidence.insz': 'Your Belgian number is known because it was {evidence}.',
  'evidence.itsme-eid': 'verified by itsme',
  'evidence.eudi-pid': 'verified by the EU Digital Identity Wallet',
  'evidence.register-match': 'matched with the national register',
  'evidence.bis-issued': 'issued by the platform',
  'evidence.registration-office': 'checked at a registration office',
  'evidence.connected': 'connected by you',
  'evidence.first-login': 'first login',
  'evidence.unknown': 'recorded before evidence was kept',
  'evidence.login': 'Login',
  'evidence.why': 'Why it is yours',
  'evidence.since': 'Since',
  'evidence.loa': 'Level of assurance',
  'loa.low': 'low',
  'loa.substantial': 'substantial',
  'loa.high': 'high',
  'provider.itsme': 'itsme',
  'provider.eidas': 'European eID (eIDAS)',
  'provider.native': 'Username and code',
  'provider.eudi': 'EU Digital Identity Wallet',
  'suspended.heading': 'Your rights are suspended',
  'suspended.text':
    'Someone logged in with itsme, a verified identity, and proved that the Belgian number linked to this account is theirs. Until a security officer has checked the case, this account has no Belgian number, no rights and no administrator roles.',
  'suspended.action':
    'If the number is yours, log in with itsme: that login is verified. Otherwise, or if you have questions, contact the service desk; you will receive an e-mail when the case is decided.',
  'connect.heading': 'Connect another login',
  'connect.intro':
    'Do you also log in another way: with itsme, a European eID or a username and code? Connect that login to this account, so that you are one person with all your data and rights.',
  'connect.how':
    'You now log in with your other means. Afterwards we show you what will be connected, and nothing happens until you confirm.',
  'connect.warning':
    'Only connect logins that are your own. Never continue a connection that someone else started or sent you a link for.',
  'connect.choose': 'Which other login do you want to connect?',
  'connect.with.itsme': 'Connect my itsme login',
  'connect.with.eIDAS': 'Connect my European eID (eIDAS)',
  'connect.with.native': 'Connect my username and code',
  'connect.starting': 'Preparing the connection…',
  'connect.recentLogin':
    'For your security, a connection can only start within 10 minutes of logging in. Log in again with your current means, then start the connection.',
  'connect.loginAgainCurrent': 'Log in again',
  'connect.confirmHeading': 'Connect these two logins?',
  'connect.confirmIntro': 'You are about to make these two logins open one and the same account:',
  'connect.started': 'The login that started the connection',
  'connect.current': 'The login you just used',
  'connect.validUntil': 'This request is valid until {time}.',
  'connect.consequence':
    'After connecting, both logins open the same account, with the data and rights of both. You cannot undo this yourself.',
  'connect.confirm': 'Yes, connect these logins',
  'connect.cancel': 'No, connect nothing',
  'connect.cancelled': 'Nothing was connected.',
  'connect.doneHeading': 'Your logins are connected',
  'connect.done': 'You are now one person with these logins:',
  'connect.mail': 'We sent an e-mail about this connection to the addresses we know for you.',
  'connect.toProfile': 'Go to my profile',
  'connect.none':
    'There is no connection in progress in this browser tab. A connection can only be started from your own profile, in the tab where you continue it.',
  'connect.startFromProfile': 'Start from my profile',
  'connect.sameLogin':
    'You are still logged in with the login that started the connection, or with a login that already belongs to this account. Log in now with your other means.',
  'connect.error.expired':
    'This connection has expired or was already used. Nothing was connected. Start again from your profile.',
  'connect.error.sameAccount': 'These logins already open the same account: there is nothing to connect.',
  'connect.error.refused':
    'These two accounts cannot be connected automatically (for example because they hold different national numbers or dates of birth, or both have rights). Nothing was connected. Contact the service desk and mention reference {reference}.',
  'connect.error.loginAgain':
    'The service needs a fresh login with your other means for this. Log in again below.',
  'connect.insz409':
    'Is that number linked to an account you log in to another way (itsme, a European eID, a username and code)? Then connect this login to that account.',
  'connect.insz409Action': 'Connect my other login',
  'activity.heading': 'My activity',
  'activity.intro':
    'Every change to who you are on this platform: links, connected logins, refused attempts and suspensions. We also send you an e-mail about each one.',
  'activity.empty': 'Nothing has been recorded yet.',
  'activity.at': 'When',
  'activity.what': 'What happened',
  'activity.who': 'By',
  'activity.details': 'Details',
  'activity.reference': 'Reference {reference}',
  'activity.event.insz-linked': 'Your Belgian number was linked to your account',
  'activity.event.identity-linked': 'A login was added to your account',
  'activity.event.identities-joined': 'Two logins were connected into one account',
  'activity.event.join-refused':
    'Someone proved the data of your Belgian number with another login; linking it was refused',
  'activity.event.insz-suspended':
    'A verified login took over your Belgian number; your rights are suspended',
  'activity.event.suspension-resolved': 'A security officer decided on the suspension',
  'activity.event.office-account-requested':
    'A registration office asked to create an account for you; a second officer must confirm',
  'activity.event.office-account-created': 'A registration office created an account for you',
  'activity.event.capacity-chosen': 'You chose for whom you act (a capacity): your next tokens carry it',
  'activity.event.administrator-appointment':
    'Your appointment as local administrator of an organisation took effect',
  'activity.event.membership-registration':
    'Your registration as a member of an organisation, with the roles granted to you, took effect',
  'activity.event.role-granted': 'A local administrator granted you a role in an organisation',
  'activity.event.role-revoked': 'A local administrator revoked a role of yours in an organisation',
  'activity.event.administrator-removal':
    'Another local administrator removed you as local administrator of an organisation',
  'activity.event.unknown': 'Change to your identity ({event})',
  'activity.actor.self': 'you',
  'activity.actor.system': 'the platform',
  'activity.actor.registration-officer': 'a registration officer',
  'activity.actor.security-officer': 'a security officer',
  'activity.seeAll': 'See everything that happened to your identity',
} as const;

/** A key of the identity texts. */
export type IdentityMessageKey = keyof typeof en;
type IdentityDictionary = Readonly<Record<IdentityMessageKey, string>>;

const nl: IdentityDictionary = {
  'nav.activity': 'Mijn activiteit',
  'nav.connect': 'Een andere aanmelding koppelen',
  'evidence.heading': 'Hoe u zich aanmeldt',
  'evidence.intro': 'Elke manier van aanmelden opent deze ene account. Ernaast: waarom ze bij u hoort.',
  'evidence.insz': 'Uw Belgisch nummer is gekend omdat het {evidence} werd.',
  'evidence.itsme-eid': 'geverifieerd door itsme',
  'evidence.eudi-pid': 'geverifieerd door de EU Digital Identity Wallet',
  'evidence.register-match': 'vergeleken met het rijksregister',
  'evidence.bis-issued': 'uitgereikt door het platform',
  'evidence.registration-office': 'gecontroleerd in een registratiekantoor',
  'evidence.connected': 'door u gekoppeld',
  'evidence.first-login': 'eerste aanmelding',
  'evidence.unknown': 'geregistreerd voor er bewijs werd bijgehouden',
  'evidence.login': 'Aanmelding',
  'evidence.why': 'Waarom ze van u is',
  'evidence.since': 'Sinds',
  'evidence.loa': 'Betrouwbaarheidsniveau',
  'loa.low': 'laag',
  'loa.substantial': 'substantieel',
  'loa.high': 'hoog',
  'provider.itsme': 'itsme',
  'provider.eidas': 'Europese eID (eIDAS)',
  'provider.native': 'Gebruikersnaam en code',
  'provider.eudi': 'EU Digital Identity Wallet',
  'suspended.heading': 'Uw rechten zijn opgeschort',
  'suspended.text':
    'Iemand meldde zich aan met itsme, een geverifieerde identiteit, en bewees dat het Belgisch nummer van deze account het zijne is. Tot een veiligheidsmedewerker de zaak heeft bekeken, heeft deze account geen Belgisch nummer, geen rechten en geen beheerdersrollen.',
  'suspended.action':
    'Is het nummer van u, meld u dan aan met itsme: die aanmelding is geverifieerd. Anders, of als u vragen hebt, neem contact op met de helpdesk; u krijgt een e-mail zodra over de zaak beslist is.',
  'connect.heading': 'Een andere aanmelding koppelen',
  'connect.intro':
    'Meldt u zich ook op een andere manier aan: met itsme, een Europese eID of een gebruikersnaam en code? Koppel die aanmelding aan deze account, zodat u één persoon bent met al uw gegevens en rechten.',
  'connect.how':
    'U meldt zich nu aan met uw andere middel. Daarna tonen we wat gekoppeld wordt, en er gebeurt niets tot u bevestigt.',
  'connect.warning':
    'Koppel alleen aanmeldingen die van uzelf zijn. Zet nooit een koppeling voort die iemand anders startte of waarvoor iemand u een link stuurde.',
  'connect.choose': 'Welke andere aanmelding wilt u koppelen?',
  'connect.with.itsme': 'Mijn itsme-aanmelding koppelen',
  'connect.with.eIDAS': 'Mijn Europese eID (eIDAS) koppelen',
  'connect.with.native': 'Mijn gebruikersnaam en code koppelen',
  'connect.starting': 'De koppeling wordt voorbereid…',
  'connect.recentLogin':
    'Voor uw veiligheid kan een koppeling alleen starten binnen 10 minuten na het aanmelden. Meld u opnieuw aan met uw huidige middel en start dan de koppeling.',
  'connect.loginAgainCurrent': 'Opnieuw aanmelden',
  'connect.confirmHeading': 'Deze twee aanmeldingen koppelen?',
  'connect.confirmIntro': 'U staat op het punt deze twee aanmeldingen dezelfde account te laten openen:',
  'connect.started': 'De aanmelding die de koppeling startte',
  'connect.current': 'De aanmelding die u net gebruikte',
  'connect.validUntil': 'Deze aanvraag is geldig tot {time}.',
  'connect.consequence':
    'Na het koppelen openen beide aanmeldingen dezelfde account, met de gegevens en rechten van beide. U kunt dit zelf niet ongedaan maken.',
  'connect.confirm': 'Ja, koppel deze aanmeldingen',
  'connect.cancel': 'Nee, niets koppelen',
  'connect.cancelled': 'Er werd niets gekoppeld.',
  'connect.doneHeading': 'Uw aanmeldingen zijn gekoppeld',
  'connect.done': 'U bent nu één persoon met deze aanmeldingen:',
  'connect.mail': 'We stuurden een e-mail over deze koppeling naar de adressen die we van u kennen.',
  'connect.toProfile': 'Naar mijn profiel',
  'connect.none':
    'Er loopt geen koppeling in dit browsertabblad. Een koppeling kan alleen gestart worden vanuit uw eigen profiel, in het tabblad waarin u ze voortzet.',
  'connect.startFromProfile': 'Start vanuit mijn profiel',
  'connect.sameLogin':
    'U bent nog aangemeld met de aanmelding die de koppeling startte, of met een aanmelding die al bij deze account hoort. Meld u nu aan met uw andere middel.',
  'connect.error.expired':
    'Deze koppeling is verlopen of werd al gebruikt. Er werd niets gekoppeld. Begin opnieuw vanuit uw profiel.',
  'connect.error.sameAccount': 'Deze aanmeldingen openen al dezelfde account: er is niets te koppelen.',
  'connect.error.refused':
    'Deze twee accounts kunnen niet automatisch gekoppeld worden (bijvoorbeeld omdat ze verschillende rijksregisternummers of geboortedata hebben, of allebei rechten hebben). Er werd niets gekoppeld. Neem contact op met de helpdesk en vermeld referentie {reference}.',
  'connect.error.loginAgain':
    'De dienst heeft hiervoor een nieuwe aanmelding met uw andere middel nodig. Meld u hieronder opnieuw aan.',
  'connect.insz409':
    'Hoort dat nummer bij een account waarmee u zich op een andere manier aanmeldt (itsme, een Europese eID, een gebruikersnaam en code)? Koppel deze aanmelding dan aan die account.',
  'connect.insz409Action': 'Mijn andere aanmelding koppelen',
  'activity.heading': 'Mijn activiteit',
  'activity.intro':
    'Elke wijziging aan wie u bent op dit platform: koppelingen, gekoppelde aanmeldingen, geweigerde pogingen en opschortingen. We sturen u over elk ervan ook een e-mail.',
  'activity.empty': 'Er werd nog niets geregistreerd.',
  'activity.at': 'Wanneer',
  'activity.what': 'Wat er gebeurde',
  'activity.who': 'Door',
  'activity.details': 'Details',
  'activity.reference': 'Referentie {reference}',
  'activity.event.insz-linked': 'Uw Belgisch nummer werd aan uw account gekoppeld',
  'activity.event.identity-linked': 'Er werd een aanmelding aan uw account toegevoegd',
  'activity.event.identities-joined': 'Twee aanmeldingen werden tot één account gekoppeld',
  'activity.event.join-refused':
    'Iemand bewees de gegevens van uw Belgisch nummer met een andere aanmelding; koppelen werd geweigerd',
  'activity.event.insz-suspended':
    'Een geverifieerde aanmelding nam uw Belgisch nummer over; uw rechten zijn opgeschort',
  'activity.event.suspension-resolved': 'Een veiligheidsmedewerker besliste over de opschorting',
  'activity.event.office-account-requested':
    'Een registratiekantoor vroeg een account voor u aan; een tweede medewerker moet bevestigen',
  'activity.event.office-account-created': 'Een registratiekantoor maakte een account voor u aan',
  'activity.event.capacity-chosen': 'U koos in welke hoedanigheid u optreedt: uw volgende tokens dragen die',
  'activity.event.administrator-appointment':
    'Uw aanstelling als lokale beheerder van een organisatie ging in',
  'activity.event.membership-registration':
    'Uw registratie als lid van een organisatie, met de rollen die u werden toegekend, ging in',
  'activity.event.role-granted': 'Een lokale beheerder kende u een rol toe in een organisatie',
  'activity.event.role-revoked': 'Een lokale beheerder trok een rol van u in binnen een organisatie',
  'activity.event.administrator-removal':
    'Een andere lokale beheerder verwijderde u als lokale beheerder van een organisatie',
  'activity.event.unknown': 'Wijziging aan uw identiteit ({event})',
  'activity.actor.self': 'uzelf',
  'activity.actor.system': 'het platform',
  'activity.actor.registration-officer': 'een medewerker van een registratiekantoor',
  'activity.actor.security-officer': 'een veiligheidsmedewerker',
  'activity.seeAll': 'Bekijk alles wat er met uw identiteit gebeurde',
};

const fr: IdentityDictionary = {
  'nav.activity': 'Mon activité',
  'nav.connect': 'Associer un autre moyen de connexion',
  'evidence.heading': 'Comment vous vous connectez',
  'evidence.intro': 'Chaque moyen de connexion ouvre ce seul compte. À côté : pourquoi il vous appartient.',
  'evidence.insz': 'Votre numéro belge est connu parce qu’il a été {evidence}.',
  'evidence.itsme-eid': 'vérifié par itsme',
  'evidence.eudi-pid': 'vérifié par le portefeuille européen d’identité numérique',
  'evidence.register-match': 'comparé au registre national',
  'evidence.bis-issued': 'délivré par la plateforme',
  'evidence.registration-office': 'contrôlé dans un bureau d’enregistrement',
  'evidence.connected': 'associé par vous',
  'evidence.first-login': 'première connexion',
  'evidence.unknown': 'enregistré avant que les preuves ne soient conservées',
  'evidence.login': 'Connexion',
  'evidence.why': 'Pourquoi elle est à vous',
  'evidence.since': 'Depuis',
  'evidence.loa': 'Niveau de garantie',
  'loa.low': 'faible',
  'loa.substantial': 'substantiel',
  'loa.high': 'élevé',
  'provider.itsme': 'itsme',
  'provider.eidas': 'eID européenne (eIDAS)',
  'provider.native': 'Nom d’utilisateur et code',
  'provider.eudi': 'Portefeuille européen d’identité numérique',
  'suspended.heading': 'Vos droits sont suspendus',
  'suspended.text':
    'Quelqu’un s’est connecté avec itsme, une identité vérifiée, et a prouvé que le numéro belge lié à ce compte est le sien. Jusqu’à ce qu’un agent de sécurité ait examiné le dossier, ce compte n’a ni numéro belge, ni droits, ni rôle d’administrateur.',
  'suspended.action':
    'Si le numéro est le vôtre, connectez-vous avec itsme : cette connexion est vérifiée. Sinon, ou si vous avez des questions, contactez le service d’assistance ; vous recevrez un e-mail dès que le dossier sera tranché.',
  'connect.heading': 'Associer un autre moyen de connexion',
  'connect.intro':
    'Vous connectez-vous aussi autrement : avec itsme, une eID européenne ou un nom d’utilisateur et un code ? Associez cette connexion à ce compte pour être une seule personne avec toutes vos données et tous vos droits.',
  'connect.how':
    'Vous vous connectez maintenant avec votre autre moyen. Ensuite, nous vous montrons ce qui sera associé, et rien ne se passe avant votre confirmation.',
  'connect.warning':
    'N’associez que des connexions qui sont les vôtres. Ne poursuivez jamais une association commencée par quelqu’un d’autre ou reçue par un lien.',
  'connect.choose': 'Quelle autre connexion voulez-vous associer ?',
  'connect.with.itsme': 'Associer ma connexion itsme',
  'connect.with.eIDAS': 'Associer mon eID européenne (eIDAS)',
  'connect.with.native': 'Associer mon nom d’utilisateur et mon code',
  'connect.starting': 'Préparation de l’association…',
  'connect.recentLogin':
    'Pour votre sécurité, une association ne peut commencer que dans les 10 minutes qui suivent la connexion. Reconnectez-vous avec votre moyen actuel, puis commencez l’association.',
  'connect.loginAgainCurrent': 'Se reconnecter',
  'connect.confirmHeading': 'Associer ces deux connexions ?',
  'connect.confirmIntro': 'Vous êtes sur le point de faire ouvrir le même compte à ces deux connexions :',
  'connect.started': 'La connexion qui a commencé l’association',
  'connect.current': 'La connexion que vous venez d’utiliser',
  'connect.validUntil': 'Cette demande est valable jusqu’à {time}.',
  'connect.consequence':
    'Après l’association, les deux connexions ouvrent le même compte, avec les données et les droits des deux. Vous ne pouvez pas l’annuler vous-même.',
  'connect.confirm': 'Oui, associer ces connexions',
  'connect.cancel': 'Non, ne rien associer',
  'connect.cancelled': 'Rien n’a été associé.',
  'connect.doneHeading': 'Vos connexions sont associées',
  'connect.done': 'Vous êtes désormais une seule personne avec ces connexions :',
  'connect.mail':
    'Nous avons envoyé un e-mail au sujet de cette association aux adresses que nous connaissons.',
  'connect.toProfile': 'Aller à mon profil',
  'connect.none':
    'Aucune association n’est en cours dans cet onglet. Une association ne peut commencer que depuis votre propre profil, dans l’onglet où vous la poursuivez.',
  'connect.startFromProfile': 'Commencer depuis mon profil',
  'connect.sameLogin':
    'Vous êtes toujours connecté avec la connexion qui a commencé l’association, ou avec une connexion qui appartient déjà à ce compte. Connectez-vous maintenant avec votre autre moyen.',
  'connect.error.expired':
    'Cette association a expiré ou a déjà été utilisée. Rien n’a été associé. Recommencez depuis votre profil.',
  'connect.error.sameAccount': 'Ces connexions ouvrent déjà le même compte : il n’y a rien à associer.',
  'connect.error.refused':
    'Ces deux comptes ne peuvent pas être associés automatiquement (par exemple parce qu’ils ont des numéros nationaux ou des dates de naissance différents, ou que tous deux ont des droits). Rien n’a été associé. Contactez le service d’assistance en mentionnant la référence {reference}.',
  'connect.error.loginAgain':
    'Le service a besoin pour cela d’une nouvelle connexion avec votre autre moyen. Connectez-vous à nouveau ci-dessous.',
  'connect.insz409':
    'Ce numéro est-il lié à un compte auquel vous vous connectez autrement (itsme, une eID européenne, un nom d’utilisateur et un code) ? Associez alors cette connexion à ce compte.',
  'connect.insz409Action': 'Associer mon autre connexion',
  'activity.heading': 'Mon activité',
  'activity.intro':
    'Chaque changement de votre identité sur cette plateforme : liaisons, connexions associées, tentatives refusées et suspensions. Nous vous envoyons aussi un e-mail pour chacun.',
  'activity.empty': 'Rien n’a encore été enregistré.',
  'activity.at': 'Quand',
  'activity.what': 'Ce qui s’est passé',
  'activity.who': 'Par',
  'activity.details': 'Détails',
  'activity.reference': 'Référence {reference}',
  'activity.event.insz-linked': 'Votre numéro belge a été lié à votre compte',
  'activity.event.identity-linked': 'Une connexion a été ajoutée à votre compte',
  'activity.event.identities-joined': 'Deux connexions ont été associées en un seul compte',
  'activity.event.join-refused':
    'Quelqu’un a prouvé les données de votre numéro belge avec une autre connexion ; la liaison a été refusée',
  'activity.event.insz-suspended':
    'Une connexion vérifiée a repris votre numéro belge ; vos droits sont suspendus',
  'activity.event.suspension-resolved': 'Un agent de sécurité a statué sur la suspension',
  'activity.event.office-account-requested':
    'Un bureau d’enregistrement a demandé la création d’un compte pour vous ; un second agent doit confirmer',
  'activity.event.office-account-created': 'Un bureau d’enregistrement a créé un compte pour vous',
  'activity.event.capacity-chosen':
    'Vous avez choisi au nom de qui vous agissez (une qualité) : vos prochains jetons la portent',
  'activity.event.administrator-appointment':
    'Votre désignation comme administrateur local d’une organisation a pris effet',
  'activity.event.membership-registration':
    'Votre enregistrement comme membre d’une organisation, avec les rôles qui vous ont été attribués, a pris effet',
  'activity.event.role-granted': 'Un administrateur local vous a attribué un rôle dans une organisation',
  'activity.event.role-revoked': 'Un administrateur local vous a retiré un rôle dans une organisation',
  'activity.event.administrator-removal':
    'Un autre administrateur local vous a retiré le rôle d’administrateur local d’une organisation',
  'activity.event.unknown': 'Changement de votre identité ({event})',
  'activity.actor.self': 'vous',
  'activity.actor.system': 'la plateforme',
  'activity.actor.registration-officer': 'un agent d’un bureau d’enregistrement',
  'activity.actor.security-officer': 'un agent de sécurité',
  'activity.seeAll': 'Voir tout ce qui est arrivé à votre identité',
};

/** The identity texts by language; German falls back to English like the rest of the portal. */
export const identityMessages: Readonly<Record<Language, Partial<IdentityDictionary>>> = {
  en,
  nl,
  fr,
  de: {
    'activity.event.capacity-chosen':
      'Sie haben gewählt, in wessen Namen Sie handeln (eine Eigenschaft): Ihre nächsten Tokens tragen sie',
  },
};

/** A translate function for the identity texts. */
export type IdentityTranslate = (key: IdentityMessageKey, params?: MessageParams) => string;

/** The identity text for `key` in `language` (English when missing), placeholders filled. */
export function translateIdentity(
  language: Language,
  key: IdentityMessageKey,
  params: MessageParams = {},
): string {
  const template: string = identityMessages[language][key] ?? identityMessages[FALLBACK_LANGUAGE][key] ?? key;
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in params ? String(params[name]) : placeholder,
  );
}

/** True for a key of the identity texts. */
export const isIdentityMessageKey = (key: string): key is IdentityMessageKey => Object.hasOwn(en, key);

/**
 * The key of a stored vocabulary value (`evidence.` + `itsme-eid`), or `fallback` for a value this
 * portal does not know yet (the API adds values, never renames them).
 */
export function vocabularyKey(
  prefix: string,
  value: string | undefined | null,
  fallback: IdentityMessageKey,
): IdentityMessageKey {
  const key = `${prefix}${value ?? ''}`;
  return isIdentityMessageKey(key) ? key : fallback;
}
