/**
 * Use case: a new code card for a native account. The card replaces the previous one in a single
 * write (its version moves, so the old card stops working at once), clears the failure count and
 * the lock, and goes to the person by e-mail as a PDF. The codes exist only in memory and in the PDF.
 */

import { generateCard } from '#shared/code-card';
import { NotFoundError } from '#shared/errors';
import { renderCodeCardPdf } from './code-card-pdf.ts';
import type { NativeAccount } from './native-repository.ts';
import type { NativeDeps } from './ports.ts';

/** What the API answers: never the codes. */
export interface IssuedCard {
  cardId: string;
  createdAt: string;
  version: number;
}

/** Issues a card for an account that is already loaded. */
export async function issueCardFor(
  deps: Pick<NativeDeps, 'cards' | 'cardMailer' | 'now' | 'newId' | 'logger' | 'kdf'>,
  account: NativeAccount,
): Promise<IssuedCard> {
  const card = await generateCard(deps.kdf ? { kdf: deps.kdf } : {});
  const cardId = deps.newId();
  const createdAt = deps.now().toISOString();
  const { version } = await deps.cards.replaceCard({
    username: account.username,
    personId: account.personId,
    cardId,
    salt: card.salt,
    hashes: card.hashes,
    kdf: card.kdf,
    createdAt,
  });
  const pdf = renderCodeCardPdf({
    holder: account.holder,
    username: account.username,
    cardId,
    issuedAt: createdAt,
    codes: card.codes,
  });
  await deps.cardMailer.send({
    to: account.email,
    template: 'native-code-card',
    locale: account.locale,
    data: { cardId, issuedOn: createdAt.slice(0, 10) },
    idempotencyKey: `${cardId}:native-code-card`,
    attachments: [{ filename: `code-card-${cardId}.pdf`, contentType: 'application/pdf', content: pdf }],
  });
  deps.logger.info('code card issued', { personId: account.personId, cardId, version });
  return { cardId, createdAt, version };
}

/**
 * A new card for the native account of `personId` (the person themselves, or a registration officer).
 * @throws NotFoundError when the person has no native account.
 */
export async function issueCodeCard(
  deps: Pick<NativeDeps, 'accounts' | 'cards' | 'cardMailer' | 'now' | 'newId' | 'logger' | 'kdf'>,
  personId: string,
): Promise<IssuedCard> {
  const account = await deps.accounts.getAccount(personId);
  if (!account) throw new NotFoundError('This person has no account with a username and password.');
  return issueCardFor(deps, account);
}

/** `GET /me/second-factors`. */
export interface SecondFactorsView {
  nativeAccount: boolean;
  codeCard: { cardId: string; version: number; createdAt: string; locked: boolean } | null;
}

/** Which second factors the platform knows for a person (TOTP is Cognito's state, not shown). */
export async function getSecondFactors(
  deps: Pick<NativeDeps, 'accounts' | 'cards' | 'now'>,
  personId: string,
): Promise<SecondFactorsView> {
  const account = await deps.accounts.getAccount(personId);
  if (!account) return { nativeAccount: false, codeCard: null };
  const card = await deps.cards.getCard(account.username);
  return {
    nativeAccount: true,
    codeCard: card
      ? {
          cardId: card.cardId,
          version: card.version,
          createdAt: card.createdAt,
          locked: card.lockedUntil !== undefined && Date.parse(card.lockedUntil) > deps.now().getTime(),
        }
      : null,
  };
}
