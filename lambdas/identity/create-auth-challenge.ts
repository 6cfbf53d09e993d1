/**
 * Cognito create auth challenge trigger: asks one position of the person's code card. Reads the
 * card (1 round trip) and remembers the position asked (1 round trip), so the next challenge, in
 * this login or the next, asks another one.
 *
 * The client sees `{ position }` only. `privateChallengeParameters` carry the card version and the
 * position, never a code or a hash: Cognito keeps them server-side for the verify trigger, which
 * reads the hashes itself.
 */
import type { CreateAuthChallengeTriggerEvent } from 'aws-lambda';
import { CARD_SIZE, isLocked, pickPosition, type RandomInt } from '#shared/code-card';
import { type CodeCardStore, createDynamoCodeCardStore } from '#shared/code-card-store';
import { LoginRefusedError } from '#shared/errors';
import { createLogger } from '#shared/logger';
import { nativeSubject } from '#shared/native-user';
import { createDocumentClient } from '#shared/table';
import { loadTableName } from './config.ts';
import type { LoggerPort } from './resolve-person.ts';
import { toTriggerError } from './trigger-errors.ts';

/** `challengeMetadata` of a code-card challenge: `CODE_CARD_POSITION_<n>` (visible to define). */
export const CODE_CARD_METADATA_PREFIX = 'CODE_CARD_POSITION_';

/** Shown when the card is locked after too many wrong codes. */
export const CARD_LOCKED_MESSAGE =
  'Your code card is locked after too many wrong codes. Try again in 30 minutes, log in with your ' +
  'authenticator app, or ask the registration office for a new card.';

/** Shown when the person has no card (and no authenticator app, or Cognito would have asked for it). */
export const NO_CARD_MESSAGE =
  'You have no code card yet. Please ask the registration office for a code card, or log in with your authenticator app.';

/** Collaborators; tests replace any of them. */
export interface CreateAuthChallengeDeps {
  cards: Pick<CodeCardStore, 'getCard' | 'recordAsked'>;
  logger: LoggerPort;
  now?: () => Date;
  random?: RandomInt;
}

/** Builds the handler. */
export function createCreateAuthChallengeHandler(deps: CreateAuthChallengeDeps) {
  const now = deps.now ?? (() => new Date());
  return async (event: CreateAuthChallengeTriggerEvent): Promise<CreateAuthChallengeTriggerEvent> => {
    const context = { triggerSource: event.triggerSource };
    try {
      if (event.request.challengeName !== 'CUSTOM_CHALLENGE') {
        throw new Error(`unexpected challenge ${event.request.challengeName}`);
      }
      if (event.request.userNotFound) {
        // Same shape as a real challenge; verify answers false for unknown users.
        const position = pickPosition(undefined, deps.random);
        event.response = {
          publicChallengeParameters: { position: String(position) },
          privateChallengeParameters: { cardVersion: '0', position: String(position) },
          challengeMetadata: `${CODE_CARD_METADATA_PREFIX}${position}`,
        };
        return event;
      }
      const username = nativeSubject(event.userName);
      const card = await deps.cards.getCard(username);
      if (!card || card.hashes.length !== CARD_SIZE) {
        throw new LoginRefusedError('no-second-factor', NO_CARD_MESSAGE);
      }
      if (isLocked(card.lockedUntil, now())) {
        deps.logger.warn('code card login refused: card locked', { ...context, personId: card.personId });
        throw new LoginRefusedError('second-factor-locked', CARD_LOCKED_MESSAGE);
      }
      const position = pickPosition(card.lastPosition, deps.random);
      await deps.cards.recordAsked(username, card.version, position);
      event.response = {
        publicChallengeParameters: { position: String(position) },
        privateChallengeParameters: { cardVersion: String(card.version), position: String(position) },
        challengeMetadata: `${CODE_CARD_METADATA_PREFIX}${position}`,
      };
      return event;
    } catch (error) {
      throw toTriggerError(error, deps.logger, context);
    }
  };
}

/** The Lambda entry point. */
export const handler = createCreateAuthChallengeHandler({
  cards: createDynamoCodeCardStore({ tableName: loadTableName(), documentClient: createDocumentClient() }),
  logger: createLogger(),
});
