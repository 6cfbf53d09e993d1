import { describe, expect, it } from 'vitest';
import type { Me } from '../../../portal/src/api/client.ts';
import type { PortalClaims } from '../../../portal/src/auth/claims.ts';
import {
  knownMemberships,
  membershipNews,
  recalledMemberships,
  rememberMembership,
  rememberMemberships,
  tokenDifference,
} from '../../../portal/src/token-sync.ts';

const NOW = new Date('2026-05-04T10:00:00Z');
const ORG = '0403019261';
const OTHER = '0712459852';

function me(overrides: Partial<Me> = {}): Me {
  return {
    personId: 'p1',
    insz: '85073003328',
    givenNames: 'Lotte',
    familyName: 'Peeters',
    birthDate: '1985-07-30',
    identities: [{ provider: 'itsme' }],
    memberships: [],
    grants: [],
    ...overrides,
  };
}

function claims(overrides: Partial<PortalClaims> = {}): PortalClaims {
  return { personId: 'p1', insz: '85073003328', groups: [], adminOf: [], roles: [], ...overrides };
}

const membership = (orgCode: string, localAdministrator: boolean) => ({
  orgCode,
  name: `Org ${orgCode}`,
  localAdministrator,
  legalRepresentative: false,
});

/** A Storage over a Map (sessionStorage's interface, in Node). */
function memoryStorage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (key) => values.get(key) ?? null,
    key: (index) => [...values.keys()][index] ?? null,
    removeItem: (key) => values.delete(key),
    setItem: (key, value) => values.set(key, value),
  };
}

describe('tokenDifference', () => {
  it('finds none when the tokens say what /me says', () => {
    // Prepare
    const answer = me({
      memberships: [membership(ORG, true), membership(OTHER, false)],
      grants: [
        { grantId: 'g1', orgCode: ORG, application: 'KLIP', role: 'viewer', validUntil: null },
        { grantId: 'g2', orgCode: OTHER, application: 'KLIP', role: 'admin', validUntil: null },
      ],
    });
    const token = claims({ org: ORG, adminOf: [ORG], roles: [`KLIP:viewer:${ORG}`] });

    // Act
    const difference = tokenDifference(answer, token, NOW);

    // Assess
    expect(difference).toBeUndefined();
  });

  it('names the local administrator role of the capacity when /me has it and the token not', () => {
    const difference = tokenDifference(
      me({ memberships: [membership(ORG, true)] }),
      claims({ org: ORG }),
      NOW,
    );

    expect(difference).toBe(`p1|admin:${ORG}:true`);
  });

  it('names a lost administrator role and a membership gone from the capacity', () => {
    const lost = tokenDifference(
      me({ memberships: [membership(ORG, false)] }),
      claims({ org: ORG, adminOf: [ORG] }),
      NOW,
    );
    const gone = tokenDifference(me(), claims({ org: ORG, adminOf: [ORG] }), NOW);

    expect(lost).toBe(`p1|admin:${ORG}:false`);
    expect(gone).toBe(`p1|gone:${ORG}`);
  });

  it('names a first organisation of a private person, and not a second one', () => {
    const first = tokenDifference(me({ memberships: [membership(ORG, true)] }), claims(), NOW);
    const second = tokenDifference(
      me({ memberships: [membership(ORG, true), membership(OTHER, false)] }),
      claims(),
      NOW,
    );

    expect(first).toBe(`p1|first:${ORG}`);
    expect(second).toBeUndefined();
  });

  it('compares the roles of the capacity valid now, as the token trigger reads validUntil', () => {
    const grants = [
      { grantId: 'g1', orgCode: ORG, application: 'KLIP', role: 'viewer', validUntil: '2026-06-01' },
      { grantId: 'g2', orgCode: ORG, application: 'KLIP', role: 'admin', validUntil: '2026-05-01' },
    ];

    const missing = tokenDifference(
      me({ memberships: [membership(ORG, false)], grants }),
      claims({ org: ORG }),
      NOW,
    );
    const carried = tokenDifference(
      me({ memberships: [membership(ORG, false)], grants }),
      claims({ org: ORG, roles: [`KLIP:viewer:${ORG}`] }),
      NOW,
    );

    expect(missing).toBe(`p1|roles:${ORG}:KLIP:viewer:${ORG}`);
    expect(carried).toBeUndefined();
  });

  it('names a Belgian number the token lacks, and ignores an answer about another person', () => {
    const insz = tokenDifference(me(), claims({ insz: undefined }), NOW);
    const someoneElse = tokenDifference(me({ personId: 'p2' }), claims({ insz: undefined }), NOW);

    expect(insz).toBe('p1|insz');
    expect(someoneElse).toBeUndefined();
  });
});

describe('membershipNews', () => {
  it('announces a new organisation and a new administrator role, nothing on the first answer', () => {
    // Prepare
    const before = [{ orgCode: OTHER, localAdministrator: false }];
    const answer = me({ memberships: [membership(ORG, false), membership(OTHER, true)] });

    // Act
    const news = membershipNews(before, answer);
    const baseline = membershipNews(undefined, answer);

    // Assess
    expect(news).toEqual([
      { orgCode: ORG, name: `Org ${ORG}`, kind: 'member' },
      { orgCode: OTHER, name: `Org ${OTHER}`, kind: 'administrator' },
    ]);
    expect(baseline).toEqual([]);
  });

  it('announces nothing that was known, nor a lost role', () => {
    const news = membershipNews(
      [{ orgCode: ORG, localAdministrator: true }],
      me({ memberships: [membership(ORG, false)] }),
    );

    expect(news).toEqual([]);
  });
});

describe('remembered memberships', () => {
  it('are kept per person, and a claim is added only to an existing baseline', () => {
    // Prepare
    const storage = memoryStorage();

    // Act
    rememberMembership(storage, 'p1', { orgCode: OTHER, localAdministrator: true });
    const beforeBaseline = recalledMemberships(storage, 'p1');
    rememberMemberships(storage, 'p1', knownMemberships(me({ memberships: [membership(ORG, false)] })));
    rememberMembership(storage, 'p1', { orgCode: OTHER, localAdministrator: true });

    // Assess
    expect(beforeBaseline).toBeUndefined();
    expect(recalledMemberships(storage, 'p1')).toEqual([
      { orgCode: ORG, localAdministrator: false },
      { orgCode: OTHER, localAdministrator: true },
    ]);
    expect(recalledMemberships(storage, 'p2')).toBeUndefined();
  });
});
