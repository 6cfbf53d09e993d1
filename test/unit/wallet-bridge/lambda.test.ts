import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { refreshing } from '../../../lambdas/wallet-bridge/lambda.ts';

const EVENT = {} as APIGatewayProxyEventV2;
const PERIOD = 5 * 60 * 1000;

/**
 * A service created from a scripted source on an injected clock: `results` says what each creation
 * gives (a value, or an error to throw), `created` counts the creations, `failures` the reports.
 */
function scripted(...results: (string | Error)[]) {
  let clock = 1_000_000;
  const state = { created: 0, failures: [] as unknown[] };
  const service = refreshing(
    async () => {
      const result = results[state.created++];
      if (result === undefined) throw new Error('the test did not script this creation');
      if (result instanceof Error) throw result;
      return result;
    },
    { maxAgeMs: PERIOD, onRefreshFailed: (error) => state.failures.push(error), now: () => clock },
  );
  return {
    state,
    get: () => service(EVENT),
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('a service refreshed every period (the bridge and its secret)', () => {
  it('creates once at the first request and serves it to every request of the period', async () => {
    const { state, get, advance } = scripted('config-1');

    expect(await get()).toBe('config-1');
    advance(PERIOD - 1);
    for (let request = 0; request < 20; request++) expect(await get()).toBe('config-1');

    expect(state.created).toBe(1);
  });

  it('creates again at the first request after the period, and serves the new one', async () => {
    const { state, get, advance } = scripted('config-1', 'config-2');
    await get();

    advance(PERIOD);
    expect(await get()).toBe('config-2');
    advance(PERIOD - 1);
    expect(await get()).toBe('config-2');

    expect(state.created).toBe(2);
    expect(state.failures).toEqual([]);
  });

  it('creates once for requests that arrive while a creation runs', async () => {
    const { state, get, advance } = scripted('config-1', 'config-2');
    expect(await Promise.all([get(), get(), get()])).toEqual(['config-1', 'config-1', 'config-1']);

    advance(PERIOD);
    expect(await Promise.all([get(), get(), get()])).toEqual(['config-2', 'config-2', 'config-2']);

    expect(state.created).toBe(2);
  });

  it('serves the previous service when a re-creation fails, reports it, tries again a period later', async () => {
    const unreadable = new Error('secret unreadable');
    const { state, get, advance } = scripted('config-1', unreadable, 'config-3');
    await get();

    advance(PERIOD);
    expect(await get()).toBe('config-1');
    expect(state.failures).toEqual([unreadable]);
    advance(PERIOD - 1);
    expect(await get()).toBe('config-1');
    expect(state.created).toBe(2);
    advance(1);
    expect(await get()).toBe('config-3');

    expect(state.created).toBe(3);
    expect(state.failures).toEqual([unreadable]);
  });

  it('fails the request when the first creation fails, and creates again at the next request', async () => {
    const { state, get } = scripted(new Error('cold start failed'), 'config-2');

    await expect(get()).rejects.toThrow('cold start failed');
    expect(await get()).toBe('config-2');

    expect(state.created).toBe(2);
    expect(state.failures).toEqual([]);
  });
});
