/**
 * The sandbox's eIDAS node: a samlify SAML 2.0 IdP that issues signed responses carrying eIDAS
 * natural-person attributes, as the eIDAS gateway in front of Cognito's SAML provider "eIDAS" does.
 *
 * - It knows the service provider (Cognito) from the SP's metadata only, as a real node does after the
 *   metadata exchange: entity id, ACS, `AuthnRequestsSigned` and the SP's certificates.
 * - When the SP signs its requests (`AuthnRequestsSigned="true"`), an AuthnRequest without a valid
 *   HTTP-Redirect signature (`SigAlg` rsa-sha256 and `Signature` over the query as sent, checked
 *   against the SP's signing certificate) is refused.
 * - Response and assertion are both signed (rsa-sha256, enveloped, exclusive c14n) with a key made at
 *   start-up (keys.ts); the certificate is published in the metadata.
 * - When the SP metadata has an encryption certificate, the signed assertion is encrypted to it
 *   (`EncryptedAssertion`: AES-256-GCM content, RSA-OAEP key transport) and the response carries no
 *   signature of its own: the assertion's signature, inside the encryption, is what Cognito checks.
 * - Attributes use NameFormat `uri`; a multi-valued attribute is several `AttributeValue` elements and a
 *   value in a non-Latin script carries the eIDAS `LatinScript="false"` marker.
 * - NameID is persistent and pairwise: a hash of IdP, SP and PersonIdentifier, so the same person gets
 *   the same Cognito user name (`eIDAS_<nameId>`) at every login without revealing the identifier.
 * - The LoA goes in the AuthnContextClassRef (as eIDAS does) and, when asserted, as the gateway's LoA
 *   attribute (which is what Cognito can map).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EIDAS_LOA_ATTRIBUTE } from '#identity/attribute-mapping';
import { findCountry } from './countries.ts';
import { generateSigningKeyPair, type SigningKeyPair } from './keys.ts';
import {
  type HiddenFields,
  type IdentityFormValues,
  renderAutoSubmit,
  renderCountryPicker,
  renderError,
  renderIdentityForm,
} from './pages.ts';
import { type IdentityProviderInstance, type ServiceProviderInstance, samlify } from './samlify.ts';
import {
  EIDAS_LOA_LEVELS,
  type EidasAttributes,
  eidasAttribute,
  eidasAttributesFor,
  eidasLoaUri,
  escapeXml,
} from './test-identity.ts';

const { Constants } = samlify;

/** SAML URIs the local node uses. */
export const SAML = {
  attrnameFormatUri: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
  nameIdPersistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  bindingPost: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  bindingRedirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  aes256Gcm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  rsaOaep: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
} as const;

/** The Cognito SP entity id of a user pool. */
export const cognitoSpEntityId = (userPoolId: string): string => `urn:amazon:cognito:sp:${userPoolId}`;

/** Validity of an issued assertion, as eIDAS nodes keep it: short. */
const ASSERTION_LIFETIME_MS = 5 * 60 * 1000;
const MAX_FORM_BYTES = 64 * 1024;

/** Options of {@link LocalEidasIdp.create}. */
export interface LocalEidasIdpOptions {
  /** Where the IdP is mounted, e.g. `http://127.0.0.1:3000/local/eidas`; its entity id is `<baseUrl>/metadata`. */
  baseUrl: string;
  /**
   * The SP (Cognito) metadata: entity id `urn:amazon:cognito:sp:<poolId>`, the ACS
   * (`http://127.0.0.1:<port>/saml2/idpresponse` in the sandbox), `AuthnRequestsSigned` and the
   * signing and encryption certificates.
   */
  spMetadata: string;
  /** @default a fresh 3072-bit key and self-signed certificate */
  signingKey?: SigningKeyPair;
}

/** Options of {@link LocalEidasIdp.issueResponse}. */
export interface IssueResponseOptions {
  /** eIDAS attributes by URI; arrays become several AttributeValue elements. */
  attributes: EidasAttributes;
  /** The AuthnRequest id being answered. @default none (unsolicited) */
  inResponseTo?: string;
  /** @default pairwise hash of the PersonIdentifier */
  nameId?: string;
  /** For tests. @default now */
  notBefore?: Date;
  /** For tests. @default now + 5 minutes */
  notOnOrAfter?: Date;
  /** For tests. @default the configured SP entity id */
  audience?: string;
  /** Response Destination and SubjectConfirmationData Recipient, for tests. @default the configured ACS URL */
  destination?: string;
  /** For tests. @default whether the SP metadata has an encryption certificate */
  encrypt?: boolean;
}

/** A signed SAML response ready for the HTTP-POST binding. */
export interface IssuedResponse {
  /** Base64 `SAMLResponse` form value. */
  samlResponse: string;
  /** The Response ID. */
  id: string;
  nameId: string;
}

interface RequestContext {
  requestId?: string;
  relayState?: string;
}

/** The sandbox's eIDAS node (see the module comment). Make one with {@link LocalEidasIdp.create}. */
export class LocalEidasIdp {
  /** `<baseUrl>/metadata`: also where the metadata is served. */
  readonly entityId: string;
  readonly metadataUrl: string;
  /** SSO endpoint for AuthnRequests (HTTP-Redirect and HTTP-POST). */
  readonly ssoUrl: string;
  /** The IdP metadata XML (entity id, signing certificate, SSO endpoints). */
  readonly metadata: string;
  /** The signing certificate (PEM), as a relying party pins it. */
  readonly certificatePem: string;
  readonly spEntityId: string;
  readonly acsUrl: string;
  /** The SP signs its AuthnRequests (metadata `AuthnRequestsSigned`): unsigned ones are refused. */
  readonly requiresSignedRequests: boolean;
  /** The SP published an encryption certificate: assertions are encrypted to it. */
  readonly encryptsAssertions: boolean;

  readonly #basePath: string;
  readonly #idp: IdentityProviderInstance;
  /** The same node without encryption, for tests that send what a misconfigured node would. */
  readonly #plainIdp: IdentityProviderInstance;
  readonly #sp: ServiceProviderInstance;
  /** The SP as seen for encrypted responses: the signature is on the assertion alone. */
  readonly #spAssertionSigned: ServiceProviderInstance;

  private constructor(options: LocalEidasIdpOptions, signingKey: SigningKeyPair) {
    const baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.entityId = `${baseUrl}/metadata`;
    this.metadataUrl = this.entityId;
    this.ssoUrl = `${baseUrl}/sso`;
    this.certificatePem = signingKey.certificatePem;
    this.#basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
    // How this IdP sees Cognito: from its metadata, plus a signed response (so samlify signs the
    // assertion first and then the whole response over it, or over the encrypted assertion).
    this.#sp = samlify.ServiceProvider({ metadata: options.spMetadata, wantMessageSigned: true });
    this.#spAssertionSigned = samlify.ServiceProvider({
      metadata: options.spMetadata,
      wantMessageSigned: false,
    });
    this.spEntityId = this.#sp.entityMeta.getEntityID();
    const acs = this.#sp.entityMeta.getAssertionConsumerService('post');
    this.acsUrl = Array.isArray(acs) ? String(acs[0]) : String(acs);
    this.requiresSignedRequests = this.#sp.entityMeta.isAuthnRequestSigned();
    // Read from the document: samlify reports a lone signing certificate as the encryption one too.
    this.encryptsAssertions = ENCRYPTION_KEY_DESCRIPTOR.test(options.spMetadata);
    const settings = {
      entityID: this.entityId,
      privateKey: signingKey.privateKeyPem,
      signingCert: signingKey.certificatePem,
      requestSignatureAlgorithm: SAML.rsaSha256,
      nameIDFormat: [SAML.nameIdPersistent],
      wantAuthnRequestsSigned: this.requiresSignedRequests,
      singleSignOnService: [
        { Binding: SAML.bindingRedirect, Location: this.ssoUrl },
        { Binding: SAML.bindingPost, Location: this.ssoUrl },
      ],
      generateID: () => `_${randomUUID()}`,
      loginResponseTemplate: { context: RESPONSE_TEMPLATE, attributes: [] },
      dataEncryptionAlgorithm: SAML.aes256Gcm,
      keyEncryptionAlgorithm: SAML.rsaOaep,
    };
    this.#idp = withoutLogoutNotice(() =>
      samlify.IdentityProvider({ ...settings, isAssertionEncrypted: this.encryptsAssertions }),
    );
    this.#plainIdp = withoutLogoutNotice(() =>
      samlify.IdentityProvider({ ...settings, isAssertionEncrypted: false }),
    );
    this.metadata = this.#idp.getMetadata();
  }

  /** A node with a fresh signing key (about a second for RSA-3072) unless one is given. */
  static async create(options: LocalEidasIdpOptions): Promise<LocalEidasIdp> {
    const signingKey =
      options.signingKey ?? (await generateSigningKeyPair({ commonName: 'Local eIDAS node (sandbox only)' }));
    return new LocalEidasIdp(options, signingKey);
  }

  /** The persistent NameID of a PersonIdentifier for this SP. */
  nameIdFor(personIdentifier: string): string {
    return createHash('sha256')
      .update(`${this.entityId}\n${this.spEntityId}\n${personIdentifier}`)
      .digest('base64url')
      .slice(0, 32);
  }

  /** A signed (and, when the SP asks for it, encrypted) SAML response for these attributes. */
  async issueResponse(options: IssueResponseOptions): Promise<IssuedResponse> {
    const encrypt = options.encrypt ?? this.encryptsAssertions;
    if (encrypt && !this.encryptsAssertions) throw new Error('The SP metadata has no encryption certificate');
    const idp = encrypt ? this.#idp : this.#plainIdp;
    const personIdentifier = firstValue(options.attributes[eidasAttribute('PersonIdentifier')]);
    const nameId = options.nameId ?? this.nameIdFor(personIdentifier ?? randomUUID());
    const now = new Date();
    const notBefore = options.notBefore ?? now;
    const notOnOrAfter = options.notOnOrAfter ?? new Date(now.getTime() + ASSERTION_LIFETIME_MS);
    const destination = options.destination ?? this.acsUrl;
    const loa = firstValue(options.attributes[EIDAS_LOA_ATTRIBUTE]) ?? eidasLoaUri('substantial');
    const statement = attributeStatement(options.attributes);
    const context = await idp.createLoginResponse(
      encrypt ? this.#spAssertionSigned : this.#sp,
      { extract: {} },
      'post',
      {},
      {
        customTagReplacement: (template) => {
          const id = `_${randomUUID()}`;
          const filled = samlify.SamlLib.replaceTagsByValue(template, {
            ID: id,
            AssertionID: `_${randomUUID()}`,
            Destination: destination,
            SubjectRecipient: destination,
            Audience: options.audience ?? this.spEntityId,
            Issuer: this.entityId,
            IssueInstant: now.toISOString(),
            AuthnInstant: now.toISOString(),
            SessionIndex: `_${randomUUID()}`,
            StatusCode: Constants.StatusCode.Success,
            ConditionsNotBefore: notBefore.toISOString(),
            ConditionsNotOnOrAfter: notOnOrAfter.toISOString(),
            SubjectConfirmationDataNotOnOrAfter: notOnOrAfter.toISOString(),
            NameIDFormat: SAML.nameIdPersistent,
            NameID: nameId,
            SPNameQualifier: this.spEntityId,
            InResponseTo: options.inResponseTo,
            AuthnContextClassRef: loa,
          });
          // Last, and with a function, so that attribute values are never read as template tags.
          return { id, context: filled.replace('{EidasAttributeStatement}', () => statement) };
        },
      },
      // Sign the assertion, then encrypt it; an encrypted response is not signed again.
      true,
    );
    return { samlResponse: context.context, id: context.id, nameId };
  }

  /**
   * node:http handler for everything under the base URL's path: `GET <base>/metadata`,
   * `GET|POST <base>/sso` (AuthnRequest, HTTP-Redirect or HTTP-POST) → country picker,
   * `POST <base>/sso/identity` → identity form, `POST <base>/sso/authenticate` → auto-submitting form
   * that posts the signed SAMLResponse to the ACS. Resolves `false` (and leaves `res` alone) for any
   * other path.
   */
  readonly handler = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname !== this.#basePath && !url.pathname.startsWith(`${this.#basePath}/`)) return false;
    const route = url.pathname.slice(this.#basePath.length);
    try {
      if (route === '/metadata' && req.method === 'GET') {
        send(res, 200, 'application/samlmetadata+xml; charset=utf-8', this.metadata);
      } else if (route === '/sso' && (req.method === 'GET' || req.method === 'POST')) {
        await this.#startLogin(req, res, url);
      } else if (route === '/sso/identity' && req.method === 'POST') {
        this.#showIdentityForm(res, await readForm(req));
      } else if (route === '/sso/authenticate' && req.method === 'POST') {
        await this.#authenticate(res, await readForm(req));
      } else {
        send(res, 404, HTML, renderError('Not found', 'This page does not exist on the local eIDAS node.'));
      }
    } catch (error) {
      if (error instanceof BadRequest) {
        send(res, error.status, HTML, renderError('Cannot continue the login', error.message));
      } else {
        send(res, 500, HTML, renderError('Something went wrong', 'The local eIDAS node failed.'));
      }
    }
    return true;
  };

  async #startLogin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const binding = req.method === 'GET' ? 'redirect' : 'post';
    const params = binding === 'redirect' ? Object.fromEntries(url.searchParams) : await readForm(req);
    const request = await this.#readLoginRequest(binding, params, url);
    send(
      res,
      200,
      HTML,
      renderCountryPicker({
        action: `${this.#basePath}/sso/identity`,
        hidden: hiddenFields({ requestId: request.id, relayState: params.RelayState }),
      }),
    );
  }

  /**
   * Checks an HTTP-Redirect AuthnRequest URL as the SSO endpoint does (signature when the SP signs,
   * issuer, ACS) and returns its ID.
   *
   * @throws Error with the sentence the SSO page would show, when the node refuses the request.
   */
  async acceptRedirectRequest(requestUrl: string): Promise<{ id?: string }> {
    const url = new URL(requestUrl);
    const request = await this.#readLoginRequest('redirect', Object.fromEntries(url.searchParams), url);
    return { id: request.id };
  }

  async #readLoginRequest(
    binding: 'redirect' | 'post',
    params: Record<string, string>,
    url: URL,
  ): Promise<{ id?: string }> {
    if (!params.SAMLRequest) {
      // Cognito does not accept unsolicited (IdP-initiated) responses by default: start from the SP.
      throw new BadRequest('No SAMLRequest. Start the login from the service you want to use.');
    }
    if (
      this.requiresSignedRequests &&
      binding === 'redirect' &&
      params.Signature !== undefined &&
      params.SigAlg !== SAML.rsaSha256
    ) {
      throw new BadRequest('The SAMLRequest must be signed with rsa-sha256.');
    }
    let request: { id?: string; acs?: string; issuer?: string };
    try {
      const parsed = await this.#idp.parseLoginRequest(
        this.#sp,
        binding,
        binding === 'redirect' ? { query: params, octetString: redirectOctetString(url) } : { body: params },
      );
      const extracted = parsed.extract.request as Record<string, string> | undefined;
      request = {
        id: extracted?.id,
        acs: extracted?.assertionConsumerServiceUrl,
        issuer: typeof parsed.extract.issuer === 'string' ? parsed.extract.issuer : undefined,
      };
    } catch (error) {
      const code = error instanceof Error ? error.message : '';
      if (code === 'ERR_MISSING_SIG_ALG' || code === 'ERR_FAILED_MESSAGE_SIGNATURE_VERIFICATION') {
        throw new BadRequest('The SAMLRequest is not signed by the service it comes from.', { cause: error });
      }
      throw new BadRequest('The SAMLRequest could not be read.', { cause: error });
    }
    if (request.issuer !== this.spEntityId)
      throw new BadRequest('The SAMLRequest comes from an unknown service.');
    if (request.acs !== undefined && request.acs !== this.acsUrl) {
      throw new BadRequest('The SAMLRequest asks for an unknown assertion consumer service.');
    }
    return { id: request.id };
  }

  #showIdentityForm(res: ServerResponse, form: Record<string, string>): void {
    const country = findCountry(form.country ?? '');
    if (!country) throw new BadRequest('Choose the country of your eID.');
    send(
      res,
      200,
      HTML,
      renderIdentityForm({
        action: `${this.#basePath}/sso/authenticate`,
        country,
        hidden: { ...hiddenFields(requestContext(form)), country: country.code },
        values: { nationality: country.iso, loa: 'substantial' },
      }),
    );
  }

  async #authenticate(res: ServerResponse, form: Record<string, string>): Promise<void> {
    const country = findCountry(form.country ?? '');
    if (!country) throw new BadRequest('Choose the country of your eID.');
    const context = requestContext(form);
    const values = identityValues(form);
    const problems = checkIdentity(values);
    if (problems.length > 0) {
      send(
        res,
        400,
        HTML,
        renderIdentityForm({
          action: `${this.#basePath}/sso/authenticate`,
          country,
          hidden: { ...hiddenFields(context), country: country.code },
          values,
          problems,
        }),
      );
      return;
    }
    const attributes = eidasAttributesFor({
      country: country.code,
      identifier: values.identifier,
      givenNames: values.givenNames ?? '',
      givenNamesOriginal: values.givenNamesOriginal,
      familyName: values.familyName ?? '',
      familyNameOriginal: values.familyNameOriginal,
      birthDate: values.birthDate ?? '',
      gender: GENDERS.find((gender) => gender === values.gender),
      nationality: values.nationality || undefined,
      loa: EIDAS_LOA_LEVELS.find((level) => level === values.loa),
      address: {
        Thoroughfare: values.street,
        LocatorDesignator: values.houseNumber,
        PostCode: values.postCode,
        PostName: values.city,
        AdminunitFirstline: values.addressCountry,
      },
    });
    const issued = await this.issueResponse({ attributes, inResponseTo: context.requestId });
    send(
      res,
      200,
      HTML,
      renderAutoSubmit({
        acsUrl: this.acsUrl,
        samlResponse: issued.samlResponse,
        relayState: context.relayState,
      }),
    );
  }
}

const HTML = 'text/html; charset=utf-8';
/** A KeyDescriptor for encryption: `use="encryption"`, or no `use` (both uses, SAML metadata §2.4.1.1). */
const ENCRYPTION_KEY_DESCRIPTOR = /<(?:[A-Za-z_][\w.-]*:)?KeyDescriptor(?![^>]*\buse=["']signing["'])[\s>]/;
const GENDERS = ['Male', 'Female', 'Unspecified'] as const;

const RESPONSE_TEMPLATE =
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ' +
  'ID="{ID}" Version="2.0" IssueInstant="{IssueInstant}" Destination="{Destination}" InResponseTo="{InResponseTo}" ' +
  'Consent="urn:oasis:names:tc:SAML:2.0:consent:obtained">' +
  '<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{Issuer}</saml:Issuer>' +
  '<samlp:Status><samlp:StatusCode Value="{StatusCode}"/></samlp:Status>' +
  '<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ' +
  'ID="{AssertionID}" Version="2.0" IssueInstant="{IssueInstant}">' +
  '<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{Issuer}</saml:Issuer>' +
  '<saml:Subject><saml:NameID Format="{NameIDFormat}" SPNameQualifier="{SPNameQualifier}">{NameID}</saml:NameID>' +
  '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">' +
  '<saml:SubjectConfirmationData NotOnOrAfter="{SubjectConfirmationDataNotOnOrAfter}" Recipient="{SubjectRecipient}" InResponseTo="{InResponseTo}"/>' +
  '</saml:SubjectConfirmation></saml:Subject>' +
  '<saml:Conditions NotBefore="{ConditionsNotBefore}" NotOnOrAfter="{ConditionsNotOnOrAfter}">' +
  '<saml:AudienceRestriction><saml:Audience>{Audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>' +
  '<saml:AuthnStatement AuthnInstant="{AuthnInstant}" SessionIndex="{SessionIndex}"><saml:AuthnContext>' +
  '<saml:AuthnContextClassRef>{AuthnContextClassRef}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>' +
  '{EidasAttributeStatement}' +
  '</saml:Assertion></samlp:Response>';

/** A letter of a script other than Latin: such a value is the original-script variant. */
const NON_LATIN_LETTER = /(?!\p{Script=Latin})\p{L}/u;

function attributeStatement(attributes: EidasAttributes): string {
  const elements = Object.entries(attributes).map(([name, raw]) => {
    const values = typeof raw === 'string' ? [raw] : raw;
    const friendly = name.startsWith('http://eidas.europa.eu/attributes/')
      ? ` FriendlyName="${escapeXml(name.slice(name.lastIndexOf('/') + 1))}"`
      : '';
    const valueElements = values
      .map((value) =>
        NON_LATIN_LETTER.test(value)
          ? `<saml:AttributeValue LatinScript="false">${escapeXml(value)}</saml:AttributeValue>`
          : `<saml:AttributeValue xsi:type="xs:string">${escapeXml(value)}</saml:AttributeValue>`,
      )
      .join('');
    return `<saml:Attribute Name="${escapeXml(name)}"${friendly} NameFormat="${SAML.attrnameFormatUri}">${valueElements}</saml:Attribute>`;
  });
  // The schema wants at least one Attribute in an AttributeStatement.
  return elements.length === 0
    ? ''
    : `<saml:AttributeStatement>${elements.join('')}</saml:AttributeStatement>`;
}

/**
 * What an HTTP-Redirect signature covers (SAML bindings §3.4.4.1): `SAMLRequest`, `RelayState` when
 * present and `SigAlg`, in that order, with their values exactly as URL-encoded in the request.
 */
function redirectOctetString(url: URL): string {
  const raw = new Map<string, string>();
  for (const part of url.search.replace(/^\?/, '').split('&')) {
    const separator = part.indexOf('=');
    if (separator > 0) raw.set(part.slice(0, separator), part.slice(separator + 1));
  }
  return ['SAMLRequest', 'RelayState', 'SigAlg']
    .filter((name) => raw.has(name))
    .map((name) => `${name}=${raw.get(name)}`)
    .join('&');
}

function firstValue(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

class BadRequest extends Error {
  readonly status = 400;
}

function requestContext(form: Record<string, string>): RequestContext {
  return { requestId: form.requestId || undefined, relayState: form.relayState || undefined };
}

function hiddenFields(context: RequestContext): HiddenFields {
  const fields: HiddenFields = {};
  if (context.requestId) fields.requestId = context.requestId;
  if (context.relayState) fields.relayState = context.relayState;
  return fields;
}

const FORM_FIELDS = [
  'identifier',
  'givenNames',
  'givenNamesOriginal',
  'familyName',
  'familyNameOriginal',
  'birthDate',
  'gender',
  'nationality',
  'loa',
  'street',
  'houseNumber',
  'postCode',
  'city',
  'addressCountry',
] as const satisfies readonly (keyof IdentityFormValues)[];

function identityValues(form: Record<string, string>): IdentityFormValues {
  const values: IdentityFormValues = {};
  for (const field of FORM_FIELDS) {
    const value = form[field]?.trim();
    if (value) values[field] = value;
  }
  return values;
}

function checkIdentity(values: IdentityFormValues): { field: keyof IdentityFormValues; message: string }[] {
  const problems: { field: keyof IdentityFormValues; message: string }[] = [];
  if (!values.givenNames) problems.push({ field: 'givenNames', message: 'Enter the given names.' });
  if (!values.familyName) problems.push({ field: 'familyName', message: 'Enter the family name.' });
  if (!values.birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(values.birthDate)) {
    problems.push({ field: 'birthDate', message: 'Enter the birth date as YYYY-MM-DD.' });
  }
  if (values.identifier && !/^[A-Za-z0-9+/=._-]{1,200}$/.test(values.identifier)) {
    problems.push({ field: 'identifier', message: 'Use letters, digits and + / = . _ - only.' });
  }
  if (values.nationality && !/^[A-Za-z]{2}$/.test(values.nationality)) {
    problems.push({ field: 'nationality', message: 'Use a two-letter country code.' });
  }
  return problems;
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_FORM_BYTES) throw new BadRequest('The form is too large.');
    chunks.push(buffer);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

const LOGOUT_NOTICE = 'missing endpoint of SingleLogoutService';

/**
 * samlify prints a notice for every identity provider built without a SingleLogoutService. This
 * node has none on purpose (the stage's eIDAS provider is configured with `idpSignout: false`), so
 * `npm start` would print the same line twice at every start: that one line is left out.
 */
function withoutLogoutNotice<T>(build: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && args[0].includes(LOGOUT_NOTICE))) warn(...args);
  };
  try {
    return build();
  } finally {
    console.warn = warn;
  }
}
