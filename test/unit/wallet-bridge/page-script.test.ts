import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import {
  DIGITAL_CREDENTIALS_PROTOCOL,
  type PageScriptConfig,
  renderPageScript,
} from '../../../lambdas/wallet-bridge/page-script.ts';

const CONFIG: PageScriptConfig = {
  status: '/status/tx1',
  complete: '/complete?tx=tx1',
  refused: '/authorize/tx1?ui_locales=fr',
  digitalRequest: '/request/tx1?response_mode=dc_api.jwt',
  digitalResponse: '/response/tx1',
  protocol: DIGITAL_CREDENTIALS_PROTOCOL,
  digitalFailed: 'This browser’s wallet did not answer.',
  pollMs: 1500,
};

interface FakeElement {
  hidden: boolean;
  disabled: boolean;
  textContent: string;
  listeners: Record<string, () => void>;
  addEventListener(type: string, listener: () => void): void;
}

const element = (): FakeElement => ({
  hidden: true,
  disabled: false,
  textContent: 'Waiting…',
  listeners: {},
  addEventListener(type, listener) {
    this.listeners[type] = listener;
  },
});

const jsonResponse = (body: unknown) => ({
  ok: true,
  json: async () => body,
  text: async (): Promise<string> => '',
});

/** A browser as the page script sees it; `digital` shapes its Digital Credentials API. */
function fakeBrowser(
  options: {
    digital?: 'absent' | 'no-get' | 'refuses-protocol' | 'allows' | 'no-protocol-check';
    get?: (request: unknown) => Promise<unknown>;
    statuses?: string[];
  } = {},
) {
  const button = element();
  const status = element();
  const timers: (() => void)[] = [];
  const statuses = [...(options.statuses ?? ['pending'])];
  const fetch = vi.fn(async (url: string, init?: { method?: string; body?: string }) => {
    if (url === CONFIG.status) return jsonResponse({ status: statuses.shift() ?? 'pending' });
    if (url === CONFIG.digitalRequest)
      return { ok: true, text: async (): Promise<string> => 'signed.request.object' };
    if (url === CONFIG.digitalResponse && init?.method === 'POST') {
      return jsonResponse({ redirect_uri: '/complete?tx=tx1&response_code=rc' });
    }
    return { ok: false, json: async () => ({}), text: async (): Promise<string> => '' };
  });
  const get = vi.fn(options.get ?? (async () => ({ protocol: CONFIG.protocol, data: { response: 'jwe' } })));
  const digital = options.digital ?? 'absent';
  const DigitalCredential =
    digital === 'absent'
      ? undefined
      : digital === 'no-protocol-check'
        ? {}
        : {
            userAgentAllowsProtocol: (protocol: string) =>
              digital !== 'refuses-protocol' && protocol === CONFIG.protocol,
          };
  const location = { assign: vi.fn() };
  const global: Record<string, unknown> = {
    document: { getElementById: (id: string) => ({ 'browser-wallet': button, status })[id] ?? null },
    navigator: { credentials: digital === 'no-get' ? {} : { get } },
    fetch,
    location,
    JSON,
    setTimeout: (callback: () => void) => timers.push(callback),
    encodeURIComponent,
    Error,
  };
  if (DigitalCredential) global.DigitalCredential = DigitalCredential;
  global.window = global;
  runInNewContext(renderPageScript(CONFIG), global);
  return { button, status, fetch, get, location, timers };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('authorization page script', () => {
  it.each(['absent', 'no-get', 'refuses-protocol'] as const)(
    'keeps only the link and QR code when the Digital Credentials API is %s',
    (digital) => {
      const { button, get } = fakeBrowser({ digital });

      expect(button.hidden).toBe(true);
      expect(button.listeners.click).toBeUndefined();
      expect(get).not.toHaveBeenCalled();
    },
  );

  it.each(['allows', 'no-protocol-check'] as const)(
    'offers the browser’s wallet when the API is present and %s the protocol',
    (digital) => {
      const { button } = fakeBrowser({ digital });

      expect(button.hidden).toBe(false);
      expect(button.listeners.click).toBeTypeOf('function');
    },
  );

  it('asks the browser’s wallet with the signed request, posts its answer and continues where the bridge says', async () => {
    const { button, fetch, get, location } = fakeBrowser({ digital: 'allows' });

    button.listeners.click?.();
    await settle();

    expect(fetch).toHaveBeenCalledWith(CONFIG.digitalRequest, { credentials: 'same-origin' });
    expect(get).toHaveBeenCalledWith({
      mediation: 'required',
      digital: {
        requests: [{ protocol: 'openid4vp-v1-signed', data: { request: 'signed.request.object' } }],
      },
    });
    const post = fetch.mock.calls.find(([url]) => url === CONFIG.digitalResponse);
    expect(post?.[1]).toMatchObject({ method: 'POST', body: 'dc_api=1&response=jwe' });
    expect(location.assign).toHaveBeenCalledWith('/complete?tx=tx1&response_code=rc');
  });

  it('accepts the answer as a JSON string too', async () => {
    const { button, fetch } = fakeBrowser({
      digital: 'allows',
      get: async () => ({ data: JSON.stringify({ response: 'jwe2' }) }),
    });

    button.listeners.click?.();
    await settle();

    const post = fetch.mock.calls.find(([url]) => url === CONFIG.digitalResponse);
    expect(post?.[1]).toMatchObject({ body: 'dc_api=1&response=jwe2' });
  });

  it.each([
    ['rejects', async () => Promise.reject(new Error('NotAllowedError'))],
    ['answers without a response', async () => ({ data: {} })],
  ])('falls back to the link and QR code, saying so, when the browser’s wallet %s', async (_case, answer) => {
    const { button, status, fetch, location } = fakeBrowser({ digital: 'allows', get: answer });

    button.listeners.click?.();
    await settle();

    expect(status.textContent).toBe(CONFIG.digitalFailed);
    expect(button.disabled).toBe(false);
    expect(fetch.mock.calls.some(([url]) => url === CONFIG.digitalResponse)).toBe(false);
    expect(location.assign).not.toHaveBeenCalled();
  });

  it('follows the transaction and completes once the wallet has answered through the link or QR code', async () => {
    const { timers, location } = fakeBrowser({ statuses: ['pending', 'verified'] });

    timers.shift()?.();
    await settle();
    expect(location.assign).not.toHaveBeenCalled();
    timers.shift()?.();
    await settle();

    expect(location.assign).toHaveBeenCalledWith(CONFIG.complete);
  });

  it('shows the refusal page in the page’s language once the wallet’s answer was refused', async () => {
    const { timers, location } = fakeBrowser({ statuses: ['failed'] });

    timers.shift()?.();
    await settle();

    expect(location.assign).toHaveBeenCalledWith(CONFIG.refused);
  });
});
