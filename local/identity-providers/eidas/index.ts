/**
 * The sandbox's eIDAS federation: a local eIDAS node ({@link LocalEidasIdp}) and the user pool's SAML
 * service provider ({@link LocalCognitoSamlSp}) wired to each other, plus the programmatic login
 * `POST /local/login { provider: "eidas", attributes }` runs.
 */
import { cognitoSpEntityId, type IssueResponseOptions, LocalEidasIdp } from './idp.ts';
import { generateSigningKeyPair, type SigningKeyPair } from './keys.ts';
import { type CognitoSamlLogin, cognitoSpMetadata, LocalCognitoSamlSp } from './sp.ts';
import type { EidasAttributes } from './test-identity.ts';

export { type EidasCountry, EU_MEMBER_STATES, findCountry } from './countries.ts';
export {
  cognitoSpEntityId,
  type IssuedResponse,
  type IssueResponseOptions,
  LocalEidasIdp,
  type LocalEidasIdpOptions,
  SAML,
} from './idp.ts';
export { generateSigningKeyPair, type SigningKeyPair } from './keys.ts';
export {
  COGNITO_MAX_ATTRIBUTE_LENGTH,
  type CognitoSamlLogin,
  type CognitoSpMetadataOptions,
  type ConsumeOptions,
  cognitoSpMetadata,
  LocalCognitoSamlSp,
  type LocalCognitoSamlSpOptions,
  type LoginRequest,
  SamlValidationError,
  type SamlValidationReason,
} from './sp.ts';
export {
  EIDAS_LOA_LEVELS,
  type EidasAddressParts,
  type EidasAttributes,
  type EidasLoaLevel,
  type EidasTestIdentity,
  eidasAttribute,
  eidasAttributesFor,
  eidasLoaUri,
  encodeEidasAddress,
} from './test-identity.ts';

/** Options of {@link LocalEidasFederation.create}. */
export interface LocalEidasFederationOptions {
  /** Where the IdP is mounted, e.g. `http://127.0.0.1:3000/local/eidas`. */
  idpBaseUrl: string;
  /** The local user pool's id: the SP entity id is `urn:amazon:cognito:sp:<userPoolId>`. */
  userPoolId: string;
  /** The SP's ACS, e.g. `http://127.0.0.1:3000/saml2/idpresponse`. */
  acsUrl: string;
  /** The node's key. @default a fresh RSA-3072 key and self-signed certificate */
  signingKey?: SigningKeyPair;
  /** The pool's SAML signing and encryption keys. @default fresh RSA-2048 keys, made in memory */
  spKeys?: { signing: SigningKeyPair; encryption: SigningKeyPair };
  /** The provider's `RequestSigningAlgorithm: rsa-sha256`. @default false */
  signRequests?: boolean;
  /** The provider's `EncryptedResponses: true`. @default false */
  encryptedResponses?: boolean;
  /** @default 60_000 */
  clockSkewMs?: number;
}

/** Options of {@link LocalEidasFederation.federate}. */
export type FederateOptions = Omit<IssueResponseOptions, 'attributes' | 'inResponseTo'>;

/**
 * The eIDAS node and Cognito's SP for it, configured from each other's metadata: the SP's metadata
 * (certificates, `AuthnRequestsSigned`) first, the node from it, then the SP from the node's.
 */
export class LocalEidasFederation {
  private constructor(
    readonly idp: LocalEidasIdp,
    readonly sp: LocalCognitoSamlSp,
  ) {}

  static async create(options: LocalEidasFederationOptions): Promise<LocalEidasFederation> {
    const spEntityId = cognitoSpEntityId(options.userPoolId);
    const signRequests = options.signRequests ?? false;
    const encryptedResponses = options.encryptedResponses ?? false;
    // Like Cognito's per-provider keys, but made in memory at every start: nothing to commit or leak.
    const [signing, encryption] = options.spKeys
      ? [options.spKeys.signing, options.spKeys.encryption]
      : await Promise.all([
          generateSigningKeyPair({
            commonName: 'Local user pool SAML signing (sandbox only)',
            modulusLength: 2048,
          }),
          generateSigningKeyPair({
            commonName: 'Local user pool SAML encryption (sandbox only)',
            modulusLength: 2048,
          }),
        ]);
    const idp = await LocalEidasIdp.create({
      baseUrl: options.idpBaseUrl,
      spMetadata: cognitoSpMetadata({
        entityId: spEntityId,
        acsUrl: options.acsUrl,
        signingCertificatePem: signing.certificatePem,
        ...(encryptedResponses ? { encryptionCertificatePem: encryption.certificatePem } : {}),
        signRequests,
      }),
      signingKey: options.signingKey,
    });
    const sp = new LocalCognitoSamlSp({
      idpMetadata: idp.metadata,
      entityId: spEntityId,
      acsUrl: options.acsUrl,
      clockSkewMs: options.clockSkewMs,
      signingKey: signing,
      encryptionKey: encryption,
      signRequests,
      encryptedResponses,
    });
    return new LocalEidasFederation(idp, sp);
  }

  /**
   * A whole SP-initiated login without a browser: Cognito's AuthnRequest (signed when the provider
   * says so, and checked by the node), the node's signed (and, when asked, encrypted) response
   * for these eIDAS attributes (by URI), Cognito's validation and attribute mapping.
   *
   * @throws SamlValidationError when Cognito would refuse the response (e.g. a value too long).
   */
  async federate(attributes: EidasAttributes, options: FederateOptions = {}): Promise<CognitoSamlLogin> {
    const request = this.sp.createLoginRequest();
    const accepted = await this.idp.acceptRedirectRequest(request.url);
    const issued = await this.idp.issueResponse({ ...options, attributes, inResponseTo: accepted.id });
    return this.sp.consume(issued.samlResponse, { expectedInResponseTo: request.id });
  }
}
