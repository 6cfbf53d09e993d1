import { describe, expect, it } from 'vitest';
import { PRESENTATION_REFUSAL_REASONS } from '../../../lambdas/wallet-bridge/errors.ts';
import {
  LOCALES,
  PAGE_TEXT,
  REFUSAL_TEXT,
  refusalDescription,
  walletRefusalReason,
} from '../../../lambdas/wallet-bridge/messages.ts';
import { renderRefusalPage } from '../../../lambdas/wallet-bridge/pages.ts';
import { loginRefusalCode } from '../../../portal/src/api/problem.ts';

describe('wallet refusal messages', () => {
  it('has a sentence in nl, fr, en and de for every refusal reason and no other', () => {
    expect(Object.keys(REFUSAL_TEXT).sort()).toEqual([...PRESENTATION_REFUSAL_REASONS].sort());
    for (const reason of PRESENTATION_REFUSAL_REASONS) {
      const sentences = LOCALES.map((locale) => REFUSAL_TEXT[reason][locale]);
      for (const sentence of sentences) expect(sentence, reason).toMatch(/^\S.{20,}[.!]$/);
      expect(new Set(sentences).size, `${reason} is translated`).toBe(LOCALES.length);
    }
  });

  it('gives every reason its own sentence when two checks fail differently', () => {
    for (const locale of LOCALES) {
      const sentences = PRESENTATION_REFUSAL_REASONS.map((reason) => REFUSAL_TEXT[reason][locale]);
      expect(new Set(sentences).size, locale).toBe(PRESENTATION_REFUSAL_REASONS.length);
    }
  });

  it.each(PRESENTATION_REFUSAL_REASONS)('sends %s to Cognito as a code the portal reads back', (reason) => {
    const description = refusalDescription(reason, 'fr');

    expect(description.endsWith(REFUSAL_TEXT[reason].fr)).toBe(true);
    expect(walletRefusalReason(loginRefusalCode(description))).toBe(reason);
  });

  it('reads no wallet reason from another refusal code', () => {
    expect(walletRefusalReason('refused-nationality')).toBeUndefined();
    expect(walletRefusalReason('wallet-toString')).toBeUndefined();
    expect(walletRefusalReason(undefined)).toBeUndefined();
  });

  it.each(LOCALES)('renders the refusal page in %s with the sentence and the way back', (locale) => {
    const page = renderRefusalPage({
      locale,
      transactionId: 'tx-0123456789abcdef',
      message: REFUSAL_TEXT.revoked[locale],
      basePath: '/',
      cspNonce: 'n0nce',
    });

    expect(page).toContain(`<html lang="${locale}">`);
    expect(page).toContain(`<h1>${PAGE_TEXT[locale].refused}</h1>`);
    expect(page).toContain(
      `<p role="alert" id="refusal">${REFUSAL_TEXT.revoked[locale].replace(/'/g, '&#39;')}</p>`,
    );
    expect(page).toContain(`href="/complete?tx=tx-0123456789abcdef">${PAGE_TEXT[locale].continue}</a>`);
    for (const other of LOCALES.filter((candidate) => candidate !== locale)) {
      expect(page).toContain(`?ui_locales=${other}`);
    }
  });
});
