/**
 * A registration-office account end to end on the sandbox (`npm start`'s entry as a child process,
 * HTTP only): a registration officer creates the account of a registered person; the activation mail
 * and the code card PDF arrive in the outbox; the person logs in through the Cognito Identity
 * Provider API (amazon-cognito-identity-js, CUSTOM_AUTH with SRP, against the local pool) with a new
 * password and a code from the card, enrols an authenticator app and logs in with it; the same
 * person's itsme login lands on the same person, and claims a company as the deployed-stage load test
 * does (load:companies, processor.cjs, load:check).
 *
 * The person logged in with itsme before, so the account is on an existing person: four eyes. The
 * first officer's request waits (202); that officer cannot confirm it (403); a second officer does
 * (201, once: 409 after), and the notices go to the address the person is known by (the itsme
 * profile's e-mail), not only to the address the officer typed.
 */
import { createHmac } from 'node:crypto';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NATIVE_CLIENT_NAME } from '#lib/config';
import { ITSME_NATIONAL_NUMBER, type SandboxProcess, startSandboxProcess } from '#test/helpers/sandbox';
// The load test's login, as Artillery loads it (CommonJS).
import { accountOf, nativeLogin, rememberTotpStep } from '../bench/artillery/native-login.cjs';
import { companyOfLine } from '../bench/artillery/processor.cjs';
import { loadCompanies } from '../bench/load-companies.ts';
import { checkStageInvariants } from '../bench/stage-invariants.ts';

/** The local pool's id and the native client's id (`sandbox-<ClientName>`), as local/server names them. */
const POOL_ID = 'eu-west-1_sandbox';
const NATIVE_CLIENT_ID = `sandbox-${NATIVE_CLIENT_NAME}`;

/** Seeded register persons (local/seed/persons.json). */
const OFFICER = { given_name: 'Jan', family_name: 'Peeters', birthdate: '1979-11-02', insz: '79110222494' };
const HOLDER = {
  given_name: 'Zoë',
  family_name: 'Van den Broeck',
  birthdate: '1992-06-30',
  insz: '92063004163',
};
const SECOND_OFFICER = {
  given_name: 'Amélie Françoise',
  family_name: 'Dubois',
  birthdate: '1985-03-14',
  insz: '85031411708',
};
const OTHER = {
  given_name: 'Günther',
  family_name: 'Müller',
  birthdate: '1968-01-21',
  insz: '68012138631',
};

const itsmeAttributes = (p: typeof OFFICER, email?: string) => ({
  given_name: p.given_name,
  family_name: p.family_name,
  birthdate: p.birthdate,
  [ITSME_NATIONAL_NUMBER]: p.insz,
  ...(email ? { email } : {}),
});

let sandbox: SandboxProcess;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
});

afterAll(() => {
  sandbox?.kill();
});

/** What an amazon-cognito-identity-js call ended with. */
type Outcome =
  | { kind: 'success'; session: CognitoUserSession }
  | { kind: 'failure'; error: Error & { code?: string } }
  | { kind: 'newPasswordRequired' }
  | { kind: 'mfaSetup' }
  | { kind: 'totpRequired' }
  | { kind: 'customChallenge'; parameters: Record<string, string> }
  | { kind: 'secretCode'; secretCode: string }
  | { kind: 'other'; name: string };

type Callbacks = Parameters<CognitoUser['authenticateUser']>[1] & {
  associateSecretCode: (secretCode: string) => void;
};

function step(run: (callbacks: Callbacks) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    run({
      onSuccess: (session: CognitoUserSession) => resolve({ kind: 'success', session }),
      onFailure: (error: Error & { code?: string }) => resolve({ kind: 'failure', error }),
      newPasswordRequired: () => resolve({ kind: 'newPasswordRequired' }),
      mfaSetup: () => resolve({ kind: 'mfaSetup' }),
      totpRequired: () => resolve({ kind: 'totpRequired' }),
      customChallenge: (parameters: Record<string, string>) =>
        resolve({ kind: 'customChallenge', parameters }),
      mfaRequired: () => resolve({ kind: 'other', name: 'mfaRequired' }),
      selectMFAType: () => resolve({ kind: 'other', name: 'selectMFAType' }),
      associateSecretCode: (secretCode: string) => resolve({ kind: 'secretCode', secretCode }),
    } as Callbacks);
  });
}

function expectKind<K extends Outcome['kind']>(outcome: Outcome, kind: K): Extract<Outcome, { kind: K }> {
  expect(outcome.kind, JSON.stringify(outcome)).toBe(kind);
  return outcome as Extract<Outcome, { kind: K }>;
}

/** A user of the native client on the sandbox's pool, on the deployed flow (CUSTOM_AUTH with SRP). */
function portalUser(username: string): CognitoUser {
  const pool = new CognitoUserPool({
    UserPoolId: POOL_ID,
    ClientId: NATIVE_CLIENT_ID,
    endpoint: `${sandbox.url}/local/aws/cognito-idp`,
  });
  const user = new CognitoUser({ Username: username, Pool: pool });
  user.setAuthenticationFlowType('CUSTOM_AUTH');
  return user;
}

/** RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits) for the step of `atMs`. */
function totp(secretBase32: string, atMs: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secretBase32.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  }
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac.at(-1) ?? 0) & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * The 24 codes of a code card PDF: the generator writes uncompressed text operators, a position
 * label `(NN.) Tj` followed by its code in the bold font.
 */
function codesOfPdf(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const codes: string[] = [];
  for (const match of text.matchAll(
    /\((\d{2})\.\) Tj ET\s+BT \/F2 \d+ Tf [\d.]+ [\d.]+ Td \(([^)]+)\) Tj/g,
  )) {
    codes[Number(match[1]) - 1] = match[2] as string;
  }
  return codes;
}

interface OutboxMail {
  id: string;
  to: string;
  text: string;
  template: string;
  attachments?: { filename: string; contentType: string; url: string }[];
}

async function mailTo(address: string, template: string): Promise<OutboxMail> {
  const mails = (await sandbox.outbox()) as unknown as OutboxMail[];
  const mail = mails.find((candidate) => candidate.to === address && candidate.template === template);
  if (!mail)
    throw new Error(`No ${template} mail to ${address}: ${JSON.stringify(mails.map((m) => m.template))}`);
  return mail;
}

describe('native accounts on the sandbox', () => {
  it('creates an account for an itsme person after a second officer confirms, tells the known address, logs in with password and code card, then with TOTP', async () => {
    // Two registration officers: the group is granted, and the next login carries it.
    const officerOf = async (person: typeof OFFICER) => {
      const before = await sandbox.accessTokenOf('itsme', itsmeAttributes(person));
      const granted = await sandbox.call('POST', '/local/groups', {
        body: { personId: String(decodeJwt(before).person_id), group: 'registration-officers' },
      });
      expect(granted.status, JSON.stringify(granted.body)).toBe(200);
      return sandbox.accessTokenOf('itsme', itsmeAttributes(person));
    };
    const officer = await officerOf(OFFICER);
    const secondOfficer = await officerOf(SECOND_OFFICER);

    // The person logged in with itsme before: the platform knows them by that address.
    const knownAddress = 'zoe.itsme@example.be';
    const itsmeBefore = decodeJwt(
      await sandbox.accessTokenOf('itsme', itsmeAttributes(HOLDER, knownAddress)),
    );
    const personId = String(itsmeBefore.person_id);

    // The account of that existing person, checked in person: it waits for a second officer.
    const email = 'zoe.vandenbroeck@example.be';
    const requested = await sandbox.call('POST', '/registration-office/accounts', {
      token: officer,
      body: { insz: HOLDER.insz, email, locale: 'en' },
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    expect(requested.body).toEqual({ pendingId: expect.any(String), status: 'PENDING_CONFIRMATION' });
    const pendingId = String(requested.body.pendingId);
    const confirmation = `/registration-office/pending-accounts/${pendingId}/confirmation`;
    const own = await sandbox.call('POST', confirmation, { token: officer });
    expect(own.status, JSON.stringify(own.body)).toBe(403);
    const listed = await sandbox.call('GET', '/registration-office/pending-accounts', {
      token: secondOfficer,
    });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain(pendingId);
    const created = await sandbox.call('POST', confirmation, { token: secondOfficer });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.personId).toBe(personId);
    const again = await sandbox.call('POST', confirmation, { token: secondOfficer });
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    const username = String(created.body.username);

    // The notices (request and creation) reach the address the person is known by, without the number.
    const job = await sandbox.call('POST', '/local/jobs/identity-notices');
    expect(job.status, JSON.stringify(job.body)).toBe(200);
    const notices = ((await sandbox.outbox()) as unknown as OutboxMail[]).filter(
      (m) => m.to === knownAddress,
    );
    expect(
      notices
        .map((m) => m.template)
        .filter((template) => template.startsWith('identity-office-'))
        .sort(),
    ).toEqual(['identity-office-account-created', 'identity-office-account-requested']);
    for (const notice of notices) expect(notice.text).not.toContain(HOLDER.insz);

    // The activation mail: username and temporary password.
    const activation = await mailTo(email, 'native-account-activation');
    expect(activation.text).toContain(`Username: ${username}`);
    const temporaryPassword = /Temporary password: (\S+)/.exec(activation.text)?.[1] ?? '';
    expect(temporaryPassword).not.toBe('');

    // The code card mail: a PDF with the 24 codes.
    const cardMail = await mailTo(email, 'native-code-card');
    const [attachment] = cardMail.attachments ?? [];
    expect(attachment).toMatchObject({
      contentType: 'application/pdf',
      filename: expect.stringMatching(/\.pdf$/),
    });
    const download = await fetch(`${sandbox.url}${attachment?.url}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    const codes = codesOfPdf(Buffer.from(await download.arrayBuffer()));
    expect(codes.filter(Boolean)).toHaveLength(24);
    const codeAt = (parameters: Record<string, string>) => codes[Number(parameters.position) - 1] ?? '';

    // First login: a new password (a weak one is refused), then the code at the asked position.
    const first = portalUser(username);
    expectKind(
      await step((cb) =>
        first.authenticateUser(
          new AuthenticationDetails({ Username: username, Password: temporaryPassword }),
          cb,
        ),
      ),
      'newPasswordRequired',
    );
    const weak = expectKind(
      await step((cb) => first.completeNewPasswordChallenge('short', {}, cb)),
      'failure',
    );
    expect(weak.error.code).toBe('InvalidPasswordException');
    const password = 'Correct-Horse-Battery-9';
    const asked = expectKind(
      await step((cb) => first.completeNewPasswordChallenge(password, {}, cb)),
      'customChallenge',
    );
    expect(Number(asked.parameters.position)).toBeGreaterThanOrEqual(1);
    expect(Number(asked.parameters.position)).toBeLessThanOrEqual(24);
    const signedIn = expectKind(
      await step((cb) => first.sendCustomChallengeAnswer(codeAt(asked.parameters), cb)),
      'success',
    );
    expect(decodeJwt(signedIn.session.getIdToken().getJwtToken())).toMatchObject({
      idp: 'native',
      loa: 'substantial',
      person_id: personId,
      insz: HOLDER.insz,
    });
    // A native sign-in has no OAuth scopes: pre token generation adds the API's, so the API takes it.
    const nativeAccess = signedIn.session.getAccessToken().getJwtToken();
    expect(String(decodeJwt(nativeAccess).scope).split(' ')).toContain('eid-access/api');
    const nativeMe = await sandbox.call('GET', '/me', { token: nativeAccess });
    expect(nativeMe.status).toBe(200);
    expect(nativeMe.body).toMatchObject({ personId, insz: HOLDER.insz });
    const withIdToken = await sandbox.call('GET', '/me', {
      token: signedIn.session.getIdToken().getJwtToken(),
    });
    expect(withIdToken.status).toBe(401);

    // The load test's login (test/bench/artillery/native-login.cjs) answers the card's position too.
    const loadLogin = await nativeLogin({
      userPoolId: POOL_ID,
      clientId: NATIVE_CLIENT_ID,
      endpoint: `${sandbox.url}/local/aws/cognito-idp`,
      account: accountOf({ username, password, codeCard: codes.join(' ') }),
    });
    expect(decodeJwt(loadLogin.idToken)).toMatchObject({ idp: 'native', person_id: personId });
    expect(loadLogin.expiresAt).toBeGreaterThan(Date.now());
    expect((await sandbox.call('GET', '/me', { token: loadLogin.accessToken })).status).toBe(200);

    // Second login: a wrong code asks another position; the right one signs in.
    const second = portalUser(username);
    const position = expectKind(
      await step((cb) =>
        second.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), cb),
      ),
      'customChallenge',
    );
    const retry = expectKind(
      await step((cb) => second.sendCustomChallengeAnswer('000000x', cb)),
      'customChallenge',
    );
    expect(retry.parameters.position).not.toBe(position.parameters.position);
    expectKind(await step((cb) => second.sendCustomChallengeAnswer(codeAt(retry.parameters), cb)), 'success');

    // An authenticator app, enrolled in the signed-in session and made the preferred factor.
    const { secretCode } = expectKind(await step((cb) => second.associateSoftwareToken(cb)), 'secretCode');
    expectKind(
      await step((cb) => second.verifySoftwareToken(totp(secretCode, Date.now()), 'phone', cb)),
      'success',
    );
    const preference = await new Promise<unknown>((resolve, reject) =>
      second.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
    expect(preference).toBe('SUCCESS');

    // Third login: password then TOTP only (a code of the next step: the enrolment's is used up).
    const third = portalUser(username);
    expectKind(
      await step((cb) =>
        third.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), cb),
      ),
      'totpRequired',
    );
    const withTotp = expectKind(
      await step((cb) => third.sendMFACode(totp(secretCode, Date.now() + 30_000), cb, 'SOFTWARE_TOKEN_MFA')),
      'success',
    );
    expect(decodeJwt(withTotp.session.getIdToken().getJwtToken())).toMatchObject({
      idp: 'native',
      person_id: personId,
    });

    // The load test's login with the authenticator app: it takes a TOTP step nobody used (it waits
    // for the next one, since this login took the step after the current one), and a wrong secret is
    // refused.
    rememberTotpStep(username, Math.floor(Date.now() / 30_000) + 1);
    const appLogin = await nativeLogin({
      userPoolId: POOL_ID,
      clientId: NATIVE_CLIENT_ID,
      endpoint: `${sandbox.url}/local/aws/cognito-idp`,
      account: accountOf({ username, password, totpSecret: secretCode }),
    });
    expect((await sandbox.call('GET', '/me', { token: appLogin.accessToken })).body).toMatchObject({
      personId,
    });
    // The load test's company claim (deployed-stage.yml): the company load:companies derives from the
    // users.csv line, seeded into the register (the sandbox's stand-in for register:seed), claimed
    // with the native login's token as processor.cjs names it; a repeat is the idempotent 200, and
    // load:check finds the company claimed once.
    const usersCsv = `username,password,totpSecret,codeCard,orgCode,email,insz\n${username},${password},${secretCode},,,${email},${HOLDER.insz}\n`;
    const [company] = loadCompanies(usersCsv, 'e2e').companies;
    if (!company) throw new Error('load:companies wrote no company for the account');
    const registered = await sandbox.call('POST', '/local/register/companies', {
      body: {
        enterpriseNumber: company.enterpriseNumber,
        name: company.name,
        legalRepresentatives: [HOLDER.insz],
      },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBeLessThan(300);
    vi.stubEnv('LOAD_RUN', 'e2e');
    const line: { vars: Record<string, unknown> } = { vars: { insz: HOLDER.insz } };
    companyOfLine(line, { emit: () => undefined }, () => undefined);
    vi.unstubAllEnvs();
    expect(line.vars.enterpriseNumber).toBe(company.enterpriseNumber);
    const claim = { token: appLogin.accessToken, body: { enterpriseNumber: line.vars.enterpriseNumber } };
    const claimed = await sandbox.call('POST', '/organisations/claims', claim);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
    expect((await sandbox.call('POST', '/organisations/claims', claim)).status).toBe(200);
    const checked = await checkStageInvariants({
      api: sandbox.url,
      orgCode: company.enterpriseNumber,
      adminToken: appLogin.accessToken,
      claims: [{ enterpriseNumber: company.enterpriseNumber, token: async () => appLogin.accessToken }],
    });
    expect(checked.problems).toEqual([]);
    expect(checked.counts).toMatchObject({ 'companies claimed': 1, 'companies not claimed': 0 });

    await expect(
      nativeLogin({
        userPoolId: POOL_ID,
        clientId: NATIVE_CLIENT_ID,
        endpoint: `${sandbox.url}/local/aws/cognito-idp`,
        account: accountOf({ username, password: 'Wrong-Horse-Battery-9', totpSecret: secretCode }),
      }),
    ).rejects.toThrow(`${username}: login refused (NotAuthorizedException)`);

    // The same person with itsme: one person.
    const itsme = decodeJwt(await sandbox.accessTokenOf('itsme', itsmeAttributes(HOLDER)));
    expect(itsme).toMatchObject({ idp: 'itsme', person_id: personId });
  });

  it('refuses to create an account when the caller is no registration officer', async () => {
    const token = await sandbox.accessTokenOf('itsme', itsmeAttributes(OTHER));

    const refused = await sandbox.call('POST', '/registration-office/accounts', {
      token,
      body: { insz: OTHER.insz, email: 'guenther@example.be' },
    });

    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
  });
});
