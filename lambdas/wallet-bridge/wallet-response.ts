/**
 * The wallet's `direct_post.jwt` answer: a JWE (ECDH-ES, A128GCM/A256GCM) encrypted to the
 * transaction's ephemeral key, whose payload is the OpenID4VP response (`vp_token` keyed by the DCQL
 * credential query id, and `state`) or an error response. The query's credential set takes one PID,
 * as SD-JWT VC (`pid`) or as mdoc (`pid_mdoc`), never both.
 */
import { compactDecrypt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { PID_MDOC_QUERY_ID, PID_SD_JWT_QUERY_ID } from './dcql.ts';
import { PresentationRefusedError } from './errors.ts';
import { RESPONSE_ENC_VALUES } from './request-object.ts';

/** A decrypted wallet answer. */
export type WalletResponse =
  | {
      kind: 'presentation';
      state: string | undefined;
      format: 'dc+sd-jwt' | 'mso_mdoc';
      /** The SD-JWT VC presentation, or the mdoc DeviceResponse (CBOR, base64url). */
      presentation: string;
    }
  | { kind: 'error'; state: string | undefined; error: string };

/**
 * Decrypts and parses the `response` parameter.
 *
 * @throws PresentationRefusedError `invalid-response` for anything else than one PID (SD-JWT VC or
 *   mdoc) or an OpenID4VP error, encrypted as required.
 */
export async function decryptWalletResponse(jwe: string, privateJwk: JWK): Promise<WalletResponse> {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jwe) as Record<string, unknown>;
  } catch (error) {
    throw invalid('the response is not a JWE', error);
  }
  if (header.alg !== 'ECDH-ES' || !(RESPONSE_ENC_VALUES as readonly string[]).includes(String(header.enc))) {
    throw invalid('the response is not encrypted with ECDH-ES and AES-GCM');
  }
  if (header.kid !== undefined && header.kid !== privateJwk.kid)
    throw invalid('the response is for another key');
  let body: Record<string, unknown>;
  try {
    const key = await importJWK(privateJwk, 'ECDH-ES');
    const { plaintext } = await compactDecrypt(jwe, key, {
      keyManagementAlgorithms: ['ECDH-ES'],
      contentEncryptionAlgorithms: [...RESPONSE_ENC_VALUES],
    });
    body = JSON.parse(new TextDecoder().decode(plaintext)) as Record<string, unknown>;
  } catch (error) {
    throw invalid('the response cannot be decrypted', error);
  }
  const state = typeof body.state === 'string' ? body.state : undefined;
  if (typeof body.error === 'string') return { kind: 'error', state, error: body.error };
  const vpToken = body.vp_token as Record<string, unknown> | undefined;
  const answered = [PID_SD_JWT_QUERY_ID, PID_MDOC_QUERY_ID].filter((id) => vpToken?.[id] !== undefined);
  const presentations = answered.length === 1 ? vpToken?.[answered[0] as string] : undefined;
  if (!Array.isArray(presentations) || presentations.length !== 1 || typeof presentations[0] !== 'string') {
    throw invalid('the response does not carry exactly one PID presentation');
  }
  return {
    kind: 'presentation',
    state,
    format: answered[0] === PID_MDOC_QUERY_ID ? 'mso_mdoc' : 'dc+sd-jwt',
    presentation: presentations[0],
  };
}

function invalid(message: string, cause?: unknown): PresentationRefusedError {
  return new PresentationRefusedError('invalid-response', `Invalid wallet response: ${message}.`, { cause });
}
