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
    tagged(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    SHA256_WITH_RSA,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, SHA256_WITH_RSA, tagged(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const certificateBase64 = der.toString('base64');
  const certificatePem = `-----BEGIN CERTIFICATE-----\n${certificateBase64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
  if (!new X509Certificate(certificatePem).verify(publicKey)) {
    throw new Error('generated certificate does not verify');
  }
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem,
    certificateBase64,
  };
}

function tagged(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) {
    header = Buffer.from([tag, length]);
  } else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}

const sequence = (...parts: Buffer[]): Buffer => tagged(0x30, Buffer.concat(parts));

/**
 * A non-negative INTEGER in DER's minimal form: redundant leading zero bytes are dropped (a random
 * serial can start with one, which strict parsers reject as "illegal padding"), and one zero byte is
 * kept or added when the next byte's high bit would otherwise make the number negative.
 */
export function derInteger(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0 && ((value[start + 1] ?? 0) & 0x80) === 0) start += 1;
  const minimal = value.subarray(start);
  return tagged(0x02, (minimal[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

const integer = derInteger;

function objectIdentifier(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128: number[] = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) base128.unshift((value & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tagged(0x06, Buffer.from(bytes));
}

const SHA256_WITH_RSA = sequence(objectIdentifier('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

function distinguishedName(commonName: string): Buffer {
  const attribute = sequence(objectIdentifier('2.5.4.3'), tagged(0x0c, Buffer.from(commonName, 'utf8')));
  return sequence(tagged(0x31, attribute));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050
    ? tagged(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tagged(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}
