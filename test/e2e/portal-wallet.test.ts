/**
 * Wallet login in the portal (issue 17), in a real browser against the sandbox: the portal's "EU
 * Digital Identity Wallet" button → the local user pool → the wallet bridge's authorization page →
 * the sandbox's test wallet opened with the page's same-device request → back in the portal, signed
 * in with `idp` `eudi` and `loa` `high`; in Dutch and French, axe-core on the portal's pages and the
 * bridge's. And the W3C Digital Credentials API path of the same page, with the browser's
 * `navigator.credentials.get` replaced by one that asks an independent holder (the test wallet). A
 * declined request: the portal's refusal and the bridge's refusal page in the person's language.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newHolderKey, TestWallet } from '#local/eudi/test-wallet';
import { PAGE_TEXT, REFUSAL_TEXT } from '../../lambdas/wallet-bridge/messages.ts';
import { type Language, translate } from '../../portal/src/i18n/i18n.ts';
import type { MessageKey } from '../../portal/src/i18n/messages.ts';
import {
  activate,
  expectAccessible,
  nationalNumber,
  portalSandboxPerFile,
  uniqueName,
} from './portal-harness.ts';

const sandbox = portalSandboxPerFile(480_000);

/** Journeys through several pages on a shared, busy machine: a generous bound, not a timing check. */
const JOURNEY = 300_000;

const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** The tokens of the tab's session (the portal keeps them in sessionStorage). */
const tokensOf = (page: Page): Promise<{ accessToken: string; idToken: string }> =>
  page.evaluate(() => {
    const raw = sessionStorage.getItem('eid-access.tokens');
    const tokens = raw ? (JSON.parse(raw) as { accessToken?: string; idToken?: string }) : {};
    return { accessToken: String(tokens.accessToken ?? ''), idToken: String(tokens.idToken ?? '') };
  });

/** From the portal's welcome page to the bridge's authorization page, in the portal's language. */
async function startWalletLogin(page: Page, language: Language): Promise<void> {
  const t = (key: MessageKey) => translate(language, key);
  await page.goto(sandbox.portalUrl);
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
  // index.html says `lang="nl"` before the app has drawn anything: wait for the buttons, then count.
  await page.getByRole('button', { name: t('auth.loginWallet') }).waitFor();
  await expect(page.getByRole('button', { name: t('auth.loginItsme') }).count()).resolves.toBe(1);
  await expect(page.getByRole('button', { name: t('auth.loginEidas') }).count()).resolves.toBe(1);
  await expectAccessible(page, `welcome (${language})`);
  await activate(page.getByRole('button', { name: t('auth.loginWallet') }));
  await page.getByRole('heading', { name: PAGE_TEXT[language as 'nl' | 'fr'].title }).waitFor();
  expect(new URL(page.url()).pathname).toMatch(/^\/local\/eudi\/bridge\/authorize\/[\w-]+$/);
}

describe('wallet login in the portal', () => {
  it.each([
    ['nl', 'nl-BE'],
    ['fr', 'fr-BE'],
  ] as const)(
    'logs a Belgian wallet holder in through the bridge’s same-device request in %s',
    async (language, locale) => {
      const t = (key: MessageKey) => translate(language, key);
      const familyName = uniqueName('Wouters');
      const insz = nationalNumber('1979-11-05');
      const { page } = await sandbox.newPerson({ locale, phone: true });

      await startWalletLogin(page, language);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      await expectAccessible(page, `bridge authorization page (${language})`);
      await sandbox.screenshot(page, `wallet-authorization-${language}`);
      const sameDevice = (await page.locator('#same-device').getAttribute('href')) ?? '';
      expect(sameDevice).toMatch(/^openid4vp:\/\/\?client_id=x509_hash%3A/);
      const testWallet = page.getByRole('link', { name: /local test wallet/ });
      const walletUrl = new URL((await testWallet.getAttribute('href')) ?? '', page.url());
      // The sandbox's wallet page stands in for the wallet app the phone opens with the same link.
      expect(walletUrl.searchParams.get('request')).toBe(sameDevice);

      await activate(testWallet);
      await page.getByRole('heading', { name: 'EU Digital Identity Wallet (local test)' }).waitFor();
      await expectAccessible(page, 'test wallet');
      await page.getByLabel('Given names').fill('Lien');
      await page.getByLabel('Family name').fill(familyName);
      await page.getByLabel('Birth date (YYYY-MM-DD)').fill('1979-11-05');
      await page.getByLabel('Nationality (ISO code)').fill('BE');
      await page.getByLabel('Issuing country (ISO code)').fill('BE');
      await page.getByLabel(/Personal administrative number/).fill(insz);
      await activate(page.getByRole('button', { name: 'Share my PID' }));

      await page.getByRole('button', { name: t('auth.logout') }).waitFor();
      expect(new URL(page.url()).origin).toBe(new URL(sandbox.portalUrl).origin);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      const { accessToken, idToken } = await tokensOf(page);
      expect(claimsOf(accessToken)).toMatchObject({ idp: 'eudi', loa: 'high' });
      expect(claimsOf(idToken)).toMatchObject({ idp: 'eudi', loa: 'high', insz });
      const me = await sandbox.call('GET', '/me', undefined, accessToken);
      expect(me.body).toMatchObject({
        insz,
        givenNames: 'Lien',
        familyName,
        birthDate: '1979-11-05',
        identities: [{ provider: 'eudi' }],
      });
      await sandbox.screenshot(page, `wallet-signed-in-${language}`);
      await expectAccessible(page, `signed in (${language})`);
    },
    JOURNEY,
  );

  it(
    'tells a person who declined in the wallet why in their language, in the portal and on the bridge’s page',
    async () => {
      const { page } = await sandbox.newPerson({ locale: 'nl-BE', phone: true });

      await startWalletLogin(page, 'nl');
      const authorizationPage = page.url();
      await activate(page.getByRole('link', { name: /local test wallet/ }));
      await page.getByRole('heading', { name: 'EU Digital Identity Wallet (local test)' }).waitFor();
      await activate(page.getByRole('button', { name: 'Decline' }));

      // Same device: the wallet's redirect goes through the bridge and Cognito back to the portal.
      const sentence = REFUSAL_TEXT['wallet-error'].nl;
      const refusal = page.getByTestId('refusal');
      await refusal.waitFor();
      expect(new URL(page.url()).origin).toBe(new URL(sandbox.portalUrl).origin);
      await expect(refusal.getAttribute('data-code')).resolves.toBe('wallet-wallet-error');
      await expect(refusal.textContent()).resolves.toContain(sentence);
      await expect(page.getByRole('button', { name: translate('nl', 'auth.logout') }).count()).resolves.toBe(
        0,
      );
      await expectAccessible(page, 'portal refusal (nl)');

      // The authorization page (what a second screen still shows) now says the same, with the way back.
      await page.goto(authorizationPage);
      await page.getByRole('heading', { name: PAGE_TEXT.nl.refused }).waitFor();
      await expect(page.getByText(sentence).count()).resolves.toBe(1);
      await expect(page.getByRole('link', { name: PAGE_TEXT.nl.continue }).count()).resolves.toBe(1);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('nl');
      await expectAccessible(page, 'bridge refusal page (nl)');
      await sandbox.screenshot(page, 'wallet-refused-nl');
    },
    JOURNEY,
  );

  it(
    'logs in through the browser’s Digital Credentials API where the browser offers it',
    async () => {
      const wallet = new TestWallet();
      const holder = newHolderKey();
      const familyName = uniqueName('Jacobs');
      const issued = await sandbox.call('POST', '/local/eudi/credentials', {
        format: 'dc+sd-jwt',
        claims: {
          given_name: 'Ruben',
          family_name: familyName,
          birthdate: '1990-01-12',
          issuing_country: 'BE',
          nationalities: ['BE'],
          personal_administrative_number: nationalNumber('1990-01-12'),
        },
        holderPublicJwk: holder.publicJwk,
      });
      expect(issued.status, JSON.stringify(issued.body)).toBe(201);
      const credential = String((issued.body as { credential: string }).credential);
      const { context, page } = await sandbox.newPerson({ locale: 'en-GB' });
      const asked: { protocol: string; origin: string }[] = [];
      // The browser's wallet: the page's request, checked and answered by the independent holder.
      await context.exposeBinding('eudiTestWalletGet', async ({ page: caller }, request: unknown) => {
        const { protocol, data } = request as { protocol: string; data: { request: string } };
        const origin = new URL(caller.url()).origin;
        asked.push({ protocol, origin });
        const opened = await wallet.openDigital(data.request, origin);
        return wallet.answerDigital(opened, { credential, holderKey: holder.privateKey });
      });
      await context.addInitScript(() => {
        const browser = window as unknown as Record<string, unknown>;
        if (typeof browser.DigitalCredential === 'undefined') browser.DigitalCredential = class {};
        Object.defineProperty(navigator.credentials, 'get', {
          configurable: true,
          value: async (options: { digital?: { requests?: unknown[] } }) => {
            const request = options.digital?.requests?.[0];
            if (!request) throw new DOMException('not a digital credential request', 'NotSupportedError');
            const ask = browser.eudiTestWalletGet as (request: unknown) => Promise<unknown>;
            return { protocol: (request as { protocol: string }).protocol, data: await ask(request) };
          },
        });
        (browser.DigitalCredential as { userAgentAllowsProtocol?: unknown }).userAgentAllowsProtocol = (
          protocol: string,
        ) => protocol === 'openid4vp-v1-signed';
      });

      await startWalletLogin(page, 'en');
      const browserWallet = page.getByRole('button', { name: PAGE_TEXT.en.digitalCredentials });
      await browserWallet.waitFor();
      await expectAccessible(page, 'bridge authorization page with the browser’s wallet');
      await activate(browserWallet);

      await page.getByRole('button', { name: translate('en', 'auth.logout') }).waitFor();
      expect(asked).toEqual([
        { protocol: 'openid4vp-v1-signed', origin: new URL(sandbox.sandboxUrl).origin },
      ]);
      const { accessToken } = await tokensOf(page);
      expect(claimsOf(accessToken)).toMatchObject({ idp: 'eudi', loa: 'high' });
      const me = await sandbox.call('GET', '/me', undefined, accessToken);
      expect(me.body).toMatchObject({ givenNames: 'Ruben', familyName });
    },
    JOURNEY,
  );
});
