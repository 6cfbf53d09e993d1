/**
 * What the portal reads from the ID token to build its navigation. The token is not verified here:
 * the API verifies every call; the claims only decide which links a person sees.
 */

/** The platform's claims (ARCHITECTURE.md section 2). */
export interface PortalClaims {
  personId: string;
  givenName?: string;
  familyName?: string;
  insz?: string;
  /** Cognito groups: `bis-agents`, `security-officers`. */
  groups: string[];
  /** The capacity the token acts for (`org`); absent: a private person. */
  org?: string;
  /** That organisation's name (`org_name`). */
  orgName?: string;
  /** `[org]` when the person is local administrator of the capacity's organisation, else `[]`. */
  adminOf: string[];
  /** `<APP>:<role>:<orgCode>` of grants valid now. */
  roles: string[];
  /** How the person logged in: `itsme`, `eidas` or `native` (username and code). */
  idp?: string;
  /** Expiry, epoch seconds. */
  exp?: number;
}

/** The payload of a JWT, decoded (no signature check). */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('Not a JWT');
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('JWT payload is not an object');
  return parsed as Record<string, unknown>;
}

/**
 * A list claim. Cognito's pre token generation V2 writes arrays, but a claim that went through a
 * string attribute arrives as JSON text or space-separated: accept all three.
 */
export function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (typeof value !== 'string' || value.trim() === '') return [];
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return listClaim(JSON.parse(text));
    } catch {
      return [];
    }
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The portal's view of an ID token's claims. */
export function claimsOf(idToken: string): PortalClaims {
  const payload = decodeJwtPayload(idToken);
  const personId = optionalString(payload.person_id) ?? optionalString(payload.sub) ?? '';
  const givenName = optionalString(payload.given_name);
  const familyName = optionalString(payload.family_name);
  const insz = optionalString(payload.insz);
  const idp = optionalString(payload.idp);
  const org = optionalString(payload.org);
  const orgName = optionalString(payload.org_name);
  return {
    personId,
    ...(givenName ? { givenName } : {}),
    ...(familyName ? { familyName } : {}),
    ...(insz ? { insz } : {}),
    groups: listClaim(payload['cognito:groups']),
    ...(org ? { org, ...(orgName ? { orgName } : {}) } : {}),
    adminOf: listClaim(payload.admin_of),
    roles: listClaim(payload.roles),
    ...(idp ? { idp } : {}),
    ...(typeof payload.exp === 'number' ? { exp: payload.exp } : {}),
  };
}

/** A parsed `roles` entry. */
export interface RoleClaim {
  application: string;
  role: string;
  orgCode: string;
}

/** Parses `<APP>:<role>:<orgCode>`; `undefined` for anything else. */
export function parseRoleClaim(value: string): RoleClaim | undefined {
  const [application, role, orgCode, ...rest] = value.split(':');
  if (!application || !role || !orgCode || rest.length > 0) return undefined;
  return { application, role, orgCode };
}
