/**
 * In-memory collaborators of the identity API with the semantics of the DynamoDB ones, and a way to
 * see whether anything was written. Fresh per call.
 */
import type { AttemptLimiter, InszLinkStore } from '#identity/api/link-insz';
import type { IdentityApiDeps } from '#identity/api/routes';
import type { PersonRegister, RegisteredPerson } from '#identity/person-register';
import { GRANT_SK_PREFIX, MEMBERSHIP_SK_PREFIX, PROFILE_SK } from '#shared/keys';

/** Fixed clock of the tests. */
export const NOW = new Date('2026-03-01T10:00:00.000Z');

/** The register entry of PERSONA_INSZ (85073003328). */
export const REGISTERED: RegisteredPerson = {
  insz: '85073003328',
  givenNames: 'Jan Émile',
  familyName: 'Van den Broeck',
  birthDate: '1985-07-30',
};

export interface FakeWorld {
  deps: IdentityApiDeps;
  /** Person partitions by person id. */
  partitions: Map<string, Record<string, unknown>[]>;
  /** INSZ link markers: insz → personId. */
  inszLinks: Map<string, string>;
  /** Identity links: `<provider>#<subject>` → personId. */
  identityLinks: Map<string, string>;
  register: Map<string, RegisteredPerson>;
  attempts: Map<string, number>;
  registerReads: string[];
  /** Count of every write (links, profile updates, attempts). */
  writes: () => number;
  addPerson(personId: string, profile?: Record<string, unknown>): void;
}

export function fakeWorld(options: { maxAttempts?: number } = {}): FakeWorld {
  const maxAttempts = options.maxAttempts ?? 5;
  const partitions = new Map<string, Record<string, unknown>[]>();
  const inszLinks = new Map<string, string>();
  const identityLinks = new Map<string, string>();
  const register = new Map<string, RegisteredPerson>([[REGISTERED.insz, REGISTERED]]);
  const attempts = new Map<string, number>();
  const registerReads: string[] = [];
  let writes = 0;

  const profileOf = (personId: string) => partitions.get(personId)?.find((item) => item.SK === PROFILE_SK);

  const store: InszLinkStore = {
    async currentInsz(personId) {
      const profile = profileOf(personId);
      if (!profile || profile.mergedInto !== undefined) return undefined;
      return typeof profile.insz === 'string' ? profile.insz : null;
    },
    async callerState(personId) {
      const profile = profileOf(personId);
      if (!profile || profile.mergedInto !== undefined) return undefined;
      const links = profile.identityLinks instanceof Set ? [...profile.identityLinks] : [];
      return {
        insz: typeof profile.insz === 'string' ? profile.insz : null,
        identityLinks: links.map(String).sort(),
        holdsRights: (partitions.get(personId) ?? []).some((item) => item.SK !== PROFILE_SK),
      };
    },
    async inszHolder(insz) {
      return inszLinks.get(insz);
    },
    async merge({ from, into, insz, identityLinks: refs }, now) {
      const source = profileOf(from);
      const target = profileOf(into);
      const ok =
        refs.every((ref) => identityLinks.get(ref) === from) &&
        inszLinks.get(insz) === into &&
        target !== undefined &&
        target.mergedInto === undefined &&
        source !== undefined &&
        source.insz === undefined &&
        source.mergedInto === undefined;
      if (!ok || !source || !target) return 'conflict';
      for (const ref of refs) identityLinks.set(ref, into);
      const providers = target.providers instanceof Set ? target.providers : new Set();
      const links = target.identityLinks instanceof Set ? target.identityLinks : new Set();
      for (const ref of refs) {
        providers.add(ref.slice(0, ref.indexOf('#')));
        links.add(ref);
      }
      target.providers = providers;
      target.identityLinks = links;
      target.updatedAt = now.toISOString();
      source.mergedInto = into;
      source.updatedAt = now.toISOString();
      writes++;
      return 'merged';
    },
    async link(personId, insz, now) {
      if (inszLinks.has(insz)) return 'insz-taken';
      const profile = profileOf(personId);
      if (!profile || profile.insz !== undefined) return 'profile-conflict';
      inszLinks.set(insz, personId);
      profile.insz = insz;
      profile.updatedAt = now.toISOString();
      writes++;
      return 'linked';
    },
  };
  const personRegister: PersonRegister = {
    async findPerson(insz) {
      registerReads.push(insz);
      return register.get(insz);
    },
  };
  const limiter: AttemptLimiter = {
    async take(personId, now) {
      const used = attempts.get(personId) ?? 0;
      if (used >= maxAttempts) return { allowed: false, retryAt: new Date(now.getTime() + 3_600_000) };
      attempts.set(personId, used + 1);
      writes++;
      return { allowed: true };
    },
  };

  return {
    partitions,
    inszLinks,
    identityLinks,
    register,
    attempts,
    registerReads,
    writes: () => writes,
    addPerson(personId, profile = {}) {
      partitions.set(personId, [
        {
          PK: `PERSON#${personId}`,
          SK: PROFILE_SK,
          type: 'person',
          personId,
          givenNames: 'Jan Emile',
          familyName: 'Van den Broeck',
          birthDate: '1985-07-30',
          providers: new Set(['eidas']),
          ...profile,
        },
      ]);
    },
    deps: {
      persons: {
        async loadPersonItems(personId) {
          return structuredClone(partitions.get(personId) ?? []);
        },
      },
      inszLinks: store,
      register: personRegister,
      attempts: limiter,
      now: () => NOW,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    },
  };
}

/** A membership item of a person partition. */
export function membershipItem(personId: string, orgCode: string, extra: Record<string, unknown> = {}) {
  return { PK: `PERSON#${personId}`, SK: `${MEMBERSHIP_SK_PREFIX}${orgCode}`, orgCode, ...extra };
}

/** A grant item of a person partition. */
export function grantItem(personId: string, grant: Record<string, unknown>) {
  return {
    PK: `PERSON#${personId}`,
    SK: `${GRANT_SK_PREFIX}${String(grant.orgCode)}#${String(grant.application)}#${String(grant.role)}`,
    ...grant,
  };
}
