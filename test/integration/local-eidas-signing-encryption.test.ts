import { createPublicKey, createVerify, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SAML as NodeSaml, ValidateInResponseTo } from '@node-saml/node-saml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samlProviderSettings } from '#local/cognito/index';
import {
  eidasAttribute,
  generateSigningKeyPair,
  LocalEidasFederation,
  LocalEidasIdp,
  SamlValidationError,
  type SigningKeyPair,
} from '#local/identity-providers/eidas/index';
import { samlify } from '#local/identity-providers/eidas/samlify';
import { eidasProviderSettings } from '#local/server/plan';
import { createPool, PORTAL } from './local-cognito/harness.ts';

const decode = (samlResponse: string): string => Buffer.from(samlResponse, 'base64').toString('utf8');
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

let counter = 0;
const attributes = () => ({
  [eidasAttribute('PersonIdentifier')]: `DE/BE/SIGENC${Date.now().toString(16)}${(counter++).toString(16)}`,
  [eidasAttribute('CurrentFamilyName')]: 'Verschlüsselt',
  [eidasAttribute('CurrentGivenName')]: 'Erika',
  [eidasAttribute('DateOfBirth')]: '1964-08-12',
});

/** The HTTP-Redirect signature of an AuthnRequest URL, checked with node:crypto alone (not samlify). */
function redirectSignatureVerifies(requestUrl: string, certificatePem: string): boolean {
  const url = new URL(requestUrl);
  const raw = new Map(
    url.search
      .slice(1)
      .split('&')
      .map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)] as const),
  );
  const signed = ['SAMLRequest', 'RelayState', 'SigAlg']
    .filter((name) => raw.has(name))
    .map((name) => `${name}=${raw.get(name)}`)
    .join('&');
  return createVerify('RSA-SHA256')
    .update(signed)
    .verify(createPublicKey(certificatePem), url.searchParams.get('Signature') ?? '', 'base64');
}

describe('local eIDAS federation as the stage configures it', () => {
  let server: Server;
  let origin: string;
  let spKeys: { signing: SigningKeyPair; encryption: SigningKeyPair };
  let secured: LocalEidasFederation;
  let plaintext: LocalEidasFederation;

  beforeAll(async () => {
    server = createServer((req, res) => {
      void secured.idp.handler(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const [signing, encryption] = await Promise.all([
      generateSigningKeyPair({ commonName: 'Test pool signing', modulusLength: 2048 }),
      generateSigningKeyPair({ commonName: 'Test pool encryption', modulusLength: 2048 }),
    ]);
    spKeys = { signing, encryption };
    const common = {
      idpBaseUrl: `${origin}/local/eidas`,
      userPoolId: 'eu-west-1_LocalPool',
      acsUrl: `${origin}/saml2/idpresponse`,
      spKeys,
    };
    [secured, plaintext] = await Promise.all([
      LocalEidasFederation.create({ ...common, signRequests: true, encryptedResponses: true }),
      LocalEidasFederation.create({ ...common, signRequests: false, encryptedResponses: false }),
    ]);
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  });

  describe('settings from the template', () => {
    it('reads request signing and encrypted responses from the eIDAS SAML provider when the stage sets them', () => {
      const template = {
        Resources: {
          Eidas: {
            Type: 'AWS::Cognito::UserPoolIdentityProvider',
            Properties: {
              ProviderName: 'eIDAS',
              ProviderType: 'SAML',
              ProviderDetails: { RequestSigningAlgorithm: 'rsa-sha256', EncryptedResponses: true },
            },
          },
          Other: {
            Type: 'AWS::Cognito::UserPoolIdentityProvider',
            Properties: { ProviderName: 'itsme', ProviderType: 'OIDC', ProviderDetails: {} },
          },
        },
      };

      expect(eidasProviderSettings(template)).toEqual({ signRequests: true, encryptedResponses: true });
    });

    it("falls back to Cognito's defaults when the provider details say nothing", () => {
      expect(samlProviderSettings({ ProviderDetails: { MetadataFile: '<x/>' } })).toEqual({
        signRequests: false,
        encryptedResponses: false,
      });
      expect(samlProviderSettings({ ProviderDetails: { EncryptedResponses: 'false' } })).toEqual({
        signRequests: false,
        encryptedResponses: false,
      });
    });
  });

  describe('SP metadata', () => {
    it('publishes both certificates and the signing flags when the stage signs and encrypts', () => {
      const metadata = secured.sp.metadata;
      const certificates = (use: string) =>
        [
          ...metadata.matchAll(
            new RegExp(`KeyDescriptor use="${use}"[\\s\\S]*?<ds:X509Certificate>([^<]+)<`, 'g'),
          ),
        ].map((match) => match[1]?.replace(/\s/g, ''));

      expect(metadata).toContain('entityID="urn:amazon:cognito:sp:eu-west-1_LocalPool"');
      expect(metadata).toMatch(/AuthnRequestsSigned="true"/);
      expect(metadata).toMatch(/WantAssertionsSigned="true"/);
      expect(certificates('signing')).toEqual([spKeys.signing.certificateBase64]);
      expect(certificates('encryption')).toEqual([spKeys.encryption.certificateBase64]);
      expect(new X509Certificate(spKeys.encryption.certificatePem).subject).toContain('encryption');
      const parsed = samlify.ServiceProvider({ metadata });
      expect(parsed.entityMeta.getAssertionConsumerService('post')).toBe(`${origin}/saml2/idpresponse`);
      expect(parsed.entityMeta.isAuthnRequestSigned()).toBe(true);
    });

    it('publishes no encryption certificate and AuthnRequestsSigned="false" when the stage turns both off', () => {
      expect(plaintext.sp.metadata).toMatch(/AuthnRequestsSigned="false"/);
      expect(plaintext.sp.metadata).not.toContain('use="encryption"');
      expect(plaintext.idp.encryptsAssertions).toBe(false);
      expect(plaintext.idp.requiresSignedRequests).toBe(false);
    });

    it('serves the metadata at /saml2/metadata of the pool domain', async () => {
      const pool = await createPool({ identityProviders: { eIDAS: secured.sp } });
      const poolServer = createServer((req, res) => {
        void pool.handler(req, res).then((handled) => {
          if (!handled) res.writeHead(404).end();
        });
      });
      await new Promise<void>((resolve) => poolServer.listen(0, '127.0.0.1', resolve));
      try {
        const response = await fetch(
          `http://127.0.0.1:${(poolServer.address() as AddressInfo).port}/saml2/metadata`,
        );

        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('application/samlmetadata+xml');
        expect(await response.text()).toBe(secured.sp.metadata);
      } finally {
        await new Promise<void>((resolve) => poolServer.close(() => resolve()));
      }
    });
  });

  describe('signed AuthnRequests', () => {
    it('signs the request with rsa-sha256 over the redirect query and the node accepts it', async () => {
      const request = secured.sp.createLoginRequest({ relayState: 'state-1' });
      const url = new URL(request.url);

      expect(url.searchParams.get('SigAlg')).toBe(RSA_SHA256);
      expect(redirectSignatureVerifies(request.url, spKeys.signing.certificatePem)).toBe(true);
      await expect(secured.idp.acceptRedirectRequest(request.url)).resolves.toEqual({ id: request.id });
    });

    it('refuses an unsigned request at the SSO page when the SP says it signs', async () => {
      const url = new URL(secured.sp.createLoginRequest({ relayState: 'state-2' }).url);
      url.searchParams.delete('Signature');
      url.searchParams.delete('SigAlg');

      const response = await fetch(url);

      expect(response.status).toBe(400);
      expect(await response.text()).toContain('The SAMLRequest is not signed by the service it comes from.');
    });

    it('refuses a request whose RelayState was changed after signing', async () => {
      const url = new URL(secured.sp.createLoginRequest({ relayState: 'state-3' }).url);
      url.searchParams.set('RelayState', 'state-evil');

      await expect(secured.idp.acceptRedirectRequest(url.href)).rejects.toThrow(
        'The SAMLRequest is not signed by the service it comes from.',
      );
    });

    it('refuses a request signed by another key', async () => {
      const other = await LocalEidasFederation.create({
        idpBaseUrl: `${origin}/local/eidas`,
        userPoolId: 'eu-west-1_LocalPool',
        acsUrl: `${origin}/saml2/idpresponse`,
        spKeys: { signing: spKeys.encryption, encryption: spKeys.encryption },
        signRequests: true,
        encryptedResponses: true,
        signingKey: await generateSigningKeyPair({ commonName: 'Other node', modulusLength: 2048 }),
      });
      const forged = other.sp.createLoginRequest({ relayState: 'state-4' });

      expect(redirectSignatureVerifies(forged.url, spKeys.encryption.certificatePem)).toBe(true);
      await expect(secured.idp.acceptRedirectRequest(forged.url)).rejects.toThrow(
        'The SAMLRequest is not signed by the service it comes from.',
      );
    });

    it('sends the request unsigned and the node takes it when the stage does not sign', async () => {
      const request = plaintext.sp.createLoginRequest({ relayState: 'state-5' });

      expect(new URL(request.url).searchParams.has('Signature')).toBe(false);
      await expect(plaintext.idp.acceptRedirectRequest(request.url)).resolves.toEqual({ id: request.id });
    });
  });

  describe('encrypted assertions', () => {
    it('encrypts the signed assertion to the SP certificate and the local pool decrypts and maps it', async () => {
      const request = secured.sp.createLoginRequest();
      const issued = await secured.idp.issueResponse({ attributes: attributes(), inResponseTo: request.id });
      const xml = decode(issued.samlResponse);

      expect(xml).toContain('EncryptedAssertion');
      expect(xml).toContain('http://www.w3.org/2009/xmlenc11#aes256-gcm');
      expect(xml).toContain('http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p');
      expect(xml).not.toMatch(/<saml:Assertion[\s>]/);
      expect(xml).not.toContain('Verschlüsselt');
      const login = await secured.sp.consume(issued.samlResponse, { expectedInResponseTo: request.id });
      expect(login.nameId).toBe(issued.nameId);
      expect(login.attributes['custom:family_name']).toBe('Verschlüsselt');
    });

    it('is read by node-saml on its own with the SP decryption key, signatures checked', async () => {
      const issued = await secured.idp.issueResponse({ attributes: attributes() });
      const validator = (decryptionPvk: string) =>
        new NodeSaml({
          idpCert: secured.idp.certificatePem,
          issuer: secured.sp.entityId,
          audience: secured.sp.entityId,
          callbackUrl: secured.sp.acsUrl,
          idpIssuer: secured.idp.entityId,
          wantAssertionsSigned: true,
          wantAuthnResponseSigned: false,
          decryptionPvk,
          validateInResponseTo: ValidateInResponseTo.never,
        });

      const { profile } = await validator(spKeys.encryption.privateKeyPem).validatePostResponseAsync({
        SAMLResponse: issued.samlResponse,
      });

      expect(profile?.nameID).toBe(issued.nameId);
      expect(profile?.[eidasAttribute('CurrentFamilyName')]).toBe('Verschlüsselt');
      await expect(
        validator(spKeys.signing.privateKeyPem).validatePostResponseAsync({
          SAMLResponse: issued.samlResponse,
        }),
      ).rejects.toThrow();
    });

    it('refuses a readable assertion when the stage asks for encrypted ones', async () => {
      const issued = await secured.idp.issueResponse({ attributes: attributes(), encrypt: false });

      expect(decode(issued.samlResponse)).toMatch(/<saml:Assertion[\s>]/);
      const error = await secured.sp.consume(issued.samlResponse).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SamlValidationError);
      expect(error).toMatchObject({
        reason: 'not-encrypted',
        message:
          'The identity provider sent a readable SAML assertion, but this service accepts encrypted assertions only.',
      });
    });

    it('refuses an assertion encrypted to another key', async () => {
      const stranger = await generateSigningKeyPair({ commonName: 'Stranger', modulusLength: 2048 });
      const node = await LocalEidasIdp.create({
        baseUrl: `${origin}/local/eidas`,
        spMetadata: secured.sp.metadata.replace(
          spKeys.encryption.certificateBase64,
          stranger.certificateBase64,
        ),
        signingKey: await generateSigningKeyPair({ commonName: 'Node', modulusLength: 2048 }),
      });
      const issued = await node.issueResponse({ attributes: attributes() });

      const error = await secured.sp.consume(issued.samlResponse).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(SamlValidationError);
      expect(error).toMatchObject({ reason: 'decryption' });
    });

    it('accepts a readable signed assertion when the stage turns encryption off', async () => {
      const request = plaintext.sp.createLoginRequest();
      const issued = await plaintext.idp.issueResponse({
        attributes: attributes(),
        inResponseTo: request.id,
      });

      expect(decode(issued.samlResponse)).toMatch(/<saml:Assertion[\s>]/);
      const login = await plaintext.sp.consume(issued.samlResponse, { expectedInResponseTo: request.id });
      expect(login.attributes['custom:family_name']).toBe('Verschlüsselt');
    });
  });

  describe('managed login', () => {
    it('redirects with the SAML error and no code when the node sends a readable assertion', async () => {
      const pool = await createPool({ identityProviders: { eIDAS: secured.sp } });
      const poolServer = createServer((req, res) => {
        void pool.handler(req, res).then((handled) => {
          if (!handled) res.writeHead(404).end();
        });
      });
      await new Promise<void>((resolve) => poolServer.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(poolServer.address() as AddressInfo).port}`;
      try {
        const authorize = await fetch(
          `${base}/oauth2/authorize?${new URLSearchParams({
            response_type: 'code',
            client_id: PORTAL.clientId,
            redirect_uri: PORTAL.callbackUrls[0] ?? '',
            identity_provider: 'eIDAS',
            state: 'app-state',
            code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
            code_challenge_method: 'S256',
          })}`,
          { redirect: 'manual' },
        );
        const toIdp = authorize.headers.get('location') ?? '';
        const accepted = await secured.idp.acceptRedirectRequest(toIdp);
        const readable = await secured.idp.issueResponse({
          attributes: attributes(),
          inResponseTo: accepted.id,
          encrypt: false,
        });

        const back = await fetch(`${base}/saml2/idpresponse`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            SAMLResponse: readable.samlResponse,
            RelayState: new URL(toIdp).searchParams.get('RelayState') ?? '',
          }),
          redirect: 'manual',
        });

        expect(back.status).toBe(302);
        const location = new URL(back.headers.get('location') ?? '');
        expect(`${location.origin}${location.pathname}`).toBe(PORTAL.callbackUrls[0]);
        expect(location.searchParams.get('error')).toBe('invalid_request');
        expect(location.searchParams.get('error_description')).toContain('encrypted assertions only');
        expect(location.searchParams.get('state')).toBe('app-state');
        expect(location.searchParams.has('code')).toBe(false);
      } finally {
        await new Promise<void>((resolve) => poolServer.close(() => resolve()));
      }
    });
  });
});
