import { describe, expect, it } from 'vitest';
import { checkStageInvariants } from '#test/bench/stage-invariants';

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
  pageSize?: number;
}) {
  const calls: string[] = [];
  const fetchStub = (async (input: string | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push(`${url.pathname}${url.search}`);
    if (!/^Bearer \S+$/.test((init?.headers as Record<string, string>)?.authorization ?? '')) {
      return Response.json({ status: 401 }, { status: 401 });
    }
    const status = url.searchParams.get('status');
    const source = url.pathname.endsWith('/right-requests')
      ? (data.requests ?? []).filter((item) => item.status === status)
      : url.pathname.endsWith('/grants')
        ? (data.grants ?? [])
        : url.pathname.endsWith('/audit')
          ? (data.audit ?? [])
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
const request = (requestId: string, status: string, createdAt = AT): Item => ({
  requestId,
  status,
  createdAt,
});
const grant = (grantId: string, requestId: string): Item => ({ grantId, requestId });
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
        'approved right request doubled has 2 grants',
        'right request denied is DENIED but has 1 grant(s)',
      ]),
    );
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
});
