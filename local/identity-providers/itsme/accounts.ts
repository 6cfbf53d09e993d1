/**
 * In-memory itsme accounts of the local provider. A test identity is a person: registering the same
 * person again reuses their account (and updates its claims, like a name change at the national
 * register), so repeated sandbox logins keep one `sub`; an explicit `sub` simulates a re-created
 * itsme account, which real itsme gives a new subject.
 */
import { randomBytes } from 'node:crypto';
import { BE_NATIONAL_NUMBER_CLAIM, type ItsmeClaims, parseItsmeClaims } from './claims.ts';

/** One registered test account. */
export interface ItsmeAccount {
  /** The itsme subject, also the account id (`login_hint`). */
  readonly sub: string;
  readonly claims: ItsmeClaims;
}

/** The account store behind the local provider's `findAccount`. */
export class ItsmeAccounts {
  readonly #bySub = new Map<string, ItsmeAccount>();
  /** Person key → the most recently registered subject of that person. */
  readonly #byPerson = new Map<string, string>();

  /**
   * Registers a test identity or updates the account it already has.
   *
   * Matching, in order: the explicit `sub`; the national number; given name + family name + birth
   * date when there is no national number. Otherwise a new account with a random subject. After a
   * pinned `sub` (re-created account), that person's later registrations without `sub` use it.
   *
   * @throws ValidationError when the claims are not itsme-shaped.
   */
  register(input: unknown): { sub: string; created: boolean } {
    const { sub: pinned, claims } = parseItsmeClaims(input);
    const person = personKey(claims);
    const sub = pinned ?? (person ? this.#byPerson.get(person) : undefined) ?? newSubject();
    const created = !this.#bySub.has(sub);
    this.#bySub.set(sub, { sub, claims });
    if (person) this.#byPerson.set(person, sub);
    return { sub, created };
  }

  /** The account with this subject, if registered. */
  get(sub: string): ItsmeAccount | undefined {
    return this.#bySub.get(sub);
  }

  /** All accounts, in registration order. */
  list(): ItsmeAccount[] {
    return [...this.#bySub.values()];
  }
}

function personKey(claims: ItsmeClaims): string | undefined {
  const nationalNumber = claims[BE_NATIONAL_NUMBER_CLAIM]?.replace(/\D/g, '');
  if (nationalNumber) return `nn:${nationalNumber}`;
  const { given_name, family_name, birthdate } = claims;
  if (given_name && family_name && birthdate) {
    return `name:${JSON.stringify([given_name.trim(), family_name.trim(), birthdate.trim()])}`;
  }
  return undefined;
}

/** Opaque lowercase alphanumeric subject, like itsme's. */
function newSubject(): string {
  return randomBytes(20).toString('hex');
}
