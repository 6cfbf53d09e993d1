/**
 * ISO mdoc PIDs (`eu.europa.ec.eudi.pid.1`) for the sandbox: the issuer side (the local PID
 * provider signs the MSO with its issuer certificate) and the holder side (the test wallet's
 * DeviceResponse, device-signed over OpenID4VP 1.0's SessionTranscript), both with @animo-id/mdoc
 * and node:crypto, written against the specifications and independent of the bridge's code.
 */
import { createHash, createPrivateKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import {
  cborDecode,
  cborEncode,
  DataItem,
  DateOnly,
  DeviceResponse,
  Document,
  type IssuerSignedDocument,
  IssuerSignedItem,
  MDoc,
  type MdocContext,
  parseIssuerSigned,
} from '@animo-id/mdoc';
import { calculateJwkThumbprint, type JWK } from 'jose';

/** The PID's mdoc doctype, which is also its one namespace. */
export const MDOC_PID_DOCTYPE = 'eu.europa.ec.eudi.pid.1';

/** SD-JWT VC claim names (what `/local/login` and the wallet page take) → PID mdoc element names. */
const ELEMENT_OF_CLAIM: Record<string, string> = {
  birthdate: 'birth_date',
  nationalities: 'nationality',
  date_of_expiry: 'expiry_date',
};

/** The PID's claims as mdoc elements: dates as CBOR full-date, nationality as a list of codes. */
export function mdocElements(claims: Record<string, unknown>): Record<string, unknown> {
  const elements: Record<string, unknown> = {};
  for (const [claim, value] of Object.entries(claims)) {
    const element = ELEMENT_OF_CLAIM[claim] ?? claim;
    elements[element] =
      typeof value === 'string' && /date/.test(element) && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? new DateOnly(value)
        : value;
  }
  return elements;
}

const SIGNING_HASH: Record<string, string> = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' };

/** The signing half of the library's crypto (issuer and device); nothing here verifies. */
export const signingContext: Pick<MdocContext, 'crypto' | 'cose'> = {
  crypto: {
    random: (length) => new Uint8Array(randomBytes(length)),
    digest: ({ digestAlgorithm, bytes }) =>
      new Uint8Array(createHash(digestAlgorithm.replace('-', '').toLowerCase()).update(bytes).digest()),
    calculateEphemeralMacKeyJwk: () => {
      throw new Error('the sandbox signs, it does not MAC');
    },
  },
  cose: {
    sign1: {
      sign: ({ sign1, jwk }) => {
        const { data, alg } = sign1.getRawSigningData();
        const key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
        return new Uint8Array(sign(SIGNING_HASH[alg] ?? 'sha256', data, { key, dsaEncoding: 'ieee-p1363' }));
      },
      verify: () => {
        throw new Error('the sandbox signs, it does not verify');
      },
    },
    mac0: {
      sign: () => {
        throw new Error('no MAC');
      },
      verify: () => false,
    },
  },
};

/** What the local provider signs an mdoc PID from. */
export interface MdocIssueInput {
  claims: Record<string, unknown>;
  holderPublicJwk: JWK;
  issuerKey: KeyObject;
  /** Base64 DER of the issuer certificate (the MSO's `x5chain`). */
  issuerCertificate: string;
  validFrom: Date;
  validUntil: Date;
  /** The MSO's `status` (draft-ietf-oauth-status-list): `{ status_list: { idx, uri } }`. */
  status?: { status_list: { idx: number; uri: string } };
}

/** Signs an mdoc PID; returns its IssuerSigned structure, CBOR, base64url (as OpenID4VCI delivers it). */
export async function issueMdocPid(input: MdocIssueInput): Promise<string> {
  const document = await new Document(MDOC_PID_DOCTYPE, signingContext)
    .addIssuerNameSpace(MDOC_PID_DOCTYPE, mdocElements(input.claims))
    .useDigestAlgorithm('SHA-256')
    .addValidityInfo({ signed: new Date(), validFrom: input.validFrom, validUntil: input.validUntil })
    .addDeviceKeyInfo({ deviceKey: input.holderPublicJwk })
    .sign(
      {
        issuerPrivateKey: input.issuerKey.export({ format: 'jwk' }) as JWK,
        issuerCertificate: new Uint8Array(Buffer.from(input.issuerCertificate, 'base64')),
        alg: 'ES256',
      },
      signingContext,
    );
  if (input.status) await addMsoStatus(document, input.status, input.issuerKey);
  return Buffer.from(cborEncode(document.prepare().get('issuerSigned'))).toString('base64url');
}

/**
 * Adds `status` to a signed document's MSO and signs it again: @animo-id/mdoc 0.5.2 builds the MSO
 * from a fixed set of fields, so the status list reference is added to the signed payload and the
 * COSE_Sign1 signed anew over it with the same headers.
 */
async function addMsoStatus(
  document: IssuerSignedDocument,
  status: NonNullable<MdocIssueInput['status']>,
  issuerKey: KeyObject,
): Promise<void> {
  const issuerAuth = document.issuerSigned.issuerAuth;
  const decoded = cborDecode(issuerAuth.payload);
  const content = decoded instanceof DataItem ? decoded.data : decoded;
  const mso = content instanceof Map ? new Map(content) : new Map(Object.entries(content as object));
  mso.set('status', new Map([['status_list', new Map<string, unknown>(Object.entries(status.status_list))]]));
  // `payload` is read-only in the library's types only: Sign1 keeps it as a plain field.
  (issuerAuth as { payload: Uint8Array }).payload = cborEncode(DataItem.fromData(mso));
  issuerAuth.signature = await signingContext.cose.sign1.sign({
    sign1: issuerAuth,
    jwk: issuerKey.export({ format: 'jwk' }) as JWK,
  });
}

/** The claim names (SD-JWT VC) an mdoc PID holds, for answering a DCQL query. */
export function mdocClaimNames(credential: string): Set<string> {
  const document = parseIssuerSigned(new Uint8Array(Buffer.from(credential, 'base64url')), MDOC_PID_DOCTYPE);
  return new Set(
    (document.issuerSigned.nameSpaces.get(MDOC_PID_DOCTYPE) ?? []).map((item) => item.elementIdentifier),
  );
}

/** How the holder builds its DeviceResponse (and how tests make it misbehave). */
export interface MdocPresentation {
  credential: string;
  holderKey: KeyObject;
  /** Element identifiers to disclose. */
  elements: readonly string[];
  /** The OpenID4VP 1.0 handover the device signs. */
  transcript: {
    clientId: string;
    nonce: string;
    verifierEncryptionJwk: JWK;
    responseUri?: string;
    origin?: string;
  };
  /** Leave out the device signature (issuer-signed data only). */
  omitDeviceAuth?: boolean;
  /** Replace an element's value after issuance. */
  alterElement?: { element: string; value: unknown };
  /** Add an element the issuer never signed. */
  extraElement?: { element: string; value: unknown };
}

/** The `vp_token` entry of an mdoc PID: a DeviceResponse, CBOR, base64url. */
export async function presentMdocPid(input: MdocPresentation): Promise<string> {
  const document = parseIssuerSigned(
    new Uint8Array(Buffer.from(input.credential, 'base64url')),
    MDOC_PID_DOCTYPE,
  );
  const items = document.issuerSigned.nameSpaces.get(MDOC_PID_DOCTYPE) ?? [];
  if (input.alterElement) {
    const { element, value } = input.alterElement;
    const index = items.findIndex((item) => item.elementIdentifier === element);
    const original = items[index];
    if (original) items[index] = IssuerSignedItem.create(original.digestID, element, value, signingContext);
  }
  const elements = [...input.elements];
  if (input.extraElement) {
    const { element, value } = input.extraElement;
    items.push(IssuerSignedItem.create(9999, element, value, signingContext));
    elements.push(element);
  }
  if (input.omitDeviceAuth) {
    const disclosed = items.filter((item) => elements.includes(item.elementIdentifier));
    document.issuerSigned.nameSpaces.set(MDOC_PID_DOCTYPE, disclosed);
    return Buffer.from(new MDoc([document]).encode()).toString('base64url');
  }
  const response = await DeviceResponse.from(new MDoc([document]))
    .usingPresentationDefinition({
      id: 'pid',
      input_descriptors: [
        {
          id: MDOC_PID_DOCTYPE,
          format: { mso_mdoc: { alg: ['ES256'] } },
          constraints: {
            limit_disclosure: 'required',
            fields: elements.map((element) => ({
              path: [`$['${MDOC_PID_DOCTYPE}']['${element}']`],
              intent_to_retain: false,
            })),
          },
        },
      ],
    })
    .usingSessionTranscriptBytes(await holderSessionTranscript(input.transcript))
    .authenticateWithSignature(input.holderKey.export({ format: 'jwk' }) as JWK, 'ES256')
    .sign(signingContext);
  return Buffer.from(response.encode()).toString('base64url');
}

/**
 * OpenID4VP 1.0 appendix B.2.6: `[null, null, Handover]` where the handover hashes the request's
 * client id, nonce, the thumbprint of the key the response is encrypted to, and the response URI
 * (`OpenID4VPHandover`) or, through the Digital Credentials API, the origin, nonce and thumbprint
 * (`OpenID4VPDCAPIHandover`).
 */
export async function holderSessionTranscript(
  transcript: MdocPresentation['transcript'],
): Promise<Uint8Array> {
  const { kty, crv, x, y } = transcript.verifierEncryptionJwk;
  const thumbprint = new Uint8Array(
    Buffer.from(await calculateJwkThumbprint({ kty, crv, x, y } as JWK), 'base64url'),
  );
  const handover =
    transcript.origin !== undefined
      ? ['OpenID4VPDCAPIHandover', sha256(cborEncode([transcript.origin, transcript.nonce, thumbprint]))]
      : [
          'OpenID4VPHandover',
          sha256(
            cborEncode([transcript.clientId, transcript.nonce, thumbprint, transcript.responseUri ?? null]),
          ),
        ];
  return cborEncode(DataItem.fromData([null, null, handover]));
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}
