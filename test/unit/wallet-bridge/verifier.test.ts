import { describe, expect, it } from 'vitest';
import { issueCertificate } from '#local/eudi/certificates';
import type { BridgeRequest } from '../../../lambdas/wallet-bridge/http.ts';
import type { BridgeStore, Transaction } from '../../../lambdas/wallet-bridge/store.ts';
import { WalletResponseVerifier } from '../../../lambdas/wallet-bridge/verifier.ts';
import { trustAnchorsOf } from '../../../lambdas/wallet-bridge/verifier-handler.ts';
import { createLoadPidProvider } from '../../bench/artillery/pid-provider-file.ts';

const TX = 'tx-0123456789abcdef';

/** A store holding `transactions`, recording every outcome it is asked to write. */
function storeWith(transactions: Transaction[]): BridgeStore & { outcomes: unknown[] } {
  const outcomes: unknown[] = [];
  const unused = () => Promise.reject(new Error('the verifier must not touch codes or tokens'));
  return {
    outcomes,
    createTransaction: unused,
    getTransaction: async (id) => transactions.find((transaction) => transaction.transactionId === id),
    recordOutcome: async (_id, outcome) => {
      outcomes.push(outcome);
      return true;
    },
    markCompleted: unused,
    putCode: unused,
    redeemCode: unused,
    putAccessToken: unused,
    getAccessToken: unused,
  };
}

function request(method: string, path: string, body = ''): BridgeRequest {
  return { method, path, query: new URLSearchParams(), headers: {}, body };
}

function verifierOver(store: BridgeStore) {
  return new WalletResponseVerifier({
    issuer: 'https://bridge.example',
    verifierClientId: 'x509_san_dns:bridge.example',
    trustAnchors: [],
    store,
    fetchStatusList: () => Promise.reject(new Error('no status list here')),
  });
}

const pending: Transaction = {
  transactionId: TX,
  status: 'pending',
  request: { clientId: 'cognito', redirectUri: 'https://cognito.example/cb', locale: 'en' },
  nonce: 'n-1',
  encryptionJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' },
  browserSecretHash: 'h',
  createdAt: '2026-12-06T00:00:00.000Z',
  expiresAt: 2_000_000_000,
};

describe('the wallet response verifier (WalletBridge/Verifier)', () => {
  it('serves POST /response/{tx} only: every other path answers 404', async () => {
    const verifier = verifierOver(storeWith([pending]));

    for (const [method, path] of [
      ['GET', `/response/${TX}`],
      ['GET', `/authorize/${TX}`],
      ['POST', '/token'],
      ['POST', `/status/${TX}`],
    ] as const) {
      const answer = await verifier.handle(request(method, path));
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
  });

  it('refuses an unknown or answered transaction and one without a response, recording nothing', async () => {
    const store = storeWith([
      { ...pending, transactionId: 'tx-answered-0123456', status: 'verified' },
      pending,
    ]);
    const verifier = verifierOver(store);

    const unknown = await verifier.handle(request('POST', '/response/tx-unknown-012345678', 'response=x'));
    const answered = await verifier.handle(request('POST', '/response/tx-answered-0123456', 'response=x'));
    const empty = await verifier.handle(request('POST', `/response/${TX}`, ''));

    for (const answer of [unknown, answered, empty]) {
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_request' });
    }
    expect(store.outcomes).toEqual([]);
  });

  it('changes nothing for a response that is not encrypted to the transaction', async () => {
    const store = storeWith([pending]);

    const answer = await verifierOver(store).handle(request('POST', `/response/${TX}`, 'response=not.a.jwe'));

    expect(answer.status).toBe(400);
    expect(store.outcomes).toEqual([]);
  });
});

describe('the verifier entry reads the trust anchors secret and nothing else', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it('takes the PEM certificates', () => {
    expect(trustAnchorsOf(pem)).toBe(pem);
  });

  it('refuses a secret without certificates', () => {
    for (const text of ['', 'not a certificate', '{"clientSecret":"x"}']) {
      expect(() => trustAnchorsOf(text)).toThrow(/no PEM certificates/);
    }
  });

  it('refuses a secret that also holds a private key', () => {
    const withKey = `${pem}-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n`;
    expect(() => trustAnchorsOf(withKey)).toThrow(/private key/);
  });

  it('refuses a test PID provider (NOT FOR PRODUCTION) where production asks it to, among real ones', () => {
    // Prepare: a member state's root and a load test's, in one secret.
    const real = issueCertificate({
      commonName: 'PID Provider Root CA',
      organisation: 'Bundesdruckerei',
      ca: true,
    });
    const test = createLoadPidProvider().root.certificatePem;
    const secret = `${real.pem}${test}`;

    expect(trustAnchorsOf(secret)).toBe(secret);
    expect(trustAnchorsOf(real.pem, { refuseTestProviders: true })).toBe(real.pem);
    expect(() => trustAnchorsOf(secret, { refuseTestProviders: true })).toThrow(
      /lists a test PID provider \(NOT FOR PRODUCTION\)/,
    );
  });
});
