/**
 * Calls to the REST API with the session's access token (scope `eid-access/api`). Every non-2xx answer becomes an
 * {@link ApiError} carrying the problem+json body; a 401 is retried once after a forced refresh.
 */
import type { Session } from '../auth/session.ts';
import { ApiError, parseProblem } from './problem.ts';

/** A page of a list (ARCHITECTURE.md section 3). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Person data of a BIS request or correction (ARCHITECTURE.md section 3). */
export interface PersonData {
  givenNames: string;
  familyName: string;
  birthDate: string;
  sex?: 'M' | 'F';
  nationality: string;
  placeOfBirth: string;
  address: Address;
  email: string;
  phone: string;
  locale?: string;
}

export interface Address {
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  country: string;
}

/** `GET /me`. */
export interface Me {
  personId: string;
  insz: string | null;
  givenNames: string;
  familyName: string;
  birthDate: string;
  /** What the identity provider asserted beyond names and birth date (eIDAS), to pre-fill forms. */
  sex?: 'M' | 'F';
  nationality?: string;
  placeOfBirth?: string;
  address?: Partial<Address>;
  identities: { provider: string }[];
  memberships: { orgCode: string; name: string; localAdministrator: boolean; legalRepresentative: boolean }[];
  grants: {
    grantId: string;
    orgCode: string;
    application: string;
    role: string;
    validUntil: string | null;
  }[];
}

/** `GET /bis-registrations/{id}`. */
export interface BisRegistration {
  registrationId: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  data: PersonData;
  bisNumber?: string;
  reason?: string;
  history: { at: string; event: string; status: string; actor: string; reason?: string }[];
}

/** The API of one signed-in tab. */
export class ApiClient {
  readonly #baseUrl: string;
  readonly #session: Session;
  readonly #language: () => string;

  /** @param language the reader's language, sent as `Accept-Language` (the API's fallback sentences). */
  constructor(baseUrl: string, session: Session, language: () => string = () => 'en') {
    this.#baseUrl = baseUrl;
    this.#session = session;
    this.#language = language;
  }

  get<T>(path: string, query?: Record<string, string | undefined>): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value) search.set(key, value);
    const text = search.toString();
    return this.#call<T>('GET', text ? `${path}?${text}` : path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.#call<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.#call<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.#call<T>('DELETE', path);
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response = await this.#send(method, path, body, false);
    if (response.status === 401 && this.#session.signedIn) {
      response = await this.#send(method, path, body, true);
      if (response.status === 401) this.#session.clear();
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw new ApiError(response.status, parseProblem(parsed, response.status));
    return parsed as T;
  }

  async #send(method: string, path: string, body: unknown, forceRefresh: boolean): Promise<Response> {
    const token = await this.#session.accessToken({ forceRefresh });
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      'accept-language': this.#language(),
    };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${this.#baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new ApiError(0, undefined, { cause });
    }
  }
}

/** `/organisations/{orgCode}` paths, encoded. */
export const orgPath = (orgCode: string, rest = ''): string =>
  `/organisations/${encodeURIComponent(orgCode)}${rest}`;
