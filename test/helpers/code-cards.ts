/**
 * An in-memory {@link CodeCardStore} with the same semantics as the DynamoDB one (version checks,
 * failure counting, lock), and a cheap scrypt cost, for trigger tests and the local Cognito emulation.
 */
import { generateCard, type KdfParams, LOCK_MINUTES, MAX_CONSECUTIVE_FAILURES } from '#shared/code-card';
import type { CodeCardStore, StoredCard } from '#shared/code-card-store';

/** scrypt cost for tests: fast, same code path. */
export const TEST_KDF: KdfParams = { N: 16, r: 1, p: 1 };

/** The in-memory store; `cards` is open so tests can look inside. */
export class MemoryCodeCardStore implements CodeCardStore {
  readonly cards = new Map<string, StoredCard>();

  async getCard(username: string) {
    const card = this.cards.get(username);
    return card ? structuredClone(card) : undefined;
  }

  async replaceCard(card: Parameters<CodeCardStore['replaceCard']>[0]) {
    const version = (this.cards.get(card.username)?.version ?? 0) + 1;
    this.cards.set(card.username, { ...card, version, failures: 0 });
    return { version };
  }

  async recordAsked(username: string, version: number, position: number) {
    const card = this.cards.get(username);
    if (card?.version === version) card.lastPosition = position;
  }

  async recordSuccess(username: string, version: number) {
    const card = this.cards.get(username);
    if (card?.version === version) {
      card.failures = 0;
      delete card.lockedUntil;
    }
  }

  async recordFailure(username: string, version: number, now: Date) {
    const card = this.cards.get(username);
    if (card?.version !== version) return { failures: 0, locked: false };
    card.failures += 1;
    const locked = card.failures >= MAX_CONSECUTIVE_FAILURES;
    if (locked) card.lockedUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
    return { failures: card.failures, locked };
  }
}

/** Issues a card into `store` and returns its codes (position `i + 1` is `codes[i]`). */
export async function issueTestCard(
  store: CodeCardStore,
  username: string,
  personId = '01JZ0000000000000000000009',
): Promise<{ codes: string[]; version: number }> {
  const card = await generateCard({ kdf: TEST_KDF });
  const { version } = await store.replaceCard({
    username,
    personId,
    cardId: `01JZCARD${String(Date.now()).padStart(18, '0')}`,
    salt: card.salt,
    hashes: card.hashes,
    kdf: card.kdf,
    createdAt: new Date().toISOString(),
  });
  return { codes: card.codes, version };
}
