/**
 * Sandbox signing keys: an RSA key pair and a self-signed X.509 certificate, made in memory at start-up.
 *
 * Nothing here is committed or written to disk: a fresh key per process means no private key can leak
 * from the repository and no `openssl` binary is needed. node:crypto makes keys and signatures but not
 * certificates, and neither node-forge nor @peculiar/x509 is installed, so the certificate (a minimal
 * v3 certificate without extensions, which is all XML-DSig KeyInfo and SAML metadata need) is
 * DER-encoded here and checked with node's own X509Certificate parser.
 */
import { generateKeyPair, randomBytes, sign, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { certificateText, certificateTime, derInteger, objectIdentifier, sequence, tagged } from '#local/der';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A private key and the self-signed certificate of its public key, both PEM. */
export interface SigningKeyPair {
  privateKeyPem: string;
  certificatePem: string;
  /** The certificate's base64 DER without PEM armour, as SAML metadata and KeyInfo carry it. */
  certificateBase64: string;
}

/** Options of {@link generateSigningKeyPair}. */
export interface GenerateSigningKeyPairOptions {
  /** Subject and issuer common name. */
  commonName: string;
  /**
   * RSA modulus length. eIDAS nodes demand at least 3072 bits.
   * @default 3072
   */
  modulusLength?: number;
  /** @default 365 */
  validityDays?: number;
}

/** A fresh RSA key pair with a self-signed sha256WithRSAEncryption certificate. */
export async function generateSigningKeyPair(
  options: GenerateSigningKeyPairOptions,
): Promise<SigningKeyPair> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: options.modulusLength ?? 3072,
  });
  const now = Date.now();
  // Backdated so a peer whose clock is slightly behind still accepts the certificate.
  const notBefore = new Date(now - 60 * 60 * 1000);
  const notAfter = new Date(now + (options.validityDays ?? 365) * 24 * 60 * 60 * 1000);
  const name = distinguishedName(options.commonName);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const tbs = sequence(
    tagged(0xa0, derInteger(Buffer.from([2]))),
    derInteger(serial),
    SHA256_WITH_RSA,
    name,
    sequence(certificateTime(notBefore), certificateTime(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, SHA256_WITH_RSA, tagged(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const { base64: certificateBase64, pem: certificatePem } = certificateText(der);
  if (!new X509Certificate(certificatePem).verify(publicKey)) {
    throw new Error('generated certificate does not verify');
  }
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem,
    certificateBase64,
  };
}

const SHA256_WITH_RSA = sequence(objectIdentifier('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

function distinguishedName(commonName: string): Buffer {
  const attribute = sequence(objectIdentifier('2.5.4.3'), tagged(0x0c, Buffer.from(commonName, 'utf8')));
  return sequence(tagged(0x31, attribute));
}
