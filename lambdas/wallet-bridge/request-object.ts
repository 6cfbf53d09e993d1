/**
 * The signed request object (JAR, RFC 9101) of OpenID4VP 1.0 with the HAIP profile: signed with the
 * relying party's access certificate key, the chain in `x5c`, `client_id` with the `x509_san_dns:` or
 * `x509_hash:` prefix, a DCQL query, and `direct_post.jwt` to the response URI with the ephemeral
 * P-256 key the response must be encrypted to (ECDH-ES) — or, for the W3C Digital Credentials API,
 * `dc_api.jwt` with the page origins the browser may ask from (`expected_origins`, appendix A).
 */
import type { KeyObject } from 'node:crypto';
import { type JWK, SignJWT } from 'jose';
import { pidDcqlQuery } from './dcql.ts';

/** The relying party's access certificate: its private key and chain (base64 DER, leaf first). */
export interface AccessCertificate {
  privateKey: KeyObject;
  chain: readonly string[];
}

/** Content encryption algorithms the bridge accepts for the response. */
export const RESPONSE_ENC_VALUES = ['A128GCM', 'A256GCM'] as const;

/** What a request object says. */
export type RequestObjectInput = {
  clientId: string;
  nonce: string;
  /** Public half of the transaction's ephemeral encryption key, with `kid`. */
  encryptionJwk: JWK;
  /** Relying party's name shown by wallets. */
  clientName: string;
  now: Date;
  /** Lifetime of the request object in seconds. */
  lifetimeSeconds: number;
} & (
  | { responseUri: string; state: string; expectedOrigins?: undefined }
  | { expectedOrigins: string[]; responseUri?: undefined; state?: undefined }
);

/** Signs the request object (`typ: oauth-authz-req+jwt`, ES256). */
export async function signRequestObject(
  input: RequestObjectInput,
  certificate: AccessCertificate,
): Promise<string> {
  const iat = Math.floor(input.now.getTime() / 1000);
  return new SignJWT({
    client_id: input.clientId,
    response_type: 'vp_token',
    ...(input.expectedOrigins
      ? { response_mode: 'dc_api.jwt', expected_origins: input.expectedOrigins }
      : { response_mode: 'direct_post.jwt', response_uri: input.responseUri, state: input.state }),
    nonce: input.nonce,
    dcql_query: pidDcqlQuery({ mdoc: true }),
    client_metadata: {
      client_name: input.clientName,
      jwks: { keys: [{ ...input.encryptionJwk, use: 'enc', alg: 'ECDH-ES' }] },
      encrypted_response_enc_values_supported: [...RESPONSE_ENC_VALUES],
      vp_formats_supported: {
        'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] },
        // COSE ES256 (-7) for the issuer's and the device's signatures.
        mso_mdoc: { issuerauth_alg_values: [-7], deviceauth_alg_values: [-7] },
      },
    },
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'oauth-authz-req+jwt', x5c: [...certificate.chain] })
    .setIssuer(input.clientId)
    .setAudience('https://self-issued.me/v2')
    .setIssuedAt(iat)
    .setExpirationTime(iat + input.lifetimeSeconds)
    .sign(certificate.privateKey);
}
