/**
 * What every page reads: configuration, session, API client, language and router, from one Preact
 * context created in main.tsx.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient, Me } from './api/client.ts';
import type { PortalClaims } from './auth/claims.ts';
import type { Session } from './auth/session.ts';
import type { PortalConfig } from './config.ts';
import type { Language, Translate } from './i18n/i18n.ts';
import type { RouteMatch } from './router.ts';

export interface PortalContext {
  config: PortalConfig;
  session: Session;
  api: ApiClient;
  claims: PortalClaims | undefined;
  /** `GET /me` of the signed-in person, kept current while the portal is open. */
  me: Me | undefined;
  /** The language on screen. */
  language: Language;
  /** The language the person chose (German may give way to English after login). */
  chosenLanguage: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
  route: RouteMatch;
  navigate: (path: string, options?: { replace?: boolean }) => void;
}

export const Portal = createContext<PortalContext | undefined>(undefined);

/** The portal context; pages are only rendered inside it. */
export function usePortal(): PortalContext {
  const context = useContext(Portal);
  if (!context) throw new Error('usePortal outside the portal');
  return context;
}
