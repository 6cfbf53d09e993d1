import { describe, expect, it } from 'vitest';
import {
  CARD_SIZE,
  CODE_ALPHABET,
  CODE_LENGTH,
  generateCard,
  generateCodes,
  hashCode,
  pickPosition,
  verifyCode,
} from '#shared/code-card';
import { generateNativeUserName, isNativeUserName } from '#shared/native-user';
import { TEST_KDF } from '#test/helpers/code-cards';
import { renderCodeCardPdf } from '../../../lambdas/native/code-card-pdf.ts';
import { generateTemporaryPassword } from '../../../lambdas/native/cognito-users.ts';

describe('code card', () => {
  it('generates 24 distinct codes of 6 unambiguous characters', () => {
    const codes = generateCodes();

    expect(codes).toHaveLength(CARD_SIZE);
    expect(new Set(codes).size).toBe(CARD_SIZE);
    for (const code of codes) {
      expect(code).toHaveLength(CODE_LENGTH);
      for (const char of code) expect(CODE_ALPHABET).toContain(char);
    }
    expect(CODE_ALPHABET).not.toMatch(/[0O1IL]/);
  });

  it('keeps the codes distinct when the random source repeats itself', () => {
    let call = 0;
    // The first 6 × 10 draws give the same code ten times over; later draws vary.
    const random = (max: number) => (call++ < 60 ? 0 : call % max);

    const codes = generateCodes(random);

    expect(new Set(codes).size).toBe(CARD_SIZE);
  });

  it('stores salted hashes that verify the code only at its own position', async () => {
    const card = await generateCard({ kdf: TEST_KDF });

    expect(card.hashes).toHaveLength(CARD_SIZE);
    expect(card.hashes.join()).not.toContain(card.codes[0]);
    await expect(verifyCode(card, 5, card.codes[4] as string)).resolves.toBe(true);
    await expect(verifyCode(card, 6, card.codes[4] as string)).resolves.toBe(false);
    await expect(verifyCode(card, 25, card.codes[4] as string)).resolves.toBe(false);
    await expect(verifyCode(card, 5, 'not-a-code')).resolves.toBe(false);
  });

  it('gives the same code different hashes on two cards (per-card salt)', async () => {
    const a = await hashCode('ABCDEF', 1, Buffer.from('salt-a').toString('base64'), TEST_KDF);
    const b = await hashCode('ABCDEF', 1, Buffer.from('salt-b').toString('base64'), TEST_KDF);

    expect(a).not.toBe(b);
  });

  it('never picks the previous position and covers every other one', () => {
    const seen = new Set<number>();
    for (let r = 0; r < CARD_SIZE - 1; r++) seen.add(pickPosition(7, () => r));

    expect(seen.has(7)).toBe(false);
    expect(seen.size).toBe(CARD_SIZE - 1);
    expect(Math.min(...seen)).toBe(1);
    expect(Math.max(...seen)).toBe(CARD_SIZE);
  });
});

describe('code card pdf', () => {
  const codes = generateCodes();
  const pdf = Buffer.from(
    renderCodeCardPdf({
      holder: 'Marie Dupont (née Müller)',
      username: 'ea-k7m2p9qx4t',
      cardId: '01JZCARD000000000000000001',
      issuedAt: '2026-03-01T12:00:00.000Z',
      codes,
    }),
  ).toString('latin1');

  it('is a PDF document with a correct cross-reference table', () => {
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    const startxref = Number(/startxref\n(\d+)/.exec(pdf)?.[1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
    const offsets = [...pdf.matchAll(/^(\d{10}) 00000 n $/gm)].map((match) => Number(match[1]));
    offsets.forEach((offset, index) => {
      expect(pdf.slice(offset).startsWith(`${index + 1} 0 obj`)).toBe(true);
    });
  });

  it('contains the 24 numbered codes and the holder as text', () => {
    codes.forEach((code, index) => {
      expect(pdf).toContain(`(${String(index + 1).padStart(2, '0')}.) Tj`);
      expect(pdf).toContain(`(${code}) Tj`);
    });
    expect(pdf).toContain('(Holder: Marie Dupont \\(n\xE9e M\xFCller\\)) Tj');
  });

  it('declares the real length of its content stream', () => {
    const declared = Number(/\/Length (\d+)/.exec(pdf)?.[1]);
    const stream = /stream\n([\s\S]*?)\nendstream/.exec(pdf)?.[1] ?? '';

    expect(declared).toBe(Buffer.byteLength(stream, 'latin1'));
  });
});

describe('native credentials', () => {
  it('generates readable usernames that the triggers recognise as native', () => {
    const names = Array.from({ length: 50 }, () => generateNativeUserName());

    for (const name of names) {
      expect(name).toMatch(/^ea-[a-z2-9]{10}$/);
      expect(isNativeUserName(name)).toBe(true);
    }
    expect(isNativeUserName('eIDAS_ea-k7m2p9qx4t')).toBe(false);
    expect(isNativeUserName('ea-k7m2p9qx4o')).toBe(false);
  });

  it('generates temporary passwords that meet the pool policy', () => {
    for (let i = 0; i < 50; i++) {
      const password = generateTemporaryPassword();
      expect(password.length).toBeGreaterThanOrEqual(14);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/\d/);
      expect(password).toMatch(/[!#%+\-=?@]/);
    }
  });
});
