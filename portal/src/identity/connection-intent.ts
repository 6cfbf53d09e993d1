/**
 * The "connect another login" intent of this browser tab.
 *
 * The connection id is a bearer secret: whoever confirms it with another login joins that login to
 * the person who started it. So it lives ONLY in this tab's sessionStorage, written when this tab
 * started the connection and read back after the fresh login with the other means. The portal never
 * takes it from a URL, a link or a form: a link someone sends cannot make a person complete another
 * person's connection (ARCHITECTURE.md section 2, "Linking is proof, not knowledge").
 */

const INTENT_KEY = 'eid-access.connection';

/** What the tab remembers between the start of a connection and its confirmation. */
export interface ConnectionIntent {
  connectionId: string;
  /** ISO timestamp after which the service no longer knows the connection. */
  expiresAt: string;
  /** The person who started it: a login that still opens this person is not "the other means". */
  initiatorPersonId: string;
  /** How the person said they would log in next (`itsme`, `eIDAS`, `native`): shown, not trusted. */
  means: ConnectMeans;
}

/** The other means a person can connect. */
export const CONNECT_MEANS = ['itsme', 'eIDAS', 'native'] as const;
export type ConnectMeans = (typeof CONNECT_MEANS)[number];

/** The part of `Storage` the intent uses (sessionStorage in the browser, a map in tests). */
export type IntentStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Ids the API issues: URL-safe, bounded. Anything else in storage was not written by this code. */
const CONNECTION_ID = /^[A-Za-z0-9_-]{10,64}$/;

const isMeans = (value: unknown): value is ConnectMeans =>
  typeof value === 'string' && (CONNECT_MEANS as readonly string[]).includes(value);

/** Remembers the intent for this tab (replacing any earlier one). */
export function saveIntent(storage: IntentStorage, intent: ConnectionIntent): void {
  if (!CONNECTION_ID.test(intent.connectionId)) throw new Error('Not a connection id');
  storage.setItem(INTENT_KEY, JSON.stringify(intent));
}

/**
 * The intent of this tab, if it is well-formed and not expired at `now` (epoch ms); a stale or
 * malformed one is removed.
 */
export function readIntent(storage: IntentStorage, now: number): ConnectionIntent | undefined {
  const raw = storage.getItem(INTENT_KEY);
  if (raw === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const { connectionId, expiresAt, initiatorPersonId, means } = record;
  const valid =
    typeof connectionId === 'string' &&
    CONNECTION_ID.test(connectionId) &&
    typeof expiresAt === 'string' &&
    Number.isFinite(Date.parse(expiresAt)) &&
    typeof initiatorPersonId === 'string' &&
    initiatorPersonId !== '' &&
    isMeans(means);
  if (!valid || Date.parse(expiresAt) <= now) {
    storage.removeItem(INTENT_KEY);
    return undefined;
  }
  return { connectionId, expiresAt, initiatorPersonId, means };
}

/** Forgets the intent (confirmed, cancelled, expired or refused). */
export function clearIntent(storage: IntentStorage): void {
  storage.removeItem(INTENT_KEY);
}

/** How a failed connection call reads to the person. */
export type ConnectionFailure = 'expired' | 'same-account' | 'refused' | 'login-again' | 'other';

/**
 * Classifies a failed `GET`/`POST /me/connections/{id}` by status (the routes answer 404 for an
 * unknown, expired or used connection, 409 for the same account or a join the rules refuse, 403
 * for a login that is not fresh). `sameAccount` is what the portal knows: the current login still
 * opens the person who started the connection.
 */
export function classifyConnectionFailure(status: number, sameAccount: boolean): ConnectionFailure {
  if (status === 404 || status === 410) return 'expired';
  if (status === 409) return sameAccount ? 'same-account' : 'refused';
  if (status === 403 || status === 401) return sameAccount ? 'same-account' : 'login-again';
  return 'other';
}

/** What {@link forgetIntentOnSignOut} needs of the session. */
export interface SignedInState {
  readonly signedIn: boolean;
  subscribe(listener: () => void): () => void;
}

/**
 * Forgets the tab's intent when its session ends (logout, a refused refresh), so whoever signs in
 * next in this tab never finds a connection someone else started. @returns unsubscribe
 */
export function forgetIntentOnSignOut(session: SignedInState, storage: IntentStorage): () => void {
  return session.subscribe(() => {
    if (!session.signedIn) clearIntent(storage);
  });
}
