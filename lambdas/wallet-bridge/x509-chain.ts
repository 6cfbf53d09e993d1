/**
 * Certificate chains of PID issuers (`x5c` of the SD-JWT VC header) checked against the stage's
 * trust anchors with node's own X.509 parser: each certificate issued and signed by the next, the
 * intermediates CAs, all valid now, and the last one a trust anchor or issued by one.
 */
import { createHash, type KeyObject, X509Certificate } from 'node:crypto';
import { PresentationRefusedError } from './errors.ts';

/**
 * What a test PID provider's certificates say in their subject (a load test's,
 * test/bench/artillery/pid-provider-file.ts): a production stage never trusts one.
 */
export const TEST_PID_PROVIDER_MARK = 'NOT FOR PRODUCTION';

/** Parses PEM trust anchors (one or more certificates in one text). */
export function parseTrustAnchors(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

/**
 * Verifies an `x5c` chain (base64 DER, leaf first) and returns the leaf's public key.
 *
 * @throws PresentationRefusedError `untrusted-issuer` when any link fails.
 */
export function verifyChain(x5c: unknown, anchors: readonly X509Certificate[], now: Date): KeyObject {
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((entry) => typeof entry === 'string')) {
    throw untrusted('the credential carries no certificate chain (x5c)');
  }
  let chain: X509Certificate[];
  try {
    chain = (x5c as string[]).map((entry) => new X509Certificate(Buffer.from(entry, 'base64')));
  } catch (error) {
    throw untrusted('the certificate chain cannot be parsed', error);
  }
  chain.forEach((certificate, index) => {
    if (!validAt(certificate, now)) throw untrusted(`certificate ${index} is not valid now`);
    if (index > 0 && !certificate.ca) throw untrusted(`certificate ${index} is not a CA`);
    const next = chain[index + 1];
    if (next && !(certificate.checkIssued(next) && certificate.verify(next.publicKey))) {
      throw untrusted(`certificate ${index} is not issued by certificate ${index + 1}`);
    }
  });
  const last = chain.at(-1) as X509Certificate;
  const anchored = anchors.some(
    (anchor) =>
      validAt(anchor, now) &&
      (anchor.fingerprint256 === last.fingerprint256 ||
        (anchor.ca && last.checkIssued(anchor) && last.verify(anchor.publicKey))),
  );
  if (!anchored) throw untrusted('the chain does not lead to a trusted PID provider');
  return (chain[0] as X509Certificate).publicKey;
}

/** `x509_hash:` client identifier value: base64url SHA-256 of the leaf certificate's DER. */
export function x509Hash(certificateDer: Buffer): string {
  return createHash('sha256').update(certificateDer).digest('base64url');
}

function validAt(certificate: X509Certificate, now: Date): boolean {
  return new Date(certificate.validFrom) <= now && now <= new Date(certificate.validTo);
}

function untrusted(message: string, cause?: unknown): PresentationRefusedError {
  return new PresentationRefusedError('untrusted-issuer', `Untrusted PID issuer: ${message}`, { cause });
}
