/**
 * A load test's PID provider as a file (`npm run load:pid-provider` writes it, the load test's
 * wallet reads it): a root certificate whose subject says `NOT FOR PRODUCTION` and an issuer
 * certificate under it, with their private keys. Kept apart from the command so that the wallet's
 * bundle (artillery/dist/wallet-login.cjs) takes only this.
 */
import { z } from 'zod';
import {
  type IssuedCertificate,
  issueCertificate,
  restoreCertificate,
  type StoredCertificate,
  storeCertificate,
} from '#local/eudi/certificates';
import { LocalPidProvider } from '#local/eudi/pid-provider';
import { TEST_PID_PROVIDER_MARK } from '../../../lambdas/wallet-bridge/x509-chain.ts';

/** The mark a production stage refuses in a trust anchor's subject. */
export const NOT_FOR_PRODUCTION = TEST_PID_PROVIDER_MARK;

/** The `iss` of the provider's PIDs: no one serves it (the bridge trusts the `x5c` chain, not `iss`). */
export const LOAD_PID_ISSUER = 'https://load-test.pid-provider.invalid';

/** Days the certificates are valid: a test provider is made for a campaign, not for years. */
const VALIDITY_DAYS = 90;

/** The file `--out` writes. */
export interface LoadPidProviderFile {
  issuer: string;
  root: StoredCertificate;
  issuerCertificate: StoredCertificate;
}

const storedSchema = z.strictObject({ certificatePem: z.string(), privateKeyPem: z.string() });
const fileSchema = z.strictObject({
  issuer: z.url(),
  root: storedSchema,
  issuerCertificate: storedSchema,
});

/** A new test PID provider's certificates and keys. */
export function createLoadPidProvider(): LoadPidProviderFile {
  const root: IssuedCertificate = issueCertificate({
    commonName: `eid-access load-test PID provider root - ${NOT_FOR_PRODUCTION}`,
    organisation: 'eid-access load test',
    country: 'BE',
    ca: true,
    validityDays: VALIDITY_DAYS,
  });
  const issuer = issueCertificate({
    commonName: `eid-access load-test PID issuer - ${NOT_FOR_PRODUCTION}`,
    organisation: 'eid-access load test',
    country: 'BE',
    uris: [LOAD_PID_ISSUER],
    issuer: root,
    validityDays: VALIDITY_DAYS,
  });
  return {
    issuer: LOAD_PID_ISSUER,
    root: storeCertificate(root),
    issuerCertificate: storeCertificate(issuer),
  };
}

/**
 * The provider of a `--out` file, issuing SD-JWT VC PIDs without a status list reference (no one
 * serves its status list).
 * @throws Error when the text is not such a file, or a key is not its certificate's.
 */
export function loadPidProviderOf(text: string): LocalPidProvider {
  const parsed = fileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error('not a PID provider file of npm run load:pid-provider');
  return new LocalPidProvider({
    baseUrl: parsed.data.issuer,
    withoutStatus: true,
    certificates: {
      root: restoreCertificate(parsed.data.root),
      issuer: restoreCertificate(parsed.data.issuerCertificate),
    },
  });
}
