import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '#local/eudi/certificates';
import { issueMdocPid } from '#local/eudi/mdoc';
import { LocalPidProvider } from '#local/eudi/pid-provider';
import { type HeldCredential, newHolderKey, type OpenedRequest, TestWallet } from '#local/eudi/test-wallet';
import { BELGIAN_PID, REQUESTED_BELGIAN_CLAIMS, refusal } from '#test/helpers/wallet-pids';
import { pidDcqlQuery } from '../../../lambdas/wallet-bridge/dcql.ts';
import { type MdocPresentationContext, verifyMdocPid } from '../../../lambdas/wallet-bridge/mdoc-pid.ts';

const CLIENT_ID = 'x509_hash:bridge-hash';
const RESPONSE_URI = 'https://bridge.example/response/tx-1';

let provider: LocalPidProvider;
let encryptionJwk: JWK;
const wallet = new TestWallet();

function request(nonce = 'nonce-1'): OpenedRequest {
  const { d: _d, ...publicJwk } = encryptionJwk;
  return {
    clientId: CLIENT_ID,
    nonce,
    state: 'tx-1',
    responseUri: RESPONSE_URI,
    responseMode: 'direct_post.jwt',
    dcqlQuery: pidDcqlQuery({ mdoc: true }) as OpenedRequest['dcqlQuery'],
    encryptionJwk: publicJwk,
    encValues: ['A128GCM'],
    verifierCertificate: new X509Certificate(provider.root.pem),
  };
}

function context(overrides: Partial<MdocPresentationContext> = {}): MdocPresentationContext {
  return {
    nonce: 'nonce-1',
    clientId: CLIENT_ID,
    encryptionJwk,
    handover: { responseUri: RESPONSE_URI },
    trustAnchors: [provider.root.certificate],
    now: new Date(),
    fetchStatusList: async () => provider.statusListToken(),
    ...overrides,
  };
}

async function hold(claims: Record<string, unknown> = BELGIAN_PID, expiresAt?: number) {
  return (await holdWithStatus(claims, expiresAt)).held;
}

async function holdWithStatus(claims: Record<string, unknown> = BELGIAN_PID, expiresAt?: number) {
  const key = newHolderKey();
  const { credential, statusIndex } = await provider.issueMdoc({
    claims,
    holderPublicJwk: key.publicJwk,
    ...(expiresAt ? { expiresAt } : {}),
  });
  const held = { credential, holderKey: key.privateKey, format: 'mso_mdoc' } satisfies HeldCredential;
  return { held, statusIndex };
}

beforeAll(() => {
  provider = new LocalPidProvider({ baseUrl: 'https://pid.example/local/eudi' });
  encryptionJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
    format: 'jwk',
  }) as JWK;
});

describe('verifyMdocPid', () => {
  it('accepts a device-signed mdoc PID of a trusted issuer with the same claims as an SD-JWT VC PID', async () => {
    const presentation = await wallet.present(request(), await hold());

    const verified = await verifyMdocPid(presentation, context());

    expect(verified.vct).toBe('eu.europa.ec.eudi.pid.1');
    expect(verified.claims).toEqual(REQUESTED_BELGIAN_CLAIMS);
  });

  it('keeps only requested elements when the wallet discloses more', async () => {
    const held = await hold();
    const asked = request();
    const [, mdocQuery] = asked.dcqlQuery.credentials;
    (mdocQuery as { claim_sets?: string[][] }).claim_sets = [
      [
        'family_name',
        'given_name',
        'birthdate',
        'issuing_country',
        'personal_administrative_number',
        'email',
      ],
    ];
    (mdocQuery as { claims: { id: string; path: string[] }[] }).claims.push({
      id: 'email',
      path: ['eu.europa.ec.eudi.pid.1', 'email'],
    });

    const verified = await verifyMdocPid(await wallet.present(asked, held), context());

    expect(verified.claims).not.toHaveProperty('email');
    expect(verified.claims.family_name).toBe('Peeters');
  });

  it('accepts the Digital Credentials API handover over the page origin', async () => {
    const asked = { ...request(), origin: 'https://bridge.example' };

    const verified = await verifyMdocPid(
      await wallet.present(asked, await hold()),
      context({ handover: { origin: 'https://bridge.example' } }),
    );

    expect(verified.claims.issuing_country).toBe('BE');
  });

  it('refuses a device signature over another nonce when the wallet answers a foreign request', async () => {
    const presentation = await wallet.present(request('other-nonce'), await hold());
    expect((await refusal(verifyMdocPid(presentation, context()))).reason).toBe('foreign-request');
  });

  it('refuses a device signature for another verifier when the client id differs', async () => {
    const presentation = await wallet.present(request(), await hold(), {
      audience: 'x509_san_dns:evil.example',
    });
    expect((await refusal(verifyMdocPid(presentation, context()))).reason).toBe('foreign-request');
  });

  it('refuses a device signature over another response URI', async () => {
    const presentation = await wallet.present(request(), await hold(), {
      responseUri: 'https://evil.example/response',
    });
    expect((await refusal(verifyMdocPid(presentation, context()))).reason).toBe('foreign-request');
  });

  it('refuses a transcript for another response encryption key', async () => {
    const presentation = await wallet.present(request(), await hold());
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'jwk',
    }) as JWK;
    expect((await refusal(verifyMdocPid(presentation, context({ encryptionJwk: otherKey })))).reason).toBe(
      'foreign-request',
    );
  });

  it('refuses an mdoc without device authentication', async () => {
    const presentation = await wallet.present(request(), await hold(), { omitKeyBinding: true });
    expect((await refusal(verifyMdocPid(presentation, context()))).reason).toBe('key-binding');
  });

  it('refuses an element whose value was altered after issuance', async () => {
    const presentation = await wallet.present(request(), await hold(), {
      alterDisclosure: { claim: 'family_name', value: 'Janssens' },
    });
    expect((await refusal(verifyMdocPid(presentation, context()))).reason).toBe('tampered-disclosure');
  });

  it('refuses an element the issuer never signed', async () => {
    const presentation = await wallet.present(request(), await hold(), {
      extraDisclosure: { claim: 'personal_administrative_number', value: '90010100123' },
    });
    expect((await refusal(verifyMdocPid(presentation, context()))).reason).toBe('tampered-disclosure');
  });

  it('refuses an mdoc of an issuer outside the trust anchors', async () => {
    const presentation = await wallet.present(request(), await hold());
    const otherRoot = issueCertificate({ commonName: 'other root', ca: true });
    expect(
      (await refusal(verifyMdocPid(presentation, context({ trustAnchors: [otherRoot.certificate] })))).reason,
    ).toBe('untrusted-issuer');
  });

  it('refuses an MSO signed by a key that is not the certificate key', async () => {
    const holder = newHolderKey();
    const credential = await issueMdocPid({
      claims: BELGIAN_PID,
      holderPublicJwk: holder.publicJwk as JWK,
      issuerKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
      issuerCertificate: provider.issuer.base64,
      validFrom: new Date(Date.now() - 60_000),
      validUntil: new Date(Date.now() + 86_400_000),
    });
    const presentation = await wallet.present(request(), {
      credential,
      holderKey: holder.privateKey,
      format: 'mso_mdoc',
    });
    expect((await refusal(verifyMdocPid(presentation, context()))).reason).toBe('invalid-signature');
  });

  it('refuses an expired mdoc PID', async () => {
    const held = await hold(BELGIAN_PID, Math.floor(Date.now() / 1000) - 3600);
    expect((await refusal(verifyMdocPid(await wallet.present(request(), held), context()))).reason).toBe(
      'expired',
    );
  });

  it('refuses a revoked mdoc PID (the status list entry its MSO names)', async () => {
    const { held, statusIndex } = await holdWithStatus();
    const presentation = await wallet.present(request(), held);
    await expect(verifyMdocPid(presentation, context())).resolves.toBeDefined();

    provider.revoke(statusIndex);

    expect((await refusal(verifyMdocPid(presentation, context()))).reason).toBe('revoked');
  });

  it('asks the status list the MSO names, and refuses when it cannot be fetched', async () => {
    const asked: string[] = [];
    const error = await refusal(
      verifyMdocPid(
        await wallet.present(request(), await hold()),
        context({
          fetchStatusList: async (uri) => {
            asked.push(uri);
            throw new Error('status list unreachable');
          },
        }),
      ),
    );
    expect(error.reason).toBe('revoked');
    expect(asked).toEqual([provider.statusListUri]);
  });

  it('refuses an mdoc PID whose status list is not signed under a trust anchor', async () => {
    const stranger = new LocalPidProvider({ baseUrl: 'https://stranger.example/eudi' });
    const error = await refusal(
      verifyMdocPid(
        await wallet.present(request(), await hold()),
        context({ fetchStatusList: async () => stranger.statusListToken() }),
      ),
    );
    expect(error.reason).toBe('revoked');
  });

  it('refuses bytes that are no DeviceResponse', async () => {
    const error = await refusal(verifyMdocPid(Buffer.from('not cbor').toString('base64url'), context()));
    expect(['invalid-response', 'not-a-pid']).toContain(error.reason);
  });
});
