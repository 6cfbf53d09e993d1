/**
 * Native account in a real browser: a registration officer creates the account over the API; the
 * person opens the portal, logs in with "username and code" (temporary password from the activation
 * mail, a new password, a code of the card from the PDF in the outbox), sees the profile, enrols a
 * mobile app (TOTP computed here, RFC 6238), logs out and logs in again with the app's code.
 */
import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activate,
  eventually,
  expectAccessible,
  ITSME_NATIONAL_NUMBER,
  nationalNumber,
  type PortalSandbox,
  SANDBOX_NATIVE_CLIENT_ID,
  startPortalSandbox,
  uniqueName,
} from './portal-harness.ts';

let sandbox: PortalSandbox;

beforeAll(async () => {
  sandbox = await startPortalSandbox();
});

afterAll(async () => {
  await sandbox?.close();
});

interface OutboxMail {
  id: string;
  to: string | string[];
  subject: string;
  text: string;
  attachments?: { filename: string; contentType: string; url: string }[];
}

const payloadOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** The 24 codes of a code card PDF (uncompressed text: `(NN.) Tj` followed by the code). */
function codesOfPdf(pdf: string): Map<number, string> {
  const strings = [...pdf.matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g)].map((match) => match[1] ?? '');
  const codes = new Map<number, string>();
  strings.forEach((text, index) => {
    const position = /^(\d{2})\.$/.exec(text);
    const code = strings[index + 1];
    if (position?.[1] && code) codes.set(Number(position[1]), code);
  });
  return codes;
}

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 (SHA-1, 6 digits, 30 s) for a time step. */
function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = (digest[digest.length - 1] ?? 0) & 0x0f;
  const value = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

const currentStep = () => Math.floor(Date.now() / 30_000);

async function outbox(): Promise<OutboxMail[]> {
  const answer = await sandbox.call('GET', '/local/outbox');
  return answer.body as OutboxMail[];
}

const sentTo = (mail: OutboxMail, email: string) =>
  (Array.isArray(mail.to) ? mail.to : [mail.to]).some((to) => to.includes(email));

async function credentialsLogin(page: Page, username: string, password: string): Promise<void> {
  await activate(page.getByRole('link', { name: 'Log in with username and code' }));
  await page.getByRole('heading', { name: 'Log in with username and code' }).waitFor();
  await expectAccessible(page, 'username-and-code login');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await activate(page.getByRole('button', { name: 'Continue' }));
}

describe('portal native account journey', () => {
  it('logs in with username, password and code card, enrols a mobile app, logs in with it and requests a new card', async () => {
    // A registration officer (itsme login, then the group).
    const officerInsz = nationalNumber('1975-04-12');
    const officerLogin = () =>
      sandbox.call('POST', '/local/login', {
        provider: 'itsme',
        attributes: {
          given_name: 'Ann',
          family_name: uniqueName('Peeters'),
          birthdate: '1975-04-12',
          [ITSME_NATIONAL_NUMBER]: officerInsz,
        },
      });
    const first = await officerLogin();
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const officerId = String(payloadOf(String((first.body as { idToken: string }).idToken)).person_id);
    expect(
      (await sandbox.call('POST', '/local/groups', { personId: officerId, group: 'registration-officers' }))
        .status,
    ).toBe(200);
    const officerToken = String(((await officerLogin()).body as { accessToken: string }).accessToken);

    // The person, checked at the office, known to the person register.
    const birthDate = '1988-09-03';
    const insz = nationalNumber(birthDate);
    const familyName = uniqueName('Janssens');
    const email = `${familyName.toLowerCase()}@example.be`;
    expect(
      (
        await sandbox.call('POST', '/local/register/persons', {
          insz,
          givenNames: 'Lea',
          familyName,
          birthDate,
        })
      ).status,
    ).toBeLessThan(300);
    const created = await sandbox.call(
      'POST',
      '/registration-office/accounts',
      { insz, email, locale: 'en' },
      officerToken,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { username } = created.body as { username: string };

    // The activation mail (temporary password) and the card mail (PDF attachment).
    let mails: OutboxMail[] = [];
    await eventually(async () => {
      mails = (await outbox()).filter((mail) => sentTo(mail, email));
      return (
        mails.some((mail) => /Temporary password/i.test(mail.text)) &&
        mails.some((m) => m.attachments?.length)
      );
    });
    const activation = mails.find((mail) => /Temporary password/i.test(mail.text));
    const temporaryPassword = /Temporary password:\s*(\S+)/.exec(activation?.text ?? '')?.[1] ?? '';
    expect(activation?.text).toContain(username);
    expect(temporaryPassword).not.toBe('');
    const attachment = mails.find((mail) => mail.attachments?.length)?.attachments?.[0];
    expect(attachment?.contentType).toBe('application/pdf');
    const pdf = await fetch(`${sandbox.sandboxUrl}${attachment?.url}`).then(async (r) =>
      Buffer.from(await r.arrayBuffer()).toString('latin1'),
    );
    const codes = codesOfPdf(pdf);
    expect(codes.size).toBe(24);

    // First login: temporary password, new password, a code of the card.
    const { page } = await sandbox.newPerson();
    // Every call the browser makes to Cognito's API, to check which app client it names.
    const cognitoCalls: { target: string; clientId: unknown }[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'POST' || new URL(request.url()).pathname !== '/local/aws/cognito-idp') return;
      const body = JSON.parse(request.postData() ?? '{}') as Record<string, unknown>;
      cognitoCalls.push({ target: request.headers()['x-amz-target'] ?? '', clientId: body.ClientId });
    });
    await page.goto(sandbox.portalUrl);
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    await expectAccessible(page, 'welcome with the username-and-code login');
    await credentialsLogin(page, username, temporaryPassword);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await sandbox.screenshot(page, 'native-1-new-password');
    await expectAccessible(page, 'native-1-new-password');
    // A password the policy refuses: the message, and the same session still works.
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Repeat the new password', { exact: true }).fill('short');
    await activate(page.getByRole('button', { name: 'Save the password' }));
    await page.getByRole('alert').getByText('This password is not strong enough').waitFor();
    const newPassword = `Lea-${uniqueName('pw')}-2026!`;
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password', { exact: true }).fill(newPassword);
    await activate(page.getByRole('button', { name: 'Save the password' }));
    await page.getByRole('heading', { name: 'Your code card' }).waitFor();
    const label = await page
      .getByRole('textbox', { name: /Code number \d+ of your code card/ })
      .getAttribute('id');
    const labelText = ((await page.locator(`label[for="${label}"]`).textContent()) ?? '').trim();
    const position = Number(/Code number (\d+)/.exec(labelText)?.[1]);
    expect(codes.has(position)).toBe(true);
    await sandbox.screenshot(page, 'native-2-code-card');
    await expectAccessible(page, 'native-2-code-card');
    await page.getByLabel(labelText, { exact: true }).fill(codes.get(position) ?? '');
    await activate(page.getByRole('button', { name: 'Log in', exact: true }));
    // Back where the login started (the home page), with the native account's links.
    await page.getByRole('heading', { name: 'What do you want to do?', level: 1 }).waitFor();
    await activate(page.getByRole('navigation').getByRole('link', { name: 'My profile' }));
    await page.getByRole('heading', { name: 'My profile', level: 1 }).waitFor();
    await expect
      .poll(async () => ((await page.getByTestId('insz').textContent()) ?? '').replace(/\D/g, ''))
      .toBe(insz);
    await sandbox.screenshot(page, 'native-3-profile');
    await expectAccessible(page, 'native-3-profile');

    // The mobile app.
    await activate(page.getByRole('link', { name: 'Mobile app' }));
    await page.getByRole('heading', { name: 'Security code via mobile app' }).waitFor();
    await activate(page.getByRole('button', { name: 'Set up the mobile app' }));
    const secret = (await page.getByTestId('totp-secret').getAttribute('data-secret')) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await expect.poll(() => page.locator('a.otpauth').getAttribute('href')).toContain(`secret=${secret}`);
    await sandbox.screenshot(page, 'native-4-authenticator');
    await expectAccessible(page, 'native-4-authenticator');
    const enrolStep = currentStep();
    await page
      .getByLabel('The 6-digit code the app shows now', { exact: true })
      .fill(totp(secret, enrolStep));
    await activate(page.getByRole('button', { name: 'Confirm' }));
    await page.getByText('Your mobile app is set up.').waitFor();

    // Log out, log in again: the app's code instead of the card.
    await activate(page.getByRole('button', { name: 'Log out' }));
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    await credentialsLogin(page, username, newPassword);
    await page.getByRole('heading', { name: 'Security code' }).waitFor();
    await sandbox.screenshot(page, 'native-5-totp-login');
    await expectAccessible(page, 'native-5-totp-login');
    // A code is accepted once: the next time step (within the pool's ±1 window) is a fresh one.
    await page
      .getByLabel('The 6-digit code in your mobile app', { exact: true })
      .fill(totp(secret, Math.max(currentStep(), enrolStep) + 1));
    await activate(page.getByRole('button', { name: 'Log in', exact: true }));
    await page.getByRole('heading', { name: 'What do you want to do?', level: 1 }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Code card' }).waitFor();
    await sandbox.screenshot(page, 'native-6-home-again');
    await expectAccessible(page, 'native-6-home-again');

    // A new code card: explained, requested, mailed.
    const cardsBefore = (await outbox()).filter(
      (mail) => sentTo(mail, email) && mail.attachments?.length,
    ).length;
    await activate(page.getByRole('navigation').getByRole('link', { name: 'Code card' }));
    await page.getByRole('heading', { name: 'Request a new code card', level: 1 }).waitFor();
    await page.getByText('Your current card stops working at once').waitFor();
    await activate(page.getByRole('button', { name: 'Request a new code card' }));
    await page.getByRole('status').getByText('Your new code card is on its way by e-mail.').waitFor();
    await sandbox.screenshot(page, 'native-7-new-card');
    await expectAccessible(page, 'native-7-new-card');
    await eventually(
      async () =>
        (await outbox()).filter((mail) => sentTo(mail, email) && mail.attachments?.length).length >
        cardsBefore,
    );

    // Only the native client: the federated portal client has no API sign-in, and the native one
    // may write no identity attribute (issue 12 item 7).
    const portalConfig = (await (await fetch(`${sandbox.portalUrl}/config.json`)).json()) as Record<
      string,
      unknown
    >;
    expect(portalConfig.nativeClientId).toBe(SANDBOX_NATIVE_CLIENT_ID);
    expect(portalConfig.clientId).not.toBe(SANDBOX_NATIVE_CLIENT_ID);
    const naming = cognitoCalls.filter((call) => call.clientId !== undefined);
    expect(naming.map((call) => call.target)).toContain('AWSCognitoIdentityProviderService.InitiateAuth');
    expect(naming.map((call) => call.target)).toContain(
      'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
    );
    expect(new Set(naming.map((call) => call.clientId))).toEqual(new Set([SANDBOX_NATIVE_CLIENT_ID]));
  }, 240_000);
});
