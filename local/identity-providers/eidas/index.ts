/**
 * The sandbox's eIDAS federation: a local eIDAS node ({@link LocalEidasIdp}) and the user pool's SAML
 * service provider ({@link LocalCognitoSamlSp}) wired to each other, plus the programmatic login
 * `POST /local/login { provider: "eidas", attributes }` runs.
 */
import { cognitoSpEntityId, type IssueResponseOptions, LocalEidasIdp } from './idp.ts';
import type { SigningKeyPair } from './keys.ts';
import { type CognitoSamlLogin, LocalCognitoSamlSp } from './sp.ts';
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
  type ConsumeOptions,
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
  /** @default a fresh RSA-3072 key and self-signed certificate */
  signingKey?: SigningKeyPair;
  /** @default 60_000 */
  clockSkewMs?: number;
}

/** Options of {@link LocalEidasFederation.federate}. */
export type FederateOptions = Omit<IssueResponseOptions, 'attributes' | 'inResponseTo'>;

/** The eIDAS node and Cognito's SP for it, configured from each other's metadata. */
export class LocalEidasFederation {
  private constructor(
    readonly idp: LocalEidasIdp,
    readonly sp: LocalCognitoSamlSp,
  ) {}

  static async create(options: LocalEidasFederationOptions): Promise<LocalEidasFederation> {
    const spEntityId = cognitoSpEntityId(options.userPoolId);
    const idp = await LocalEidasIdp.create({
      baseUrl: options.idpBaseUrl,
      spEntityId,
      acsUrl: options.acsUrl,
      signingKey: options.signingKey,
    });
    const sp = new LocalCognitoSamlSp({
      idpMetadata: idp.metadata,
      entityId: spEntityId,
      acsUrl: options.acsUrl,
      clockSkewMs: options.clockSkewMs,
    });
    return new LocalEidasFederation(idp, sp);
  }

  /**
   * A whole SP-initiated login without a browser: Cognito's AuthnRequest, the node's signed response
   * for these eIDAS attributes (by URI), Cognito's validation and attribute mapping.
   *
   * @throws SamlValidationError when Cognito would refuse the response (e.g. a value too long).
   */
  async federate(attributes: EidasAttributes, options: FederateOptions = {}): Promise<CognitoSamlLogin> {
    const request = this.sp.createLoginRequest();
    const issued = await this.idp.issueResponse({ ...options, attributes, inResponseTo: request.id });
    return this.sp.consume(issued.samlResponse, { expectedInResponseTo: request.id });
  }
}
