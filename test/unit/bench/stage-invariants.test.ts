import { describe, expect, it } from 'vitest';
import { checkStageInvariants, claimsOf } from '#test/bench/stage-invariants';
import { loadCompanyOf } from '../../bench/artillery/load-companies.cjs';

type Item = Record<string, unknown>;

/**
 * A stage's API as far as the checks read it: the organisation's right requests per status, its
 * grants and audit trail, and the agents' queues — served in pages of `pageSize` with `nextCursor`.
 */
function stageApi(data: {
  requests?: Item[];
  grants?: Item[];
  audit?: Item[];
  bis?: Item[];
  /** `GET /me`'s memberships per access token (the claimants). */
  memberships?: Record<string, Item[]>;
  /** The audit trail per organisation code (else `audit`). */
  orgAudit?: Record<string, Item[]>;
  pageSize?: number;
}) {
  const calls: string[] = [];
  const fetchStub = (async (input: string | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push(`${url.pathname}${url.search}`);
    if (!/^Bearer \S+$/.test((init?.headers as Record<string, string>)?.authorization ?? '')) {
      return Response.json({ status: 401 }, { status: 401 });
    }
    const token = ((init?.headers as Record<string, string> | undefined)?.authorization ?? '').slice(
      'Bearer '.length,
    );
    if (url.pathname === '/v1/me') {
      const memberships = data.memberships?.[token];
      return memberships
        ? Response.json({ personId: token, memberships })
        : Response.json({ status: 404 }, { status: 404 });
    }
    const orgCode = /^\/v1\/organisations\/([^/]+)\/audit$/.exec(url.pathname)?.[1];
    const status = url.searchParams.get('status');
    const source = url.pathname.endsWith('/right-requests')
      ? (data.requests ?? []).filter((item) => item.status === status)
      : url.pathname.endsWith('/grants')
        ? (data.grants ?? [])
        : url.pathname.endsWith('/audit')
          ? ((orgCode && data.orgAudit?.[orgCode]) ?? data.audit ?? [])
          : url.pathname.endsWith('/agent/bis-registrations')
            ? (data.bis ?? []).filter((item) => item.status === status)
            : undefined;
    if (!source) return Response.json({ status: 404 }, { status: 404 });
    const size = data.pageSize ?? 100;
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const next = start + size < source.length ? String(start + size) : undefined;
    return Response.json({ items: source.slice(start, start + size), ...(next ? { nextCursor: next } : {}) });
  }) as typeof fetch;
  return { fetch: fetchStub, calls };
}

const AT = '2026-12-07T10:00:00.000Z';
/** A request of KLIP's klb-beheerder by `personId` (by default a person of its own). */
const request = (
  requestId: string,
  status: string,
  createdAt = AT,
  personId = `person-${requestId}`,
): Item => ({
  requestId,
  status,
  createdAt,
  application: 'KLIP',
  role: 'klb-beheerder',
  requester: { personId, givenNames: 'Test', familyName: 'Person' },
});
/** The grant a request gave (one per person, application and role). */
const grant = (grantId: string, requestId: string, personId = `person-${requestId}`): Item => ({
  grantId,
  requestId,
  personId,
  application: 'KLIP',
  role: 'klb-beheerder',
});
const approvedTrail = (requestId: string, grantId: string): Item[] => [
  { action: 'right-request-approved', details: { requestId } },
  { action: 'right-granted', details: { requestId, grantId } },
];

const options = (api: ReturnType<typeof stageApi>) => ({
  api: 'https://api.example/v1/',
  orgCode: '0712459852',
  adminToken: 'admin',
  agentToken: 'agent',
  fetch: api.fetch,
});

describe('checkStageInvariants', () => {
  it('finds no problem when every approved request has one grant and one trail, over several pages', async () => {
    const api = stageApi({
      requests: [request('r1', 'APPROVED'), request('r2', 'APPROVED'), request('r3', 'DENIED')],
      grants: [grant('g1', 'r1'), grant('g2', 'r2'), grant('g9', 'granted-without-request')],
      audit: [...approvedTrail('r1', 'g1'), ...approvedTrail('r2', 'g2')],
      bis: [{ registrationId: 'b1', status: 'PENDING_REVIEW', createdAt: AT }],
      pageSize: 1,
    });

    const report = await checkStageInvariants(options(api));

    expect(report.problems).toEqual([]);
    expect(report.counts).toMatchObject({
      'right requests APPROVED': 2,
      'right requests DENIED': 1,
      'grants of these requests': 2,
      'BIS registrations PENDING_REVIEW': 1,
    });
    expect(api.calls.some((call) => call.includes('cursor=1'))).toBe(true);
  });

  it('reports a lost grant, a doubled grant and a grant of a request that was not approved', async () => {
    const api = stageApi({
      requests: [request('lost', 'APPROVED'), request('doubled', 'APPROVED'), request('denied', 'DENIED')],
      grants: [grant('g1', 'doubled'), grant('g2', 'doubled'), grant('g3', 'denied')],
      audit: [
        { action: 'right-request-approved', details: { requestId: 'lost' } },
        ...approvedTrail('doubled', 'g1'),
      ],
    });

    const { problems } = await checkStageInvariants(options(api));

    expect(problems).toEqual(
      expect.arrayContaining([
        'approved right request lost has 0 grants',
        'approved right request lost has 0 right-granted entries',
        'approved right request doubled: its requester holds 2 grants of KLIP:klb-beheerder',
        'right request denied is DENIED but has 1 grant(s)',
      ]),
    );
  });

  it('accepts a person’s second approval of a role renewing the one grant (the listing shows the latest)', async () => {
    // Prepare: Ann asked twice in the run (the second after the first was approved), Bob once.
    const api = stageApi({
      requests: [
        request('first', 'APPROVED', AT, 'ann'),
        request('second', 'APPROVED', AT, 'ann'),
        request('bob', 'APPROVED', AT, 'bob'),
      ],
      grants: [grant('g2', 'second', 'ann'), grant('g3', 'bob', 'bob')],
      audit: [
        ...approvedTrail('first', 'g1'),
        ...approvedTrail('second', 'g2'),
        ...approvedTrail('bob', 'g3'),
      ],
    });

    const report = await checkStageInvariants(options(api));

    expect(report.problems).toEqual([]);
    expect(report.counts['grants of these requests']).toBe(2);
  });

  it('reports an approved request whose requester holds no grant of the role, even when another person does', async () => {
    const api = stageApi({
      requests: [request('ann', 'APPROVED', AT, 'ann'), request('bob', 'APPROVED', AT, 'bob')],
      grants: [grant('g1', 'bob', 'bob')],
      audit: [...approvedTrail('ann', 'g0'), ...approvedTrail('bob', 'g1')],
    });

    const { problems } = await checkStageInvariants(options(api));

    expect(problems).toEqual(['approved right request ann has 0 grants']);
  });

  it('reports an approval audited twice and a request or registration listed in two statuses', async () => {
    const api = stageApi({
      requests: [request('twice', 'APPROVED'), request('both', 'PENDING'), request('both', 'EXPIRED')],
      grants: [grant('g1', 'twice')],
      audit: [
        ...approvedTrail('twice', 'g1'),
        { action: 'right-request-approved', details: { requestId: 'twice' } },
      ],
      bis: [
        { registrationId: 'b1', status: 'PENDING_REVIEW', createdAt: AT },
        { registrationId: 'b1', status: 'APPROVED', createdAt: AT },
      ],
    });

    const { problems } = await checkStageInvariants(options(api));

    expect(problems).toEqual([
      'right request both is listed as PENDING and EXPIRED',
      'approved right request twice has 2 approval audit entries',
      'BIS registration b1 is listed as PENDING_REVIEW and APPROVED',
    ]);
  });

  it('looks only at requests created since the run began', async () => {
    const api = stageApi({
      requests: [request('before', 'APPROVED', '2026-12-06T10:00:00.000Z'), request('during', 'DENIED')],
    });

    const report = await checkStageInvariants({ ...options(api), since: '2026-12-07T00:00:00.000Z' });

    expect(report.problems).toEqual([]);
    expect(report.counts['right requests APPROVED']).toBe(0);
    expect(report.counts['right requests DENIED']).toBe(1);
  });

  it('fails loudly when the API refuses a listing (a wrong token is no clean bill of health)', async () => {
    const api = stageApi({});
    await expect(checkStageInvariants({ ...options(api), adminToken: '' })).rejects.toThrow(/answered 401/);
  });

  describe('company claims (--users)', () => {
    const claimant = (membership: Item): Item[] => [
      { orgCode: '0712459852', name: 'Test org', localAdministrator: false, legalRepresentative: false },
      membership,
    ];
    const claimed = (orgCode: string): Item => ({
      orgCode,
      name: `eid-access load test 1 ${orgCode}`,
      localAdministrator: true,
      legalRepresentative: true,
    });
    const claimTrail = [{ action: 'organisation-claimed', details: { source: 'company-register' } }];

    it('accepts a company claimed once and counts one its account never claimed', async () => {
      const api = stageApi({
        memberships: { ann: claimant(claimed('1000000195')), bob: [] },
        orgAudit: { '1000000195': [...claimTrail, { action: 'administrator-appointed', details: {} }] },
      });
      const logins: string[] = [];
      const claims = ['ann', 'bob'].map((person, index) => ({
        enterpriseNumber: ['1000000195', '1000000296'][index] as string,
        token: async () => {
          logins.push(person);
          return person;
        },
      }));

      const report = await checkStageInvariants({ ...options(api), claims });

      expect(report.problems).toEqual([]);
      expect(report.counts).toMatchObject({ 'companies claimed': 1, 'companies not claimed': 1 });
      expect(logins).toEqual(['ann', 'bob']);
      expect(api.calls).toContain('/v1/organisations/1000000195/audit?limit=100');
    });

    it('reports a claim audited twice, a doubled membership, missing roles and a failed login', async () => {
      const api = stageApi({
        memberships: {
          twice: [claimed('1000000195')],
          doubled: [claimed('1000000296'), claimed('1000000296')],
          member: [{ ...claimed('1000000397'), localAdministrator: false }],
        },
        orgAudit: { '1000000195': [...claimTrail, ...claimTrail] },
      });
      const claims = [
        { enterpriseNumber: '1000000195', token: async () => 'twice' },
        { enterpriseNumber: '1000000296', token: async () => 'doubled' },
        { enterpriseNumber: '1000000397', token: async () => 'member' },
        {
          enterpriseNumber: '1000000498',
          token: async () => {
            throw new Error('NotAuthorizedException');
          },
        },
        { enterpriseNumber: '1000000599', token: async () => 'unknown' },
      ];

      const { problems, counts } = await checkStageInvariants({ ...options(api), claims });

      expect(problems).toEqual([
        'company 1000000195 has 2 organisation-claimed audit entries',
        'company 1000000296: the claimant has 2 memberships',
        'company 1000000397: the claimant is not both legal representative and local administrator',
        'company 1000000498: the claimant could not log in (NotAuthorizedException)',
        'company 1000000599: GET /me of the claimant answered 404',
      ]);
      expect(counts['companies claimed']).toBe(3);
    });

    it('reads the claims of users.csv: one per line with an insz, the company load:companies writes', () => {
      const csv = [
        'username,password,totpSecret,codeCard,orgCode,email,insz,eidasAccessToken',
        'ann,pw,ABC,,0712459852,ann@example.be,85.07.30-033.28,',
        'bob,pw,DEF,,0712459852,bob@example.be,,',
      ].join('\n');

      const claims = claimsOf(csv, 'r7', { userPoolId: 'eu-west-1_x', clientId: 'client' });

      expect(claims.map((claim) => claim.enterpriseNumber)).toEqual([
        loadCompanyOf('85073003328', 'r7').enterpriseNumber,
      ]);
    });
  });
});
