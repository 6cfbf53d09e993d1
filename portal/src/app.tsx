/**
 * The shell: skip link, header with language switch and account, the navigation a person's claims
 * call for, and the page of the current route. Owns the router state (history API) and the language.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient, type Me } from './api/client.ts';
import type { Session } from './auth/session.ts';
import { Link } from './components.tsx';
import type { PortalConfig } from './config.ts';
import { Portal, type PortalContext, usePortal } from './context.ts';
import { LANGUAGE_NAMES, type Language, translator } from './i18n/i18n.ts';
import { forgetIntentOnSignOut } from './identity/connection-intent.ts';
import { ActivityPage } from './pages/activity.tsx';
import { AgentPage, AgentReviewPage } from './pages/agent.tsx';
import { BisPage, BisStatusPage } from './pages/bis.tsx';
import { CallbackPage } from './pages/callback.tsx';
import { ClaimPage } from './pages/claim.tsx';
import { ConnectConfirmPage, ConnectPage } from './pages/connect.tsx';
import { ForeignCompanyPage } from './pages/foreign.tsx';
import { HomePage } from './pages/home.tsx';
import { InszPage } from './pages/insz.tsx';
import { AuthenticatorPage, CodeCardPage, NativeLoginPage } from './pages/native.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { AuditPage, GrantsPage, InboxPage, MembersPage, OrganisationPage } from './pages/organisation.tsx';
import { ProfilePage } from './pages/profile.tsx';
import { RightRequestPage } from './pages/request.tsx';
import { SecurityPage } from './pages/security.tsx';
import { matchRoute, pathFor, type RouteMatch } from './router.ts';

const LANGUAGE_KEY = 'eid-access.language';

export interface AppProps {
  config: PortalConfig;
  session: Session;
  initialLanguage: Language;
}

/** The whole portal. */
export function App({ config, session, initialLanguage }: AppProps) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [route, setRoute] = useState<RouteMatch>(() => matchRoute(window.location.href));
  const [claims, setClaims] = useState(session.claims);
  const api = useMemo(() => new ApiClient(config.apiBaseUrl, session), [config, session]);
  const firstRender = useRef(true);
  const currentPath = useRef(window.location.pathname + window.location.search);

  useEffect(() => session.subscribe(() => setClaims(session.claims)), [session]);
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

  const context: PortalContext = { config, session, api, claims, language, setLanguage, t, route, navigate };
  return (
    <Portal.Provider value={context}>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <CurrentPage />
      </main>
      <footer class="site-footer">
        <p>{t('app.tagline')}</p>
      </footer>
    </Portal.Provider>
  );
}

/** The language stored for this tab, if any. */
export function storedLanguage(): string | null {
  return sessionStorage.getItem(LANGUAGE_KEY);
}

function Header() {
  const { t, claims, session, config, language, setLanguage, api } = usePortal();
  const [person, setPerson] = useState<{ personId: string; name: string } | undefined>(undefined);
  const personId = claims?.personId;
  // The ID token carries no names (the platform keeps personal data out of tokens): ask /me once.
  useEffect(() => {
    if (!personId) return;
    let current = true;
    api.get<Me>('/me').then(
      (me) => current && setPerson({ personId, name: `${me.givenNames} ${me.familyName}`.trim() }),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [api, personId]);
  const name =
    person?.personId === personId && person
      ? person.name
      : claims
        ? [claims.givenName, claims.familyName].filter(Boolean).join(' ')
        : '';
  return (
    <header class="site-header">
      <div class="header-bar">
        <Link href="/" class="brand">
          {t('app.title')}
        </Link>
        <div class="header-tools">
          <fieldset class="languages">
            <legend class="visually-hidden">{t('lang.label')}</legend>
            {config.languages.map((code) => (
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
      {claims ? <MainNavigation /> : null}
    </header>
  );
}

function MainNavigation() {
  const { t, claims, route } = usePortal();
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
  links.push({ href: pathFor('foreign'), label: t('nav.foreign'), current: route.name === 'foreign' });
  if (claims.groups.includes('bis-agents')) {
    links.push({
      href: pathFor('agent'),
      label: t('nav.agent'),
      current: route.name === 'agent' || route.name === 'agentReview',
    });
  }
  if (claims.groups.includes('security-officers')) {
    links.push({ href: pathFor('security'), label: t('nav.security'), current: route.name === 'security' });
  }
  if (claims.idp === 'native') {
    links.push({
      href: pathFor('authenticator'),
      label: t('nav.authenticator'),
      current: route.name === 'authenticator',
    });
    links.push({ href: pathFor('codeCard'), label: t('nav.codeCard'), current: route.name === 'codeCard' });
  }
  for (const orgCode of claims.adminOf) {
    links.push({
      href: pathFor('organisation', { orgCode }),
      label: orgCode,
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

function CurrentPage() {
  const { route } = usePortal();
  const { params } = route;
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'callback':
      return <CallbackPage />;
    case 'profile':
      return <ProfilePage />;
    case 'insz':
      return <InszPage />;
    case 'bis':
      return <BisPage />;
    case 'bisStatus':
      return <BisStatusPage registrationId={params.registrationId ?? ''} />;
    case 'claim':
      return <ClaimPage />;
    case 'foreign':
      return <ForeignCompanyPage />;
    case 'request':
      return <RightRequestPage />;
    case 'organisation':
      return <OrganisationPage orgCode={params.orgCode ?? ''} />;
    case 'inbox':
      return <InboxPage orgCode={params.orgCode ?? ''} />;
    case 'members':
      return <MembersPage orgCode={params.orgCode ?? ''} />;
    case 'grants':
      return <GrantsPage orgCode={params.orgCode ?? ''} />;
    case 'audit':
      return <AuditPage orgCode={params.orgCode ?? ''} />;
    case 'agent':
      return <AgentPage />;
    case 'agentReview':
      return <AgentReviewPage registrationId={params.registrationId ?? ''} />;
    case 'security':
      return <SecurityPage />;
    case 'nativeLogin':
      return <NativeLoginPage />;
    case 'authenticator':
      return <AuthenticatorPage />;
    case 'codeCard':
      return <CodeCardPage />;
    case 'connect':
      return <ConnectPage />;
    case 'connectConfirm':
      return <ConnectConfirmPage />;
    case 'activity':
      return <ActivityPage />;
    default:
      return <NotFoundPage />;
  }
}
