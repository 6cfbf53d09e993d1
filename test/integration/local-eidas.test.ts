import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customAttributes, EIDAS_LOA_ATTRIBUTE, eidasAttributeMapping } from '#identity/attribute-mapping';
import { decodeMultiValued, mapEidasIdentity } from '#identity/eidas-mapping';
import {
  eidasAttribute,
  encodeEidasAddress,
  generateSigningKeyPair,
  LocalEidasFederation,
  LocalEidasIdp,
  SamlValidationError,
} from '#local/identity-providers/eidas/index';

const POLICY = { refusedNationalities: ['FR', 'GB'], minimumEidasLoa: 'substantial' } as const;

/** Every attribute the mapping knows, as a German node with a Greek-script given name would send it. */
function allAttributes(personIdentifier: string): Record<string, string | string[]> {
  return {
    [eidasAttribute('PersonIdentifier')]: personIdentifier,
    [eidasAttribute('CurrentGivenName')]: ['Ελένη Μαρία', 'Eleni Maria'],
    [eidasAttribute('CurrentFamilyName')]: 'Müller-Lüdenscheidt',
    [eidasAttribute('DateOfBirth')]: '1964-08-12',
    [eidasAttribute('BirthName')]: 'Gabler',
    [eidasAttribute('PlaceOfBirth')]: 'Berlin',
    [eidasAttribute('CurrentAddress')]: encodeEidasAddress({
      LocatorDesignator: '17',
      Thoroughfare: 'Heidestraße',
      PostName: 'Köln',
      PostCode: '51147',
      AdminunitFirstline: 'DE',
    }),
    [eidasAttribute('Gender')]: 'Female',
    [eidasAttribute('Nationality')]: ['DE', 'AT'],
    [eidasAttribute('CountryOfBirth')]: 'DE',
    [eidasAttribute('TownOfBirth')]: 'Berlin-Mitte',
    [eidasAttribute('CountryOfResidence')]: 'DE',
    [eidasAttribute('PhoneNumber')]: '+4922112345',
    [eidasAttribute('EmailAddress')]: 'erika@example.org',
    [EIDAS_LOA_ATTRIBUTE]: 'http://eidas.europa.eu/LoA/high',
    'urn:oid:2.5.4.42': 'not mapped',
  };
}

const decodeResponse = (samlResponse: string): string => Buffer.from(samlResponse, 'base64').toString('utf8');
const encodeResponse = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');

function formValues(html: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    const [, name = '', value = ''] = match;
    values[name] = value
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }
  return values;
}

describe('local eIDAS federation', () => {
  let server: Server;
  let origin: string;
  let federation: LocalEidasFederation;
  let counter = 0;
  const personId = () => `DE/BE/${Date.now().toString(16).toUpperCase()}${(counter++).toString(16)}`;

  beforeAll(async () => {
    server = createServer((req, res) => {
      void federation.idp.handler(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    federation = await LocalEidasFederation.create({
      idpBaseUrl: `${origin}/local/eidas`,
      userPoolId: 'eu-west-1_LocalPool',
      acsUrl: `${origin}/saml2/idpresponse`,
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  });

  describe('federate', () => {
    it('maps every mandatory and optional eIDAS attribute to its custom attribute when all are sent', async () => {
      const subject = personId();

      const login = await federation.federate(allAttributes(subject));

      const expectedNames = Object.keys(eidasAttributeMapping).map((name) => `custom:${name}`);
      expect(Object.keys(login.attributes).sort()).toEqual(expectedNames.sort());
      expect(login.attributes).toMatchObject({
        'custom:eidas_person_id': subject,
        'custom:family_name': 'Müller-Lüdenscheidt',
        'custom:birth_date': '1964-08-12',
        'custom:birth_name': 'Gabler',
        'custom:place_of_birth': 'Berlin',
        'custom:gender': 'Female',
        'custom:country_of_birth': 'DE',
        'custom:town_of_birth': 'Berlin-Mitte',
        'custom:country_of_residence': 'DE',
        'custom:phone': '+4922112345',
        'custom:email': 'erika@example.org',
        'custom:loa': 'http://eidas.europa.eu/LoA/high',
      });
      expect(login.userName).toBe(`eIDAS_${login.nameId}`);
    });

    it('gives the same persistent NameID when the same person logs in twice', async () => {
      const subject = personId();

      const first = await federation.federate(allAttributes(subject));
      const second = await federation.federate({ [eidasAttribute('PersonIdentifier')]: subject });

      expect(second.nameId).toBe(first.nameId);
      expect(second.nameId).not.toContain(subject.slice(6));
    });

    it('delivers what the trigger mapping parses back when names are multi-valued and the address is XML', async () => {
      const subject = personId();

      const login = await federation.federate(allAttributes(subject));
      const identity = mapEidasIdentity(login.attributes, POLICY);

      expect(decodeMultiValued(login.attributes['custom:given_name'] ?? '')).toEqual([
        'Ελένη Μαρία',
        'Eleni Maria',
      ]);
      expect(decodeMultiValued(login.attributes['custom:nationality'] ?? '')).toEqual(['DE', 'AT']);
      expect(identity).toMatchObject({
        provider: 'eidas',
        subject,
        loa: 'high',
        profile: {
          givenNames: 'Eleni Maria',
          familyName: 'Müller-Lüdenscheidt',
          birthDate: '1964-08-12',
          nationality: 'DE',
          email: 'erika@example.org',
          address: {
            street: 'Heidestraße',
            houseNumber: '17',
            postalCode: '51147',
            city: 'Köln',
            country: 'DE',
          },
        },
      });
    });

    it('refuses the login like Cognito when a value exceeds the attribute length', async () => {
      const attributes = { ...allAttributes(personId()), [eidasAttribute('PlaceOfBirth')]: 'x'.repeat(2049) };

      await expect(federation.federate(attributes)).rejects.toMatchObject({
        name: 'SamlValidationError',
        reason: 'attribute-too-long',
      });
      expect(customAttributes.place_of_birth).toBe(2048);
    });
  });

  describe('metadata', () => {
    it('serves the IdP metadata with its signing certificate when fetched over HTTP', async () => {
      const response = await fetch(`${origin}/local/eidas/metadata`);
      const body = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/samlmetadata+xml');
      expect(body).toContain(`entityID="${federation.idp.entityId}"`);
      expect(body).toContain(`Location="${origin}/local/eidas/sso"`);
      const certificate = federation.idp.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '');
      expect(body.replace(/\s/g, '')).toContain(certificate);
    });

    it('leaves other paths to the next handler when they are outside the base URL', async () => {
      const response = await fetch(`${origin}/saml2/idpresponse`);

      expect(response.status).toBe(404);
      expect(await response.text()).toBe('');
    });
  });

  describe('service provider validation', () => {
    const attributes = () => ({
      [eidasAttribute('PersonIdentifier')]: personId(),
      [eidasAttribute('CurrentFamilyName')]: 'Mustermann',
      [eidasAttribute('CurrentGivenName')]: 'Erika',
      [eidasAttribute('DateOfBirth')]: '1964-08-12',
    });

    async function expectRefused(samlResponse: string, reason: string, expectedInResponseTo?: string) {
      const error = await federation.sp
        .consume(samlResponse, { expectedInResponseTo })
        .catch((caught) => caught);
      expect(error).toBeInstanceOf(SamlValidationError);
      expect(error).toMatchObject({ reason });
    }

    it('accepts the response when it is signed by the IdP and addressed to this SP', async () => {
      const issued = await federation.idp.issueResponse({ attributes: attributes() });

      const login = await federation.sp.consume(issued.samlResponse);

      expect(login.nameId).toBe(issued.nameId);
    });

    it('rejects the response when nothing in it is signed', async () => {
      const issued = await federation.idp.issueResponse({ attributes: attributes() });
      const unsigned = decodeResponse(issued.samlResponse).replace(
        /<ds:Signature[\s\S]*?<\/ds:Signature>/g,
        '',
      );

      expect(unsigned).not.toContain('Signature');
      await expectRefused(encodeResponse(unsigned), 'signature');
    });

    it('rejects the response when another key signed it', async () => {
      const impostor = await LocalEidasIdp.create({
        baseUrl: `${origin}/local/eidas`,
        spMetadata: federation.sp.metadata,
        signingKey: await generateSigningKeyPair({ commonName: 'Impostor', modulusLength: 2048 }),
      });
      const issued = await impostor.issueResponse({ attributes: attributes() });

      await expectRefused(issued.samlResponse, 'signature');
    });

    it('rejects the response when an attribute value was changed after signing', async () => {
      const issued = await federation.idp.issueResponse({ attributes: attributes() });
      const tampered = decodeResponse(issued.samlResponse).replace('>Mustermann<', '>Musterfrau<');

      expect(tampered).toContain('>Musterfrau<');
      await expectRefused(encodeResponse(tampered), 'signature');
    });

    it('rejects the response when a forged assertion is wrapped next to the signed one', async () => {
      const issued = await federation.idp.issueResponse({ attributes: attributes() });
      const xml = decodeResponse(issued.samlResponse);
      const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)?.[0] ?? '';
      const forged = assertion
        .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '')
        .replace(/ID="[^"]+"/, 'ID="_forged"')
        .replace('>Mustermann<', '>Musterfrau<');
      const wrapped = xml.replace('<saml:Assertion', `${forged}<saml:Assertion`);

      await expectRefused(encodeResponse(wrapped), 'signature');
    });

    it('rejects the response when the audience is another SP', async () => {
      const issued = await federation.idp.issueResponse({
        attributes: attributes(),
        audience: 'urn:amazon:cognito:sp:eu-west-1_OtherPool',
      });

      await expectRefused(issued.samlResponse, 'audience');
    });

    it('rejects the response when its NotOnOrAfter has passed', async () => {
      const issued = await federation.idp.issueResponse({
        attributes: attributes(),
        notBefore: new Date(Date.now() - 20 * 60_000),
        notOnOrAfter: new Date(Date.now() - 10 * 60_000),
      });

      await expectRefused(issued.samlResponse, 'time');
    });

    it('rejects the response when its NotBefore is still ahead', async () => {
      const issued = await federation.idp.issueResponse({
        attributes: attributes(),
        notBefore: new Date(Date.now() + 10 * 60_000),
        notOnOrAfter: new Date(Date.now() + 20 * 60_000),
      });

      await expectRefused(issued.samlResponse, 'time');
    });

    it('rejects the response when it is addressed to another ACS', async () => {
      const issued = await federation.idp.issueResponse({
        attributes: attributes(),
        destination: 'https://evil.example/saml2/idpresponse',
      });

      await expectRefused(issued.samlResponse, 'destination');
    });

    it('rejects the response when it answers another AuthnRequest', async () => {
      const issued = await federation.idp.issueResponse({ attributes: attributes(), inResponseTo: '_other' });

      await expectRefused(issued.samlResponse, 'in-response-to', federation.sp.createLoginRequest().id);
    });
  });

  describe('SSO pages', () => {
    it('walks from the AuthnRequest through country picker and form to a response the SP accepts', async () => {
      const request = federation.sp.createLoginRequest({ relayState: 'state-123' });

      const picker = await fetch(request.url);
      const pickerHtml = await picker.text();
      expect(picker.status).toBe(200);
      expect(pickerHtml).toContain('<html lang="en">');
      expect(pickerHtml).toContain('<legend>Country of your eID</legend>');
      expect(pickerHtml.match(/<button type="submit" name="country"/g)).toHaveLength(27);
      expect(pickerHtml).toContain('🇬🇷</span> Greece');
      const carried = formValues(pickerHtml);
      expect(carried).toEqual({ requestId: request.id, relayState: 'state-123' });

      const form = await fetch(`${origin}/local/eidas/sso/identity`, {
        method: 'POST',
        body: new URLSearchParams({ ...carried, country: 'EL' }),
      });
      const formHtml = await form.text();
      expect(form.status).toBe(200);
      expect(formHtml).toContain('<label for="field-givenNames">Given names (Latin script)</label>');
      expect(formHtml).toContain('<option value="GR" selected>Greece</option>');

      const submitted = await fetch(`${origin}/local/eidas/sso/authenticate`, {
        method: 'POST',
        body: new URLSearchParams({
          ...formValues(formHtml),
          identifier: 'GR123456',
          givenNames: 'Eleni',
          givenNamesOriginal: 'Ελένη',
          familyName: 'Papadopoulou',
          birthDate: '1990-02-03',
          gender: 'Female',
          nationality: 'GR',
          loa: 'high',
          street: 'Odos Ermou',
          houseNumber: '5',
          postCode: '10563',
          city: 'Athina',
          addressCountry: 'GR',
        }),
      });
      const autoSubmit = await submitted.text();
      expect(submitted.status).toBe(200);
      expect(autoSubmit).toContain(`<form method="post" action="${origin}/saml2/idpresponse"`);
      const posted = formValues(autoSubmit);
      expect(posted.RelayState).toBe('state-123');
      expect(decodeResponse(posted.SAMLResponse ?? '')).toContain('LatinScript="false">Ελένη<');

      const login = await federation.sp.consume(posted.SAMLResponse ?? '', {
        expectedInResponseTo: request.id,
      });

      expect(login.attributes).toMatchObject({
        'custom:eidas_person_id': 'EL/BE/GR123456',
        'custom:given_name': `${encodeURIComponent('Ελένη')}&Eleni`,
        'custom:loa': 'http://eidas.europa.eu/LoA/high',
      });
      expect(mapEidasIdentity(login.attributes, POLICY).profile).toMatchObject({
        givenNames: 'Eleni',
        nationality: 'GR',
        address: { street: 'Odos Ermou', city: 'Athina', country: 'GR' },
      });
    });

    it('shows the form again with the problems when mandatory fields are missing', async () => {
      const response = await fetch(`${origin}/local/eidas/sso/authenticate`, {
        method: 'POST',
        body: new URLSearchParams({ country: 'DE', givenNames: 'Erika' }),
      });
      const html = await response.text();

      expect(response.status).toBe(400);
      expect(html).toContain('role="alert"');
      expect(html).toMatch(/id="field-familyName"[^>]*aria-invalid="true"/);
      expect(html).toMatch(/id="field-birthDate"[^>]*aria-invalid="true"/);
      expect(html).toContain('value="Erika"');
    });

    it('refuses to start a login when no AuthnRequest is sent', async () => {
      const response = await fetch(`${origin}/local/eidas/sso`);

      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Start the login from the service');
    });
  });
});
