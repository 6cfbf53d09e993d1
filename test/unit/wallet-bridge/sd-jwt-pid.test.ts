import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '#local/eudi/certificates';
import { LocalPidProvider } from '#local/eudi/pid-provider';
import { type HeldCredential, newHolderKey, type OpenedRequest, TestWallet } from '#local/eudi/test-wallet';
import { BELGIAN_PID, REQUESTED_BELGIAN_CLAIMS, refusal } from '#test/helpers/wallet-pids';
import { pidDcqlQuery } from '../../../lambdas/wallet-bridge/dcql.ts';
import { type PresentationContext, verifySdJwtPid } from '../../../lambdas/wallet-bridge/sd-jwt-pid.ts';

const CLIENT_ID = 'x509_san_dns:bridge.example';

let provider: LocalPidProvider;
const wallet = new TestWallet();

function request(nonce = 'nonce-1'): OpenedRequest {
  return {
    clientId: CLIENT_ID,
    nonce,
    state: 'state-1',
    responseUri: 'https://bridge.example/response',
    responseMode: 'direct_post.jwt',
    dcqlQuery: pidDcqlQuery({ mdoc: false }) as OpenedRequest['dcqlQuery'],
    encryptionJwk: {},
    encValues: ['A128GCM'],
    verifierCertificate: new X509Certificate(provider.root.pem),
  };
}

function context(overrides: Partial<PresentationContext> = {}): PresentationContext {
  return {
    nonce: 'nonce-1',
    clientId: CLIENT_ID,
    trustAnchors: [provider.root.certificate],
    now: new Date(),
    fetchStatusList: async () => provider.statusListToken(),
    ...overrides,
  };
}

async function hold(claims: Record<string, unknown> = BELGIAN_PID, expiresAt?: number) {
  const key = newHolderKey();
  const issued = await provider.issue({
    claims,
    holderPublicJwk: key.publicJwk,
    ...(expiresAt ? { expiresAt } : {}),
  });
  return {
    held: { credential: issued.credential, holderKey: key.privateKey } as HeldCredential,
    statusIndex: issued.statusIndex,
  };
}

beforeAll(() => {
  provider = new LocalPidProvider({ baseUrl: 'https://pid.example/local/eudi' });
});

describe('verifySdJwtPid', () => {
  it('gets PIDs whose x5c leaf names their iss (the local provider, as SD-JWT VC asks)', () => {
    expect(provider.issuer.certificate.subjectAltName).toBe('URI:https://pid.example/local/eudi');
  });

  it('accepts a key-bound PID of a trusted issuer and keeps only requested claims', async () => {
    const { held } = await hold();

    const verified = await verifySdJwtPid(await wallet.present(request(), held), context());

    expect(verified.vct).toBe('urn:eudi:pid:1');
    expect(verified.claims).toEqual(REQUESTED_BELGIAN_CLAIMS);
    expect(verified.claims).not.toHaveProperty('email');
  });

  it('refuses a key binding over another nonce when the wallet answers a foreign request', async () => {
    const { held } = await hold();
    const error = await refusal(
      verifySdJwtPid(await wallet.present(request('other-nonce'), held), context()),
    );
    expect(error.reason).toBe('foreign-request');
  });

  it('refuses a key binding for another verifier when the audience differs', async () => {
    const { held } = await hold();
    const presentation = await wallet.present(request(), held, { audience: 'x509_san_dns:evil.example' });
    expect((await refusal(verifySdJwtPid(presentation, context()))).reason).toBe('foreign-request');
  });

  it('refuses a presentation without key binding', async () => {
    const { held } = await hold();
    const presentation = await wallet.present(request(), held, { omitKeyBinding: true });
    expect((await refusal(verifySdJwtPid(presentation, context()))).reason).toBe('key-binding');
  });

  it('refuses an altered disclosure even when the key binding covers it', async () => {
    const { held } = await hold();
    const presentation = await wallet.present(request(), held, {
      alterDisclosure: { claim: 'family_name', value: 'Janssens' },
    });
    expect((await refusal(verifySdJwtPid(presentation, context()))).reason).toBe('tampered-disclosure');
  });

  it('refuses an extra disclosure the issuer never signed', async () => {
    const { held } = await hold();
    const presentation = await wallet.present(request(), held, {
      extraDisclosure: { claim: 'personal_administrative_number', value: '90010100123' },
    });
    expect((await refusal(verifySdJwtPid(presentation, context()))).reason).toBe('tampered-disclosure');
  });

  it('refuses a PID of an issuer outside the trust anchors', async () => {
    const { held } = await hold();
    const otherRoot = issueCertificate({ commonName: 'other root', ca: true });
    const error = await refusal(
      verifySdJwtPid(
        await wallet.present(request(), held),
        context({ trustAnchors: [otherRoot.certificate] }),
      ),
    );
    expect(error.reason).toBe('untrusted-issuer');
  });

  it('refuses a PID signed by a key that is not the certificate key', async () => {
    const { held } = await hold();
    const presentation = await wallet.present(request(), held);
    const [jwt, ...rest] = presentation.split('~');
    const [header, payload] = (jwt as string).split('.');
    const forged = `${header}.${payload}.${Buffer.alloc(64, 7).toString('base64url')}`;
    const error = await refusal(verifySdJwtPid([forged, ...rest].join('~'), context()));
    expect(['invalid-signature', 'key-binding']).toContain(error.reason);
  });

  it('refuses an expired PID', async () => {
    const { held } = await hold(BELGIAN_PID, Math.floor(Date.now() / 1000) - 3600);
    expect((await refusal(verifySdJwtPid(await wallet.present(request(), held), context()))).reason).toBe(
      'expired',
    );
  });

  it('refuses a revoked PID', async () => {
    const { held, statusIndex } = await hold();
    provider.revoke(statusIndex);
    expect((await refusal(verifySdJwtPid(await wallet.present(request(), held), context()))).reason).toBe(
      'revoked',
    );
  });

  it('refuses a PID whose status list cannot be fetched', async () => {
    const { held } = await hold();
    const error = await refusal(
      verifySdJwtPid(
        await wallet.present(request(), held),
        context({
          fetchStatusList: async () => {
            throw new Error('status list unreachable');
          },
        }),
      ),
    );
    expect(error.reason).toBe('revoked');
  });

  it('refuses a PID whose status list is not signed under a trust anchor', async () => {
    const stranger = new LocalPidProvider({ baseUrl: 'https://stranger.example/eudi' });
    const { held } = await hold();
    const error = await refusal(
      verifySdJwtPid(
        await wallet.present(request(), held),
        context({ fetchStatusList: async () => stranger.statusListToken() }),
      ),
    );
    expect(error.reason).toBe('revoked');
  });

  it('refuses a credential that is not a PID', async () => {
    const key = newHolderKey();
    const issued = await provider.issue({
      claims: BELGIAN_PID,
      holderPublicJwk: key.publicJwk,
      vct: 'urn:example:diploma:1',
    });
    const presentation = await wallet.present(request(), {
      credential: issued.credential,
      holderKey: key.privateKey,
    });
    expect((await refusal(verifySdJwtPid(presentation, context()))).reason).toBe('not-a-pid');
  });

  it('refuses a PID whose key binding is older than five minutes', async () => {
    const { held } = await hold();
    const presentation = await wallet.present(request(), held);
    const later = new Date(Date.now() + 10 * 60 * 1000);
    expect((await refusal(verifySdJwtPid(presentation, context({ now: later })))).reason).toBe('key-binding');
  });
});
