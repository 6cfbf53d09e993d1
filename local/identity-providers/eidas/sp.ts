/**
 * Cognito's side of the eIDAS federation: the SAML service provider of a user pool. It validates an
 * IdP's response the way Cognito's SAML provider does and maps its attributes the way the user pool's
 * attribute mapping does (both from attribute-mapping.ts, the definition the CDK identity construct
 * uses), so the sandbox hands the triggers exactly what Cognito would.
 *
 * As the SAML provider's `ProviderDetails` configure it (template-settings.ts):
 * - `RequestSigningAlgorithm: rsa-sha256`: AuthnRequests go out signed for the HTTP-Redirect binding
 *   (`SigAlg` and `Signature` query parameters over the deflated request, rsa-sha256) with the pool's
 *   signing key, whose certificate the SP metadata publishes (`AuthnRequestsSigned="true"`);
 * - `EncryptedResponses: true`: the assertion must arrive as an `EncryptedAssertion` to the pool's
 *   encryption certificate (published in the SP metadata, `KeyDescriptor use="encryption"`) and is
 *   decrypted here; a response that carries a readable assertion is refused. Without it, an
 *   encrypted assertion is refused: the pool has no key the IdP was told about.
 * Cognito's documentation says only that the IdP encrypts "as defined by the SAML 2.0
 * specification"; the sandbox accepts what both validating libraries decrypt: AES-128/256 in GCM or
 * CBC mode with an RSA-OAEP key transport (the local node sends AES-256-GCM with RSA-OAEP).
 *
 * Validation, every step required:
 * - the assertion's form: encrypted exactly when the provider says so;
 * - schema and XML signatures by samlify, with the certificate from the IdP metadata (a KeyInfo
 *   certificate other than the metadata's is refused), status Success, issuer, NotBefore/NotOnOrAfter;
 * - independently by @node-saml/node-saml (which decrypts with the same key on its own): a signed
 *   assertion, as Cognito demands (a response signature alone is not enough; one on the response
 *   as well is checked when present, and an unsigned response around a signed assertion is
 *   accepted, as Cognito does), audience, time;
 * - here: Destination and SubjectConfirmationData Recipient = the ACS, Audience = the SP entity id,
 *   bearer confirmation still valid, InResponseTo when one is expected;
 * - both libraries must read the same NameID and attributes from what they verified, which closes XML
 *   signature-wrapping tricks that would fool only one of them.
 */
import { SAML as NodeSaml, ValidateInResponseTo } from '@node-saml/node-saml';
import {
  type CustomAttributeName,
  customAttributes,
  eidasAttributeMapping,
  PROVIDER_NAMES,
} from '#identity/attribute-mapping';
import { encodeMultiValued } from '#identity/eidas-mapping';
import { UnauthorizedForReason } from '#shared/errors';
import { SAML } from './idp.ts';
import type { SigningKeyPair } from './keys.ts';
import {
  type ExtractorResult,
  type IdentityProviderInstance,
  type ServiceProviderInstance,
  samlify,
} from './samlify.ts';

/** Cognito refuses attribute values longer than this (and longer than the attribute's schema length). */
export const COGNITO_MAX_ATTRIBUTE_LENGTH = 2048;
const MAX_RESPONSE_BYTES = 256 * 1024;

/** Why a SAML response was refused (stable, for tests and logs). */
export type SamlValidationReason =
  | 'malformed'
  | 'not-encrypted'
  | 'decryption'
  | 'signature'
  | 'status'
  | 'issuer'
  | 'audience'
  | 'destination'
  | 'recipient'
  | 'time'
  | 'in-response-to'
  | 'inconsistent'
  | 'attribute-too-long';

/** A SAML response Cognito would refuse. The message is short and safe to show. */
export class SamlValidationError extends UnauthorizedForReason<SamlValidationReason> {}

/** Options of {@link LocalCognitoSamlSp}. */
export interface LocalCognitoSamlSpOptions {
  /** The IdP metadata XML (entity id and signing certificate are taken from it). */
  idpMetadata: string;
  /** `urn:amazon:cognito:sp:<poolId>`. */
  entityId: string;
  /** `https://<domain>/saml2/idpresponse`; `http://127.0.0.1:<port>/saml2/idpresponse` in the sandbox. */
  acsUrl: string;
  /** Tolerated clock difference with the IdP. @default 60_000 */
  clockSkewMs?: number;
  /** The pool's SAML signing key: signs AuthnRequests, its certificate is in the SP metadata. */
  signingKey: SigningKeyPair;
  /** The pool's SAML encryption key: the IdP encrypts assertions to its certificate. */
  encryptionKey: SigningKeyPair;
  /** `RequestSigningAlgorithm: rsa-sha256`. @default false */
  signRequests?: boolean;
  /** `EncryptedResponses: true`. @default false */
  encryptedResponses?: boolean;
}

/** Options of {@link cognitoSpMetadata}. */
export interface CognitoSpMetadataOptions {
  entityId: string;
  acsUrl: string;
  /** PEM of the pool's signing certificate. */
  signingCertificatePem: string;
  /** PEM of the pool's encryption certificate; published only when assertions must be encrypted. */
  encryptionCertificatePem?: string;
  /** `AuthnRequestsSigned`. */
  signRequests: boolean;
}

/**
 * The SAML metadata of a user pool as a service provider for one SAML IdP: entity id, the HTTP-POST
 * ACS, `AuthnRequestsSigned` and `WantAssertionsSigned="true"`, the signing certificate and, when
 * assertions must be encrypted, the encryption certificate. Cognito leaves it to the operator to hand
 * these values to the IdP; the sandbox serves them as one document (`GET /saml2/metadata`), which is
 * how the local eIDAS node learns them.
 */
export function cognitoSpMetadata(options: CognitoSpMetadataOptions): string {
  return samlify
    .ServiceProvider({
      entityID: options.entityId,
      authnRequestsSigned: options.signRequests,
      wantAssertionsSigned: true,
      signingCert: options.signingCertificatePem,
      ...(options.encryptionCertificatePem ? { encryptCert: options.encryptionCertificatePem } : {}),
      nameIDFormat: [SAML.nameIdPersistent],
      assertionConsumerService: [{ Binding: SAML.bindingPost, Location: options.acsUrl }],
    })
    .getMetadata();
}

/** Options of {@link LocalCognitoSamlSp.consume}. */
export interface ConsumeOptions {
  /** The AuthnRequest id this response must answer (SP-initiated login). */
  expectedInResponseTo?: string;
}

/** What Cognito makes of a valid response. */
export interface CognitoSamlLogin {
  /** The SAML NameID: Cognito's identity `userId`. */
  nameId: string;
  /** `eIDAS_<nameId>`: the federated user name. */
  userName: string;
  /** Mapped `custom:<name>` attributes, multi-valued ones URL-form-encoded like Cognito does. */
  attributes: Record<string, string>;
}

/** An AuthnRequest for the HTTP-Redirect binding. */
export interface LoginRequest {
  /** The AuthnRequest ID, to check the response's InResponseTo. */
  id: string;
  /** The IdP's SSO URL with `SAMLRequest` (and `RelayState`). */
  url: string;
}

const INVALID_SIGNATURE = 'The SAML response is not signed by the identity provider.';
const DECRYPTION_FAILED = "The SAML assertion could not be decrypted with this service's key.";

/** Cognito's SAML service provider for one IdP (see the module comment). */
export class LocalCognitoSamlSp {
  readonly entityId: string;
  readonly acsUrl: string;
  /** The IdP's entity id from its metadata. */
  readonly idpEntityId: string;
  /** This SP's metadata (see {@link cognitoSpMetadata}). */
  readonly metadata: string;
  readonly signRequests: boolean;
  readonly encryptedResponses: boolean;

  readonly #clockSkewMs: number;
  readonly #sp: ServiceProviderInstance;
  readonly #idp: IdentityProviderInstance;
  readonly #nodeSaml: NodeSaml;

  constructor(options: LocalCognitoSamlSpOptions) {
    this.entityId = options.entityId;
    this.acsUrl = options.acsUrl;
    this.#clockSkewMs = options.clockSkewMs ?? 60_000;
    this.signRequests = options.signRequests ?? false;
    this.encryptedResponses = options.encryptedResponses ?? false;
    this.metadata = cognitoSpMetadata({
      entityId: options.entityId,
      acsUrl: options.acsUrl,
      signingCertificatePem: options.signingKey.certificatePem,
      ...(this.encryptedResponses ? { encryptionCertificatePem: options.encryptionKey.certificatePem } : {}),
      signRequests: this.signRequests,
    });
    this.#idp = samlify.IdentityProvider({
      metadata: options.idpMetadata,
      isAssertionEncrypted: this.encryptedResponses,
    });
    this.idpEntityId = this.#idp.entityMeta.getEntityID();
    this.#sp = samlify.ServiceProvider({
      entityID: options.entityId,
      assertionConsumerService: [{ Binding: SAML.bindingPost, Location: options.acsUrl }],
      wantAssertionsSigned: true,
      wantMessageSigned: false,
      authnRequestsSigned: this.signRequests,
      privateKey: options.signingKey.privateKeyPem,
      signingCert: options.signingKey.certificatePem,
      requestSignatureAlgorithm: SAML.rsaSha256,
      ...(this.encryptedResponses
        ? {
            encPrivateKey: options.encryptionKey.privateKeyPem,
            encryptCert: options.encryptionKey.certificatePem,
          }
        : {}),
      clockDrifts: [-this.#clockSkewMs, this.#clockSkewMs],
    });
    const certificates = [this.#idp.entityMeta.getX509Certificate('signing')].flat(2);
    if (certificates.length === 0 || certificates.some((certificate) => typeof certificate !== 'string')) {
      throw new Error('IdP metadata has no signing certificate');
    }
    this.#nodeSaml = new NodeSaml({
      idpCert: certificates as string[],
      issuer: options.entityId,
      audience: options.entityId,
      callbackUrl: options.acsUrl,
      idpIssuer: this.idpEntityId,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: this.#clockSkewMs,
      validateInResponseTo: ValidateInResponseTo.never,
      ...(this.encryptedResponses ? { decryptionPvk: options.encryptionKey.privateKeyPem } : {}),
    });
  }

  /**
   * An SP-initiated login, as Cognito redirects the browser to the IdP: with `SigAlg` and `Signature`
   * when the provider signs its requests.
   */
  createLoginRequest(options: { relayState?: string } = {}): LoginRequest {
    const request = this.#sp.createLoginRequest(this.#idp, 'redirect', { relayState: options.relayState });
    return { id: request.id, url: request.context };
  }

  /**
   * Validates a base64 `SAMLResponse` and maps its attributes.
   *
   * @throws SamlValidationError when Cognito would refuse the response.
   */
  async consume(samlResponse: string, options: ConsumeOptions = {}): Promise<CognitoSamlLogin> {
    if (samlResponse.length > MAX_RESPONSE_BYTES || !/^[A-Za-z0-9+/=\s]+$/.test(samlResponse)) {
      throw new SamlValidationError('malformed', 'The SAML response is not readable.');
    }
    this.#checkAssertionForm(Buffer.from(samlResponse, 'base64').toString('utf8'));
    const parsed = await this.#parseWithSamlify(samlResponse);
    const profile = await this.#parseWithNodeSaml(samlResponse);
    const extract = parsed.extract;

    const response = (extract.response ?? {}) as Record<string, string | undefined>;
    if (response.destination !== this.acsUrl) {
      throw new SamlValidationError('destination', 'The SAML response is addressed to another service.');
    }
    const audiences = [extract.audience ?? []].flat();
    if (audiences.length === 0 || audiences.some((audience) => audience !== this.entityId)) {
      throw new SamlValidationError('audience', 'The SAML assertion is meant for another service.');
    }
    const confirmation = this.#subjectConfirmation(
      this.encryptedResponses ? await this.#decrypted(parsed.samlContent) : parsed.samlContent,
    );
    if (confirmation.recipient !== this.acsUrl) {
      throw new SamlValidationError('recipient', 'The SAML assertion is addressed to another service.');
    }
    if (
      confirmation.notOnOrAfter === undefined ||
      Date.parse(confirmation.notOnOrAfter) + this.#clockSkewMs <= Date.now()
    ) {
      throw new SamlValidationError('time', 'The SAML assertion has expired.');
    }
    if (
      options.expectedInResponseTo !== undefined &&
      (response.inResponseTo !== options.expectedInResponseTo ||
        confirmation.inResponseTo !== options.expectedInResponseTo)
    ) {
      throw new SamlValidationError('in-response-to', 'The SAML response does not answer this login.');
    }

    const nameId = typeof extract.nameID === 'string' ? extract.nameID : '';
    const samlAttributes = normaliseAttributes(extract.attributes ?? {});
    if (
      nameId === '' ||
      profile.nameID !== nameId ||
      !sameAttributes(samlAttributes, normaliseAttributes(profile.attributes ?? {}))
    ) {
      throw new SamlValidationError('inconsistent', 'The SAML response is ambiguous.');
    }
    return {
      nameId,
      userName: `${PROVIDER_NAMES.eidas}_${nameId}`,
      attributes: mapToCognito(samlAttributes),
    };
  }

  /**
   * Encrypted exactly when the provider says so. Any readable `Assertion` element anywhere counts: an
   * encrypted response has none outside its ciphertext.
   */
  #checkAssertionForm(xml: string): void {
    const readable = /<(?:[A-Za-z_][\w.-]*:)?Assertion[\s>/]/.test(xml);
    const encrypted = /<(?:[A-Za-z_][\w.-]*:)?EncryptedAssertion[\s>/]/.test(xml);
    if (this.encryptedResponses && readable) {
      throw new SamlValidationError(
        'not-encrypted',
        'The identity provider sent a readable SAML assertion, but this service accepts encrypted assertions only.',
      );
    }
    if (!this.encryptedResponses && encrypted) {
      throw new SamlValidationError(
        'decryption',
        'The identity provider sent an encrypted SAML assertion, but this service does not accept encrypted assertions.',
      );
    }
  }

  async #parseWithSamlify(samlResponse: string): Promise<{
    samlContent: string;
    extract: ExtractorResult;
  }> {
    try {
      const result = await this.#sp.parseLoginResponse(this.#idp, 'post', {
        body: { SAMLResponse: samlResponse },
      });
      return { samlContent: result.samlContent, extract: result.extract };
    } catch (error) {
      throw samlifyError(error);
    }
  }

  async #parseWithNodeSaml(samlResponse: string): Promise<{ nameID: string; attributes?: unknown }> {
    let result: Awaited<ReturnType<NodeSaml['validatePostResponseAsync']>>;
    try {
      result = await this.#nodeSaml.validatePostResponseAsync({ SAMLResponse: samlResponse });
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (/audience/i.test(message)) {
        throw new SamlValidationError('audience', 'The SAML assertion is meant for another service.', {
          cause: error,
        });
      }
      if (/expired|not yet valid|NotBefore|NotOnOrAfter/i.test(message)) {
        throw new SamlValidationError('time', 'The SAML assertion is not valid at this time.', {
          cause: error,
        });
      }
      if (/decrypt/i.test(message)) {
        throw new SamlValidationError('decryption', DECRYPTION_FAILED, { cause: error });
      }
      throw new SamlValidationError('signature', INVALID_SIGNATURE, { cause: error });
    }
    if (!result.profile) throw new SamlValidationError('malformed', 'The SAML response has no assertion.');
    return result.profile;
  }

  /** The response with its assertion decrypted (its signature then checked like a readable one). */
  async #decrypted(samlContent: string): Promise<string> {
    try {
      const [document] = await samlify.SamlLib.decryptAssertion(this.#sp, samlContent);
      return document;
    } catch (error) {
      throw new SamlValidationError('decryption', DECRYPTION_FAILED, { cause: error });
    }
  }

  /** SubjectConfirmationData of the assertion whose signature samlify verified (never a wrapped copy). */
  #subjectConfirmation(samlContent: string): {
    recipient?: string;
    notOnOrAfter?: string;
    inResponseTo?: string;
  } {
    const [verified, assertion] = samlify.SamlLib.verifySignature(samlContent, {
      metadata: this.#idp.entityMeta,
      signatureAlgorithm: SAML.rsaSha256,
    });
    if (!verified || typeof assertion !== 'string') {
      throw new SamlValidationError('signature', INVALID_SIGNATURE);
    }
    const extracted = samlify.Extractor.extract(assertion, [
      {
        key: 'confirmation',
        localPath: ['Assertion', 'Subject', 'SubjectConfirmation', 'SubjectConfirmationData'],
        attributes: ['Recipient', 'NotOnOrAfter', 'InResponseTo'],
      },
    ]);
    const confirmation = extracted.confirmation;
    if (!confirmation || Array.isArray(confirmation) || typeof confirmation !== 'object') {
      throw new SamlValidationError('recipient', 'The SAML assertion has no single bearer confirmation.');
    }
    const read = (key: string): string | undefined => {
      const value = (confirmation as Record<string, unknown>)[key];
      return typeof value === 'string' ? value : undefined;
    };
    return {
      recipient: read('recipient'),
      notOnOrAfter: read('notOnOrAfter'),
      inResponseTo: read('inResponseTo'),
    };
  }
}

function samlifyError(error: unknown): SamlValidationError {
  const code = error instanceof Error ? error.message : String(error);
  if (code.startsWith('ERR_FAILED_STATUS') || code === 'ERR_UNDEFINED_STATUS') {
    return new SamlValidationError('status', 'The identity provider did not authenticate you.', {
      cause: error,
    });
  }
  if (code === 'ERR_UNMATCH_ISSUER') {
    return new SamlValidationError('issuer', 'The SAML response comes from an unknown identity provider.', {
      cause: error,
    });
  }
  if (code === 'ERR_SUBJECT_UNCONFIRMED' || code === 'ERR_EXPIRED_SESSION') {
    return new SamlValidationError('time', 'The SAML assertion is not valid at this time.', { cause: error });
  }
  if (code.includes('DECRYPTION')) {
    return new SamlValidationError('decryption', DECRYPTION_FAILED, { cause: error });
  }
  if (code === 'ERR_INVALID_XML' || code === 'ERR_EXCEPTION_VALIDATE_XML') {
    return new SamlValidationError('malformed', 'The SAML response is not valid SAML.', { cause: error });
  }
  return new SamlValidationError('signature', INVALID_SIGNATURE, { cause: error });
}

/** Attribute name → values, whatever shape the library returned. */
function normaliseAttributes(raw: unknown): Map<string, string[]> {
  const attributes = new Map<string, string[]>();
  if (!raw || typeof raw !== 'object') return attributes;
  for (const [name, value] of Object.entries(raw)) {
    const values = (Array.isArray(value) ? value : [value]).map((item) =>
      typeof item === 'string' ? item : '',
    );
    attributes.set(name, values);
  }
  return attributes;
}

function sameAttributes(left: Map<string, string[]>, right: Map<string, string[]>): boolean {
  if (left.size !== right.size) return false;
  for (const [name, values] of left) {
    const other = right.get(name);
    if (!other || other.length !== values.length || other.some((value, index) => value !== values[index])) {
      return false;
    }
  }
  return true;
}

/**
 * Cognito's attribute mapping: `custom:<name>` ← SAML attribute; unmapped SAML attributes are dropped.
 * Like Cognito, a value longer than the custom attribute's schema length fails the login.
 */
function mapToCognito(samlAttributes: Map<string, string[]>): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [customName, samlName] of Object.entries(eidasAttributeMapping) as [
    CustomAttributeName,
    string,
  ][]) {
    const values = samlAttributes.get(samlName);
    if (values === undefined) continue;
    const value = values.length === 1 ? (values[0] ?? '') : encodeMultiValued(values);
    const maxLength = Math.min(customAttributes[customName], COGNITO_MAX_ATTRIBUTE_LENGTH);
    if (value.length > maxLength) {
      throw new SamlValidationError(
        'attribute-too-long',
        `The identity provider sent a value longer than ${maxLength} characters for ${samlName}.`,
      );
    }
    mapped[`custom:${customName}`] = value;
  }
  return mapped;
}
