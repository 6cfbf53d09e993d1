/**
 * The membership item (`keys.membership`): a person's roles in an organisation, written by the
 * organisations and rights contexts and by the claim of pending memberships, read by the access checks
 * and the login. Hand-written on purpose, without zod: the login triggers read memberships for the
 * `admin_of` claim and carry no schema library (bundle size and cold start on every login).
 */

/** A person's membership of an organisation, as stored (`keys.membership`). */
export interface Membership {
  personId: string;
  orgCode: string;
  /** The organisation's name, denormalised so `GET /me` needs no extra read. */
  name: string;
  localAdministrator: boolean;
  legalRepresentative: boolean;
}

/** How a membership came about, beside its roles. */
export interface MembershipOrigin {
  createdAt: string;
  /**
   * True when a local administrator appointed this person (O9): their administrator role does not
   * come from being a legal representative alone, and survives losing that.
   */
  appointedAdministrator?: boolean;
  /** True when the roles come from the company register (a claim, O8): the daily check covers it. */
  registerDerived?: boolean;
}

/**
 * The membership of a stored item; `undefined` for anything that is not one (no item, or an item
 * without person and organisation: a read of a key that holds no membership). A role is held only
 * when stored as `true`; the name is the organisation's code when none was stored.
 */
export function readMembership(item: Record<string, unknown> | undefined): Membership | undefined {
  if (!item || typeof item.personId !== 'string' || typeof item.orgCode !== 'string') return undefined;
  return {
    personId: item.personId,
    orgCode: item.orgCode,
    name: typeof item.name === 'string' ? item.name : item.orgCode,
    localAdministrator: item.localAdministrator === true,
    legalRepresentative: item.legalRepresentative === true,
  };
}

/** How the membership of a stored item came about (memberships stored before dates read `''`). */
export function readMembershipOrigin(item: Record<string, unknown> | undefined): MembershipOrigin {
  return {
    createdAt: typeof item?.createdAt === 'string' ? item.createdAt : '',
    ...(item?.appointedAdministrator === true ? { appointedAdministrator: true } : {}),
    ...(item?.registerDerived === true ? { registerDerived: true } : {}),
  };
}
