/**
 * The shell: skip link, header with language switch and account, the navigation a person's claims
 * call for, and the page of the current route. Owns the router state (history API) and the language.
 */
import type { ComponentType } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient, type Me } from './api/client.ts';
import type { PortalClaims } from './auth/claims.ts';
import type { Session } from './auth/session.ts';
import { CapacitySwitch } from './capacity.tsx';
import { Link } from './components.tsx';
import type { PortalConfig } from './config.ts';
import { Portal, type PortalContext, usePortal } from './context.ts';
import { COMPLETE_LANGUAGES, LANGUAGE_NAMES, type Language, translate, translator } from './i18n/i18n.ts';
import { forgetIntentOnSignOut } from './identity/connection-intent.ts';
import { administeredOrganisations } from './names.ts';
import { AccessibilityPage, HelpPage, PrivacyPage } from './pages/about.tsx';
import { ActivityPage } from './pages/activity.tsx';
import { AgentPage, AgentReviewPage } from './pages/agent.tsx';
import { BisPage, BisStatusPage } from './pages/bis.tsx';
import { CallbackPage } from './pages/callback.tsx';
import { CapacityPage } from './pages/capacity.tsx';
import { ClaimPage } from './pages/claim.tsx';
import { ConnectConfirmPage, ConnectPage } from './pages/connect.tsx';
import { ForeignCompanyPage, ForeignStatusPage } from './pages/foreign.tsx';
import { HomePage } from './pages/home.tsx';
import { InszPage } from './pages/insz.tsx';
import { AuthenticatorPage, CodeCardPage, NativeLoginPage } from './pages/native.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { AuditPage, GrantsPage, InboxPage, MembersPage, OrganisationPage } from './pages/organisation.tsx';
import { ProfilePage } from './pages/profile.tsx';
import { RightRequestPage } from './pages/request.tsx';
import { SecurityPage } from './pages/security.tsx';
import { SecurityCasesPage } from './pages/security-cases.tsx';
import { matchRoute, pathFor, type RouteMatch, type RouteName } from './router.ts';
import {
  knownMemberships,
  type MembershipNews,
  membershipNews,
  recalledMemberships,
  rememberMemberships,
  tokenDifference,
} from './token-sync.ts';

const LANGUAGE_KEY = 'eid-access.language';

export interface AppProps {
  config: PortalConfig;
  session: Session;
  initialLanguage: Language;
}

/** How often a visible portal looks for changes made by others (appointments, grants, a BIS number). */
const ME_REFRESH_MS = 60_000;

/**
 * The languages offered: all configured ones before login; after login only those whose every
 * text is translated, so that `lang` always matches what is on the screen.
 */
export function offeredLanguages(configured: readonly Language[], signedIn: boolean): Language[] {
  if (!signedIn) return [...configured];
  const complete = configured.filter((language) => COMPLETE_LANGUAGES.includes(language));
  return complete.length > 0 ? complete : [...configured];
}

/** The whole portal. */
export function App({ config, session, initialLanguage }: AppProps) {
  const [chosenLanguage, setLanguageState] = useState<Language>(initialLanguage);
  const [route, setRoute] = useState<RouteMatch>(() => matchRoute(window.location.href));
  const [claims, setClaims] = useState(session.claims);
  const offered = offeredLanguages(config.languages, claims !== undefined);
  // A language not complete after login (German) gives way to English, else the first complete one.
  const language: Language = offered.includes(chosenLanguage)
    ? chosenLanguage
    : offered.includes('en')
      ? 'en'
      : (offered[0] ?? 'en');
  const languageRef = useRef(language);
  languageRef.current = language;
  const api = useMemo(
    () => new ApiClient(config.apiBaseUrl, session, () => languageRef.current),
    [config, session],
  );
  const { me, notices, dismiss, check } = useMe(api, session, claims);
  const firstRender = useRef(true);
  const currentPath = useRef(window.location.pathname + window.location.search);

  useEffect(() => session.subscribe(() => setClaims(session.claims)), [session]);
  // The pages that show organisations look again when they open.
  const showsOrganisations = route.name === 'home' || route.params.orgCode !== undefined;
  const organisationPage = showsOrganisations ? `${route.name}:${route.params.orgCode ?? ''}` : '';
  const checkedPage = useRef(organisationPage);
  useEffect(() => {
    // At start the session's own first call has just gone out.
    if (organisationPage === checkedPage.current) return;
    checkedPage.current = organisationPage;
    if (organisationPage) check();
  }, [organisationPage, check]);
  useEffect(() => forgetIntentOnSignOut(session, sessionStorage), [session]);
  useEffect(() => {
    // In-page links (the skip link, error summary links) change only the hash: not a new page.
    const onPopState = () => {
      const next = window.location.pathname + window.location.search;
      if (next === currentPath.current) return;
      currentPath.current = next;
      setRoute(matchRoute(window.location.href));
    };
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  // After a navigation, focus goes to the new page's heading so screen readers announce it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo(0, 0);
    (document.getElementById('page-heading') ?? document.getElementById('main'))?.focus();
  }, [route]);

  const navigate = useCallback((path: string, options: { replace?: boolean } = {}) => {
    if (options.replace) window.history.replaceState(null, '', path);
    else window.history.pushState(null, '', path);
    currentPath.current = window.location.pathname + window.location.search;
    setRoute(matchRoute(window.location.href));
  }, []);
  const setLanguage = useCallback((next: Language) => {
    sessionStorage.setItem(LANGUAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const t = useMemo(() => translator(language), [language]);

  const context: PortalContext = {
    config,
    session,
    api,
    claims,
    me,
    language,
    chosenLanguage,
    setLanguage,
    t,
    route,
    navigate,
  };
  return (
    <Portal.Provider value={context}>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        {claims ? <MembershipNotices notices={notices} dismiss={dismiss} /> : null}
        <CurrentPage />
      </main>
      <Footer />
    </Portal.Provider>
  );
}

/** The language stored for this tab, if any. */
export function storedLanguage(): string | null {
  return sessionStorage.getItem(LANGUAGE_KEY);
}

/** A notice of a membership that appeared while the portal was open. */
interface MembershipNotice extends MembershipNews {
  id: number;
}

/** What {@link useMe} gives the shell. */
interface MeState {
  me: Me | undefined;
  notices: MembershipNotice[];
  dismiss(id: number): void;
  /** Asks `GET /me` again now (a page that shows organisations has opened). */
  check(): void;
}

/**
 * The signed-in person as `GET /me` sees them, fetched at login, when a page showing organisations
 * opens ({@link MeState.check}), when the tab becomes visible again and every
 * {@link ME_REFRESH_MS} while it stays visible (no calls while hidden): what others changed (an
 * appointment, a registration, a lapsed membership, a grant, an issued BIS number) shows without a
 * second login.
 *
 * When the tokens say something else than `/me` ({@link tokenDifference}), they are refreshed once
 * through the refresh token — the capacity switch's mechanism, `Session.idToken({ forceRefresh })`.
 * A difference that a refresh did not resolve is not refreshed again (the next answer must differ
 * otherwise first), so a token trigger that disagrees with `/me` cannot cause a loop. A membership
 * that appears (or the local administrator role in one) becomes a polite notice.
 */
function useMe(api: ApiClient, session: Session, claims: PortalClaims | undefined): MeState {
  const [answer, setAnswer] = useState<{ me: Me; tokenState: string } | undefined>(undefined);
  const [notices, setNotices] = useState<MembershipNotice[]>([]);
  const attempted = useRef(new Set<string>());
  const nextNoticeId = useRef(1);
  const load = useRef<() => void>(() => {});
  const personId = claims?.personId;
  // A new token (after a claim, an appointment, a BIS number) is a reason to look again.
  const tokenState = claims
    ? JSON.stringify([claims.personId, claims.insz, claims.org, claims.adminOf, claims.roles])
    : '';
  const tokenStateRef = useRef(tokenState);
  tokenStateRef.current = tokenState;
  useEffect(() => {
    if (!personId) {
      setAnswer(undefined);
      setNotices([]);
      attempted.current.clear();
      load.current = () => {};
      return;
    }
    let current = true;
    let timer: number | undefined;
    const fetchMe = () => {
      if (document.visibilityState === 'hidden') return;
      // The answer is compared with the tokens it was asked under, never with older ones.
      const askedUnder = tokenStateRef.current;
      api.get<Me>('/me').then(
        (fresh) => {
          if (!current || fresh.personId !== personId) return;
          setAnswer({ me: fresh, tokenState: askedUnder });
          const news = membershipNews(recalledMemberships(sessionStorage, personId), fresh);
          rememberMemberships(sessionStorage, personId, knownMemberships(fresh));
          if (news.length > 0) {
            setNotices((shown) => [
              ...shown.filter((notice) => !news.some((item) => item.orgCode === notice.orgCode)),
              ...news.map((item) => ({ ...item, id: nextNoticeId.current++ })),
            ]);
          }
        },
        () => {},
      );
    };
    const poll = () => {
      window.clearInterval(timer);
      timer = document.visibilityState === 'hidden' ? undefined : window.setInterval(fetchMe, ME_REFRESH_MS);
    };
    const onVisibility = () => {
      poll();
      if (document.visibilityState === 'visible') fetchMe();
    };
    load.current = fetchMe;
    fetchMe();
    poll();
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('focus', fetchMe);
    return () => {
      current = false;
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('focus', fetchMe);
    };
  }, [api, personId, tokenState]);
  useEffect(() => {
    if (!answer || !claims || answer.tokenState !== tokenState) return;
    const difference = tokenDifference(answer.me, claims, new Date());
    if (difference === undefined) {
      attempted.current.clear();
      return;
    }
    if (attempted.current.has(difference)) return;
    attempted.current.add(difference);
    void session.idToken({ forceRefresh: true });
  }, [answer, claims, tokenState, session]);
  const dismiss = useCallback((id: number) => {
    setNotices((shown) => shown.filter((notice) => notice.id !== id));
  }, []);
  const check = useCallback(() => load.current(), []);
  const me = answer && answer.me.personId === personId ? answer.me : undefined;
  return { me, notices, dismiss, check };
}

/**
 * The notices of memberships that appeared while the portal was open ("You are now a local
 * administrator of X"), in a polite live region that is always on the page so that screen readers
 * announce what is added (no `status` role: that is the page's own message); each can be dismissed.
 */
function MembershipNotices({
  notices,
  dismiss,
}: {
  notices: readonly MembershipNotice[];
  dismiss: (id: number) => void;
}) {
  const { t } = usePortal();
  return (
    // A polite live region without the `status` role: a page's own status message stays the first
    // status of the page (the one a person, and a script reading the page, looks for).
    <div class="membership-notices" aria-live="polite" data-testid="membership-notices">
      {notices.map((notice) => {
        const text =
          notice.kind === 'administrator'
            ? t('membership.nowAdministrator', { name: notice.name })
            : t('membership.nowMember', { name: notice.name });
        return (
          <p key={notice.id} class="membership-notice">
            <span id={`membership-notice-${notice.id}`}>{text}</span>{' '}
            <button
              type="button"
              class="button small"
              aria-describedby={`membership-notice-${notice.id}`}
              onClick={() => dismiss(notice.id)}
            >
              {t('common.close')}
            </button>
          </p>
        );
      })}
    </div>
  );
}

function Header() {
  const { t, claims, me, session, config, language, chosenLanguage, setLanguage } = usePortal();
  const name =
    me && me.personId === claims?.personId
      ? `${me.givenNames} ${me.familyName}`.trim()
      : claims
        ? [claims.givenName, claims.familyName].filter(Boolean).join(' ')
        : '';
  const offered = offeredLanguages(config.languages, claims !== undefined);
  const { authority } = config;
  return (
    <header class="site-header">
      <div class="header-bar">
        <Link href="/" class="brand">
          {authority.logoUrl ? <img src={authority.logoUrl} alt="" class="authority-logo" /> : null}
          <span>
            {t('app.title')}
            <span class="authority-name">{t('trust.operatedBy', { authority: authority.name })}</span>
          </span>
        </Link>
        <div class="header-tools">
          <fieldset class="languages">
            <legend class="visually-hidden">{t('lang.label')}</legend>
            {offered.map((code) => (
              <button
                key={code}
                type="button"
                lang={code}
                class="language"
                aria-pressed={code === language}
                onClick={() => setLanguage(code)}
                title={LANGUAGE_NAMES[code]}
              >
                <span aria-hidden="true">{code.toUpperCase()}</span>
                <span class="visually-hidden">{LANGUAGE_NAMES[code]}</span>
              </button>
            ))}
          </fieldset>
          {claims ? <CapacitySwitch /> : null}
          {claims ? (
            <div class="account">
              {name ? <span class="signed-in">{t('auth.signedInAs', { name })}</span> : null}
              <button type="button" class="button small" onClick={() => session.logout()}>
                {t('auth.logout')}
              </button>
            </div>
          ) : null}
        </div>
      </div>
      {claims && chosenLanguage !== language && config.languages.includes(chosenLanguage) ? (
        <p class="language-notice" lang={chosenLanguage}>
          {translate(chosenLanguage, 'lang.germanAfterLogin')}
        </p>
      ) : null}
      {claims ? <MainNavigation /> : null}
    </header>
  );
}

/** The footer: who operates the portal, help and contact, privacy notice, accessibility statement. */
function Footer() {
  const { t, config, route } = usePortal();
  const links = [
    { name: 'help', label: t('trust.help') },
    { name: 'privacy', label: t('trust.privacy') },
    { name: 'accessibility', label: t('trust.accessibility') },
  ] as const;
  return (
    <footer class="site-footer">
      <nav aria-label={t('trust.footerLabel')}>
        <ul class="footer-links">
          {links.map((link) => (
            <li key={link.name}>
              <Link href={pathFor(link.name)} aria-current={route.name === link.name ? 'page' : undefined}>
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p>
        {t('trust.operatedBy', { authority: config.authority.name })} · {t('app.tagline')}
      </p>
    </footer>
  );
}

function MainNavigation() {
  const { t, claims, route, me } = usePortal();
  if (!claims) return null;
  const links: { href: string; label: string; current: boolean }[] = [
    { href: pathFor('home'), label: t('nav.home'), current: route.name === 'home' },
    { href: pathFor('profile'), label: t('nav.profile'), current: route.name === 'profile' },
  ];
  if (!claims.insz) {
    links.push({ href: pathFor('insz'), label: t('nav.insz'), current: route.name === 'insz' });
    links.push({
      href: pathFor('bis'),
      label: t('nav.bis'),
      current: route.name === 'bis' || route.name === 'bisStatus',
    });
  } else {
    links.push({ href: pathFor('claim'), label: t('nav.claim'), current: route.name === 'claim' });
  }
  links.push({
    href: pathFor('foreign'),
    label: t('nav.foreign'),
    current: route.name === 'foreign' || route.name === 'foreignStatus',
  });
  if (claims.groups.includes('bis-agents')) {
    links.push({
      href: pathFor('agent'),
      label: t('nav.agent'),
      current: route.name === 'agent' || route.name === 'agentReview',
    });
  }
  if (claims.groups.includes('security-officers')) {
    links.push({
      href: pathFor('security'),
      label: t('nav.security'),
      current: route.name === 'security' || route.name === 'securityCases',
    });
  }
  if (claims.idp === 'native') {
    links.push({
      href: pathFor('authenticator'),
      label: t('nav.authenticator'),
      current: route.name === 'authenticator',
    });
    links.push({ href: pathFor('codeCard'), label: t('nav.codeCard'), current: route.name === 'codeCard' });
  }
  for (const { orgCode, name } of administeredOrganisations(claims, me)) {
    links.push({
      href: pathFor('organisation', { orgCode }),
      label: name,
      current: route.params.orgCode === orgCode,
    });
  }
  return (
    <nav class="main-nav" aria-label={t('nav.label')}>
      <ul>
        {links.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={link.current ? 'page' : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The pages that take nothing from the route. */
const PAGES: Partial<Record<RouteName, ComponentType>> = {
  home: HomePage,
  callback: CallbackPage,
  profile: ProfilePage,
  insz: InszPage,
  bis: BisPage,
  claim: ClaimPage,
  foreign: ForeignCompanyPage,
  request: RightRequestPage,
  agent: AgentPage,
  security: SecurityPage,
  securityCases: SecurityCasesPage,
  nativeLogin: NativeLoginPage,
  authenticator: AuthenticatorPage,
  codeCard: CodeCardPage,
  connect: ConnectPage,
  connectConfirm: ConnectConfirmPage,
  activity: ActivityPage,
  capacity: CapacityPage,
  help: HelpPage,
  privacy: PrivacyPage,
  accessibility: AccessibilityPage,
};

/** The pages of one organisation: they take the route's `orgCode`. */
const ORGANISATION_PAGES: Partial<Record<RouteName, ComponentType<{ orgCode: string }>>> = {
  organisation: OrganisationPage,
  inbox: InboxPage,
  members: MembersPage,
  grants: GrantsPage,
  audit: AuditPage,
};

/** The pages of one registration: they take the route's `registrationId`. */
const REGISTRATION_PAGES: Partial<Record<RouteName, ComponentType<{ registrationId: string }>>> = {
  bisStatus: BisStatusPage,
  foreignStatus: ForeignStatusPage,
  agentReview: AgentReviewPage,
};

function CurrentPage() {
  const { route } = usePortal();
  const { name, params } = route;
  if (name === 'notFound') return <NotFoundPage />;
  const Page = PAGES[name];
  if (Page) return <Page />;
  const OrganisationScoped = ORGANISATION_PAGES[name];
  if (OrganisationScoped) return <OrganisationScoped orgCode={params.orgCode ?? ''} />;
  const RegistrationScoped = REGISTRATION_PAGES[name];
  if (RegistrationScoped) return <RegistrationScoped registrationId={params.registrationId ?? ''} />;
  return <NotFoundPage />;
}
