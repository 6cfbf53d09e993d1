/**
 * The status list check with its cache (lambdas/wallet-bridge/status-list.ts), on real status list
 * tokens of the local PID provider (signed under its test root, `ttl` 60 seconds).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalPidProvider } from '#local/eudi/pid-provider';
import { newHolderKey } from '#local/eudi/test-wallet';
import { BELGIAN_PID } from '#test/helpers/wallet-pids';
import { PresentationRefusedError } from '../../../lambdas/wallet-bridge/errors.ts';
import { StatusListCache, verifyStatusReference } from '../../../lambdas/wallet-bridge/status-list.ts';

let provider: LocalPidProvider;

beforeAll(() => {
  provider = new LocalPidProvider({ baseUrl: 'https://pid.example/local/eudi' });
});

async function statusOfNewPid(): Promise<{ status: unknown; statusIndex: number }> {
  const issued = await provider.issue({ claims: BELGIAN_PID, holderPublicJwk: newHolderKey().publicJwk });
  return {
    status: { status_list: { idx: issued.statusIndex, uri: provider.statusListUri } },
    statusIndex: issued.statusIndex,
  };
}

/** A fetch that counts its calls and fails once `down` is set. */
function countingFetch(token: () => string = () => provider.statusListToken()) {
  const calls = { count: 0, down: false };
  return {
    calls,
    fetchStatusList: async () => {
      calls.count++;
      if (calls.down) throw new Error('status list unreachable');
      return token();
    },
  };
}

const check = (status: unknown, fetchStatusList: () => Promise<string>, now: Date, cache?: StatusListCache) =>
  verifyStatusReference(
    status,
    { trustAnchors: [provider.root.certificate], now, fetchStatusList, statusListCache: cache },
    { skewSeconds: 60 },
  );

describe('verifyStatusReference with a StatusListCache', () => {
  it('fetches a list once per ttl and answers from it while the provider is away', async () => {
    // Prepare
    const { status } = await statusOfNewPid();
    const cache = new StatusListCache();
    const { calls, fetchStatusList } = countingFetch();
    const start = new Date();

    // Act
    await check(status, fetchStatusList, start, cache);
    calls.down = true;
    await check(status, fetchStatusList, new Date(start.getTime() + 59_000), cache);

    // Assess
    expect(calls.count).toBe(1);
  });

  it('fetches again once the ttl ran out, and refuses when the list cannot be fetched then', async () => {
    // Prepare
    const { status } = await statusOfNewPid();
    const cache = new StatusListCache();
    const { calls, fetchStatusList } = countingFetch();
    const start = new Date();
    await check(status, fetchStatusList, start, cache);
    calls.down = true;

    // Act
    const refusal = await check(status, fetchStatusList, new Date(start.getTime() + 61_000), cache).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(calls.count).toBe(2);
    expect(refusal).toBeInstanceOf(PresentationRefusedError);
    expect((refusal as PresentationRefusedError).reason).toBe('revoked');
  });

  it('sees a revocation once the ttl ran out, not before (what the provider allowed us to cache)', async () => {
    // Prepare
    const { status, statusIndex } = await statusOfNewPid();
    const cache = new StatusListCache();
    const { fetchStatusList } = countingFetch();
    const start = new Date();
    await check(status, fetchStatusList, start, cache);
    provider.revoke(statusIndex);

    // Act
    const withinTtl = await check(status, fetchStatusList, new Date(start.getTime() + 30_000), cache);
    const afterTtl = await check(status, fetchStatusList, new Date(start.getTime() + 61_000), cache).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(withinTtl).toBeUndefined();
    expect((afterTtl as PresentationRefusedError).reason).toBe('revoked');
  });

  it('never keeps a list longer than its own maximum, nor a list that did not verify', async () => {
    // Prepare
    const { status } = await statusOfNewPid();
    const short = new StatusListCache(10);
    const { calls, fetchStatusList } = countingFetch();
    const start = new Date();
    const forged = countingFetch(() => {
      const [header, payload] = provider.statusListToken().split('.');
      return `${header}.${payload}.${Buffer.alloc(64).toString('base64url')}`;
    });
    const strict = new StatusListCache();

    // Act
    await check(status, fetchStatusList, start, short);
    await check(status, fetchStatusList, new Date(start.getTime() + 11_000), short);
    const first = await check(status, forged.fetchStatusList, start, strict).catch((error: unknown) => error);
    const second = await check(status, forged.fetchStatusList, start, strict).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(calls.count).toBe(2);
    expect(first).toBeInstanceOf(PresentationRefusedError);
    expect(second).toBeInstanceOf(PresentationRefusedError);
    expect(forged.calls.count).toBe(2);
  });

  it('keeps no list without a ttl, and stops at the oldest entries beyond its size', () => {
    // Prepare
    const cache = new StatusListCache(3600, 2);
    const now = new Date('2026-12-07T10:00:00Z');
    const exp = now.getTime() / 1000 + 3600;

    // Act
    cache.put('https://a', 'token-a', { exp }, now);
    cache.put('https://b', 'token-b', { ttl: 60, exp }, now);
    cache.put('https://c', 'token-c', { ttl: 60, exp }, now);
    cache.put('https://d', 'token-d', { ttl: 60, exp: now.getTime() / 1000 + 5 }, now);

    // Assess
    expect(cache.get('https://a', now)).toBeUndefined();
    expect(cache.get('https://b', now)).toBeUndefined();
    expect(cache.get('https://c', now)).toBe('token-c');
    expect(cache.get('https://d', now)).toBe('token-d');
    expect(cache.get('https://d', new Date(now.getTime() + 6_000))).toBeUndefined();
  });
});
