/**
 * The identity-integrity routes the portal calls (docs/identity-design note, items 2 and 6): the
 * "connect another login" intent, its details and its confirmation, the person's identities with
 * their evidence, and the activity log. Thin typed wrappers over {@link ApiClient}.
 */
import type { ApiClient, Me, Page } from '../api/client.ts';

/** One login of the person, with why it belongs to them (`GET /me`, the confirmation's answer). */
export interface IdentityView {
  /** `itsme`, `eidas`, `native` or `eudi`. */
  provider: string;
  /** `first-login`, `itsme-eid`, `eudi-pid`, `connected`, `registration-office`. */
  evidence?: string | null;
  /** ISO timestamp. */
  linkedAt?: string | null;
  /** `low`, `substantial` or `high`. */
  loa?: string | null;
}

/** `GET /me` with the identity-integrity fields (older answers lack them: all optional). */
export interface MeWithEvidence extends Omit<Me, 'identities'> {
  identities: IdentityView[];
  /** Why the national number belongs to the person: `itsme-eid`, `register-match`… */
  inszEvidence?: string | null;
  /** True while a verified login's conflict keeps the person's rights suspended. */
  suspended?: boolean;
}

/** `POST /me/connections` → 201. */
export interface StartedConnection {
  connectionId: string;
  /** ISO timestamp, 10 minutes after the start. */
  expiresAt: string;
}

/** `GET /me/connections/{id}`: the login that started the connection, so the person sees what joins. */
export interface ConnectionDetails {
  connectionId: string;
  provider: string;
  givenNames: string;
  familyName: string;
  expiresAt: string;
}

/** `POST /me/connections/{id}` → 200: the one person the two logins now open. */
export interface ConnectionResult {
  personId: string;
  identities: IdentityView[];
}

/** One entry of `GET /me/activity` (no national number is ever part of it). */
export interface ActivityEntryView {
  entryId: string;
  at: string;
  event: string;
  actor: string;
  provider?: string;
  evidence?: string;
  reference?: string;
  reason?: string;
}

/** The path of one connection; the id is encoded (it comes from storage, never trusted as a path). */
export const connectionPath = (connectionId: string): string =>
  `/me/connections/${encodeURIComponent(connectionId)}`;

/** The identity routes bound to one client. */
export function identityApi(api: ApiClient) {
  return {
    me: () => api.get<MeWithEvidence>('/me'),
    startConnection: () => api.post<StartedConnection>('/me/connections', undefined),
    connection: (connectionId: string) => api.get<ConnectionDetails>(connectionPath(connectionId)),
    confirmConnection: (connectionId: string) =>
      api.post<ConnectionResult>(connectionPath(connectionId), undefined),
    activity: (cursor?: string) => api.get<Page<ActivityEntryView>>('/me/activity', { limit: '20', cursor }),
  };
}
