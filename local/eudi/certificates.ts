/**
 * Sandbox X.509 certificates on P-256 (ecdsa-with-SHA256), made in memory: the local PID provider's
 * root and issuer certificates and the relying party's access certificate the wallet bridge signs
 * its request objects with. node:crypto makes keys and signatures but not certificates, so the v3
 * certificate (with the extensions chain building needs: basic constraints, key usage, subject
 * alternative name) is DER-encoded here and every result is checked with node's own parser.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { certificateText, certificateTime, derInteger, objectIdentifier, sequence, tagged } from '#local/der';

/** A certificate with its private key. */
export interface IssuedCertificate {
  certificate: X509Certificate;
  privateKey: KeyObject;
  /** Base64 DER, as `x5c` carries it. */
  base64: string;
  pem: string;
}

/** What {@link issueCertificate} puts in the certificate. */
export interface CertificateRequest {
  commonName: string;
  /** Organisation and country of the subject. */
  organisation?: string;
  country?: string;
  /** A CA certificate (basic constraints `cA`, key usage keyCertSign + cRLSign). */
  ca?: boolean;
  /** DNS names in the subject alternative name. */
  dnsNames?: readonly string[];
  /**
   * URIs in the subject alternative name: a PID issuer's `iss`, which SD-JWT VC asks the `x5c` leaf
   * to name when the key is found through the certificate.
   */
  uris?: readonly string[];
  /** @default 365 */
  validityDays?: number;
  /** Validity start. @default one hour ago */
  notBefore?: Date;
  /** The issuing CA; self-signed when absent. */
  issuer?: IssuedCertificate;
}

/** A fresh P-256 key and its certificate, signed by `request.issuer` or self-signed. */
export function issueCertificate(request: CertificateRequest): IssuedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const notBefore = request.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = new Date(notBefore.getTime() + (request.validityDays ?? 365) * 86_400_000);
  const subject = distinguishedName(request);
  const issuerName = request.issuer ? rawSubject(request.issuer.certificate) : subject;
  const signingKey = request.issuer?.privateKey ?? privateKey;
  const serial = randomBytes(16);
  const extensions = [
    extension('2.5.29.19', true, request.ca ? sequence(Buffer.from([0x01, 0x01, 0xff])) : sequence()),
    // keyCertSign + cRLSign for a CA, digitalSignature for an end entity.
    extension(
      '2.5.29.15',
      true,
      request.ca ? Buffer.from([0x03, 0x02, 0x01, 0x06]) : Buffer.from([0x03, 0x02, 0x07, 0x80]),
    ),
  ];
  const alternativeNames = [
    ...(request.dnsNames ?? []).map((name) => tagged(0x82, Buffer.from(name, 'ascii'))),
    ...(request.uris ?? []).map((uri) => tagged(0x86, Buffer.from(uri, 'ascii'))),
  ];
  if (alternativeNames.length > 0) {
    extensions.push(extension('2.5.29.17', false, sequence(...alternativeNames)));
  }
  const tbs = sequence(
    tagged(0xa0, derInteger(Buffer.from([2]))),
    derInteger(serial),
    ECDSA_WITH_SHA256,
    issuerName,
    sequence(certificateTime(notBefore), certificateTime(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    tagged(0xa3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, signingKey);
  const der = sequence(tbs, ECDSA_WITH_SHA256, tagged(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const { base64, pem } = certificateText(der);
  const certificate = new X509Certificate(pem);
  const verifyingKey = request.issuer?.certificate.publicKey ?? publicKey;
  if (!certificate.verify(verifyingKey)) throw new Error('generated certificate does not verify');
  return { certificate, privateKey, base64, pem };
}

/** A certificate and its private key as text, for a file an operator keeps (PEM, PKCS #8 PEM). */
export interface StoredCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

/** The text form of `issued` ({@link restoreCertificate} reads it back). */
export function storeCertificate(issued: IssuedCertificate): StoredCertificate {
  return {
    certificatePem: issued.pem,
    privateKeyPem: issued.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/**
 * A certificate with its key from {@link storeCertificate}'s text.
 * @throws Error when the key is not the certificate's.
 */
export function restoreCertificate(stored: StoredCertificate): IssuedCertificate {
  const certificate = new X509Certificate(stored.certificatePem);
  const privateKey = createPrivateKey(stored.privateKeyPem);
  const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
  if (!spki(createPublicKey(privateKey)).equals(spki(certificate.publicKey))) {
    throw new Error(`the private key is not the key of "${certificate.subject.replaceAll('\n', ', ')}"`);
  }
  const { base64, pem } = certificateText(certificate.raw);
  return { certificate, privateKey, base64, pem };
}

function rawSubject(certificate: X509Certificate): Buffer {
  // The subject Name is the 6th element of TBSCertificate; re-encoding from the string form would
  // lose the exact bytes the issuer-subject match compares.
  const tbs = children(children(certificate.raw)[0] as Buffer);
  return tbs[5] as Buffer;
}

/** The DER elements inside a constructed element (header skipped). */
function children(element: Buffer): Buffer[] {
  const { headerLength, length } = readHeader(element, 0);
  const items: Buffer[] = [];
  let offset = headerLength;
  while (offset < headerLength + length) {
    const inner = readHeader(element, offset);
    items.push(element.subarray(offset, offset + inner.headerLength + inner.length));
    offset += inner.headerLength + inner.length;
  }
  return items;
}

function readHeader(buffer: Buffer, offset: number): { headerLength: number; length: number } {
  const first = buffer[offset + 1] ?? 0;
  if (first < 0x80) return { headerLength: 2, length: first };
  const count = first & 0x7f;
  let length = 0;
  for (let index = 0; index < count; index += 1) length = length * 256 + (buffer[offset + 2 + index] ?? 0);
  return { headerLength: 2 + count, length };
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(
    objectIdentifier(oid),
    ...(critical ? [Buffer.from([0x01, 0x01, 0xff])] : []),
    tagged(0x04, value),
  );
}

const ECDSA_WITH_SHA256 = sequence(objectIdentifier('1.2.840.10045.4.3.2'));

function distinguishedName(request: CertificateRequest): Buffer {
  const rdn = (oid: string, value: string, tag: number) =>
    tagged(0x31, sequence(objectIdentifier(oid), tagged(tag, Buffer.from(value, 'utf8'))));
  return sequence(
    ...(request.country ? [rdn('2.5.4.6', request.country, 0x13)] : []),
    ...(request.organisation ? [rdn('2.5.4.10', request.organisation, 0x0c)] : []),
    rdn('2.5.4.3', request.commonName, 0x0c),
  );
}
