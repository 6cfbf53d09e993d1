/**
 * Verifies a PID presented as ISO mdoc (`eu.europa.ec.eudi.pid.1`, OpenID4VP 1.0 appendix B.2) with
 * @animo-id/mdoc, whose crypto is pluggable: node:crypto here, and the issuer's chain checked by
 * {@link verifyChain} against the stage's trust anchors (the same rule as for SD-JWT VC).
 *
 * What the library checks (each failed check mapped to a refusal reason): the COSE_Sign1 issuer
 * signature (`issuerAuth`) and its `x5chain`, the MSO's `validFrom`/`validUntil`, the value digest of
 * every disclosed element, and the device signature over `DeviceAuthentication`. What is done here:
 * the SessionTranscript of OpenID4VP 1.0 — the library's own OpenID4VP handovers are the ISO
 * 18013-7 2024 draft's (with an `mdocGeneratedNonce`) and draft 24's DC API one, neither of which a
 * 1.0 wallet signs — a device signature only (no MAC: the bridge has no reader key), one PID
 * document, and only requested elements kept.
 *
 * Revocation: @animo-id/mdoc 0.5.2 does not read the MSO's `status` (draft-ietf-oauth-status-list:
 * `status: { status_list: { idx, uri } }` in the MobileSecurityObject); it is read here from the
 * verified MSO and checked by the same rule as an SD-JWT VC's (status-list.ts), the list fetched as
 * its JWT form.
 */
import { createHash, createPublicKey, verify as verifySignature, X509Certificate } from 'node:crypto';
import {
  cborEncode,
  DataItem,
  type DeviceSignedDocument,
  type MdocContext,
  parseDeviceResponse,
  type VerificationAssessment,
  Verifier,
} from '@animo-id/mdoc';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { MDOC_ELEMENTS, PID_DOCTYPE, REQUESTED_PID_CLAIMS, REQUIRED_PID_CLAIMS } from './dcql.ts';
import { type PresentationRefusalReason, PresentationRefusedError } from './errors.ts';
import type { VerifiedPid } from './sd-jwt-pid.ts';
import { type StatusListCache, verifyStatusReference } from './status-list.ts';
import { verifyChain } from './x509-chain.ts';

/** What an mdoc presentation is checked against. */
export interface MdocPresentationContext {
  nonce: string;
  /** The bridge's client id (with prefix). */
  clientId: string;
  /** The public key the response was encrypted to (its RFC 7638 thumbprint is in the transcript). */
  encryptionJwk: JWK;
  /** `direct_post.jwt`: the request's `response_uri`; the Digital Credentials API: the page's origin. */
  handover: { responseUri: string } | { origin: string };
  trustAnchors: readonly X509Certificate[];
  now: Date;
  /** Fetches a status list token (`application/statuslist+jwt`). */
  fetchStatusList(uri: string): Promise<string>;
  /** Verified status lists kept per their `ttl`. @default none */
  statusListCache?: StatusListCache | undefined;
}

/** Accepted clock skew of the status list token, in seconds (as for SD-JWT VC). */
const STATUS_SKEW_SECONDS = 60;

/**
 * The SessionTranscript bytes (`#6.24(bstr .cbor SessionTranscript)`) of OpenID4VP 1.0 appendix
 * B.2.6.1 (`OpenID4VPHandover`, redirect/`direct_post.jwt`) or B.2.6.2 (`OpenID4VPDCAPIHandover`).
 */
export async function openid4vpSessionTranscript(
  context: Pick<MdocPresentationContext, 'nonce' | 'clientId' | 'encryptionJwk' | 'handover'>,
): Promise<Uint8Array> {
  const { d: _private, ...publicJwk } = context.encryptionJwk;
  const thumbprint = Buffer.from(await calculateJwkThumbprint(publicJwk, 'sha256'), 'base64url');
  const [name, info] =
    'responseUri' in context.handover
      ? [
          'OpenID4VPHandover',
          [context.clientId, context.nonce, new Uint8Array(thumbprint), context.handover.responseUri],
        ]
      : ['OpenID4VPDCAPIHandover', [context.handover.origin, context.nonce, new Uint8Array(thumbprint)]];
  const infoHash = new Uint8Array(createHash('sha256').update(cborEncode(info)).digest());
  return cborEncode(DataItem.fromData([null, null, [name, infoHash]]));
}

/**
 * Verifies one mdoc PID presentation (the `vp_token` entry: base64url DeviceResponse).
 *
 * @throws PresentationRefusedError with the first rule it breaks.
 */
export async function verifyMdocPid(
  presentation: string,
  context: MdocPresentationContext,
): Promise<VerifiedPid> {
  let deviceResponse: ReturnType<typeof parseDeviceResponse>;
  const encoded = new Uint8Array(Buffer.from(presentation, 'base64url'));
  try {
    deviceResponse = parseDeviceResponse(encoded);
  } catch (error) {
    throw new PresentationRefusedError('invalid-response', 'The mdoc presentation cannot be read.', {
      cause: error,
    });
  }
  const [document, ...others] = deviceResponse.documents;
  if (!document || others.length > 0 || document.docType !== PID_DOCTYPE) {
    throw new PresentationRefusedError('not-a-pid', 'The mdoc presentation is not one PID.');
  }

  const failures: VerificationAssessment[] = [];
  try {
    await new Verifier().verifyDeviceResponse(
      {
        encodedDeviceResponse: encoded,
        encodedSessionTranscript: await openid4vpSessionTranscript(context),
        trustedCertificates: context.trustAnchors.map((anchor) => new Uint8Array(anchor.raw)),
        now: context.now,
        onCheck: (assessment) => {
          if (assessment.status === 'FAILED') failures.push(assessment);
        },
      },
      verifierContext(context),
    );
  } catch (error) {
    throw new PresentationRefusedError('invalid-signature', 'The mdoc PID cannot be verified.', {
      cause: error,
    });
  }
  const first = failures.sort((a, b) => rank(refusalOf(a)) - rank(refusalOf(b)))[0];
  if (first) {
    throw new PresentationRefusedError(refusalOf(first), `mdoc check failed: ${first.check}`);
  }

  const deviceSigned = document as DeviceSignedDocument;
  if (!deviceSigned.deviceSigned.deviceAuth.deviceSignature) {
    throw new PresentationRefusedError('key-binding', 'The mdoc has no device signature.');
  }
  // The MSO's signature was verified above; its `status` is issuer-signed like its validity.
  const mso = deviceSigned.issuerSigned.issuerAuth.decodedPayload as { status?: unknown };
  await verifyStatusReference(mso.status, context, { skewSeconds: STATUS_SKEW_SECONDS });
  const elements = new Map<string, unknown>();
  for (const item of deviceSigned.issuerSigned.nameSpaces.get(PID_DOCTYPE) ?? []) {
    if (elements.has(item.elementIdentifier)) {
      throw new PresentationRefusedError('tampered-disclosure', 'An mdoc element appears twice.');
    }
    elements.set(item.elementIdentifier, item.elementValue);
  }
  const claims: Record<string, unknown> = {};
  for (const name of REQUESTED_PID_CLAIMS) {
    const value = elements.get(MDOC_ELEMENTS[name] ?? name);
    if (value !== undefined) claims[name] = sdJwtValue(name, value);
  }
  const missing = REQUIRED_PID_CLAIMS.filter((name) => claims[name] === undefined);
  if (missing.length > 0) {
    throw new PresentationRefusedError('missing-claim', `The wallet did not share: ${missing.join(', ')}.`);
  }
  const issuer = deviceSigned.issuerSigned.issuerAuth.certificate;
  return {
    vct: PID_DOCTYPE,
    issuer: new X509Certificate(Buffer.from(issuer)).subject.replace(/\n/g, ', '),
    claims,
  };
}

/** mdoc values → the SD-JWT VC shapes `pidTokenClaims` reads (full-date → string, nationality → list). */
function sdJwtValue(name: string, value: unknown): unknown {
  if (name === 'nationalities') return (Array.isArray(value) ? value : [value]).map(String);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (value && typeof value === 'object' && 'toISOString' in value) return String(value);
  return value;
}

/** The library's failed check → a refusal reason. */
function refusalOf(assessment: VerificationAssessment): PresentationRefusalReason {
  const { category, check } = assessment;
  if (category === 'DOCUMENT_FORMAT') return 'invalid-response';
  // A device signature that does not verify over this request's transcript was made for another one.
  if (category === 'DEVICE_AUTH')
    return /Device signature must be valid/.test(check) ? 'foreign-request' : 'key-binding';
  if (category === 'DATA_INTEGRITY') return 'tampered-disclosure';
  if (/certificate must be valid|Country name/i.test(check)) return 'untrusted-issuer';
  if (/valid at the time of verification/i.test(check)) return 'expired';
  return 'invalid-signature';
}

/** The trust chain first, then the signature, then what it signs. */
const ORDER: readonly PresentationRefusalReason[] = [
  'invalid-response',
  'untrusted-issuer',
  'invalid-signature',
  'expired',
  'tampered-disclosure',
  'key-binding',
  'foreign-request',
];
const rank = (reason: PresentationRefusalReason): number => ORDER.indexOf(reason);

const HASHES: Record<string, string> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
};

/** The verifier's half of the library's crypto: no signing, no MAC. */
function verifierContext(context: MdocPresentationContext): MdocContext {
  const refuse = (): never => {
    throw new Error('not available to the verifier');
  };
  return {
    crypto: {
      random: refuse,
      digest: ({ digestAlgorithm, bytes }) => {
        const hash = HASHES[digestAlgorithm];
        if (!hash) throw new Error(`unsupported digest ${digestAlgorithm}`);
        return new Uint8Array(createHash(hash).update(bytes).digest());
      },
      calculateEphemeralMacKeyJwk: refuse,
    },
    cose: {
      sign1: {
        sign: refuse,
        verify: ({ sign1, jwk, options }) => {
          const { alg, signature, data } = sign1.getRawVerificationData(options);
          const hash = HASHES[alg];
          if (!hash || !/^ES/.test(alg)) return false;
          const key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
          return verifySignature(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
        },
      },
      mac0: { sign: refuse, verify: () => false },
    },
    x509: {
      getIssuerNameField: ({ certificate, field }) =>
        nameField(new X509Certificate(Buffer.from(certificate)).subject, field),
      getPublicKey: ({ certificate }) =>
        new X509Certificate(Buffer.from(certificate)).publicKey.export({ format: 'jwk' }) as never,
      validateCertificateChain: ({ x5chain }) => {
        verifyChain(
          x5chain.map((der) => Buffer.from(der).toString('base64')),
          context.trustAnchors,
          context.now,
        );
      },
      getCertificateData: ({ certificate }) => {
        const parsed = new X509Certificate(Buffer.from(certificate));
        return {
          issuerName: parsed.issuer,
          subjectName: parsed.subject,
          serialNumber: parsed.serialNumber,
          thumbprint: parsed.fingerprint256,
          notBefore: new Date(parsed.validFrom),
          notAfter: new Date(parsed.validTo),
          pem: parsed.toString(),
        };
      },
    },
  };
}

function nameField(distinguishedName: string, field: string): string[] {
  return distinguishedName
    .split('\n')
    .filter((line) => line.startsWith(`${field}=`))
    .map((line) => line.slice(field.length + 1));
}
