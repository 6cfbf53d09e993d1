/**
 * Cognito verify auth challenge response trigger: checks the answer against the salted hash of the
 * asked position of the card version the challenge was created for. A new card invalidates the old
 * one at once (the version moved: every answer is wrong). Wrong answers count towards the lock
 * (see code-card.ts); a right one resets the count. Round trips: 2 (read card, record outcome), 3
 * when the answer locks the card.
 */
import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { isLocked, verifyCode } from '#shared/code-card';
import { type CodeCardStore, createDynamoCodeCardStore } from '#shared/code-card-store';
import { createLogger } from '#shared/logger';
import { nativeSubject } from '#shared/native-user';
import { createDocumentClient } from '#shared/table';
import { loadTableName } from './config.ts';
import type { LoggerPort } from './resolve-person.ts';
import { toTriggerError } from './trigger-errors.ts';

/** Collaborators; tests replace any of them. */
export interface VerifyAuthChallengeDeps {
  cards: Pick<CodeCardStore, 'getCard' | 'recordSuccess' | 'recordFailure'>;
  logger: LoggerPort;
  now?: () => Date;
}

/** Builds the handler. */
export function createVerifyAuthChallengeHandler(deps: VerifyAuthChallengeDeps) {
  const now = deps.now ?? (() => new Date());
  return async (
    event: VerifyAuthChallengeResponseTriggerEvent,
  ): Promise<VerifyAuthChallengeResponseTriggerEvent> => {
    const context = { triggerSource: event.triggerSource };
    event.response.answerCorrect = false;
    try {
      if (event.request.userNotFound) return event;
      const version = Number(event.request.privateChallengeParameters?.cardVersion);
      const position = Number(event.request.privateChallengeParameters?.position);
      if (!Number.isInteger(version) || !Number.isInteger(position)) return event;
      const username = nativeSubject(event.userName);
      const card = await deps.cards.getCard(username);
      if (!card) return event;
      if (card.version !== version) {
        deps.logger.info('code card answer for a replaced card', { ...context, personId: card.personId });
        return event;
      }
      const at = now();
      if (isLocked(card.lockedUntil, at)) {
        deps.logger.warn('code card answer refused: card locked', { ...context, personId: card.personId });
        return event;
      }
      const correct = await verifyCode(card, position, event.request.challengeAnswer ?? '');
      if (correct) {
        await deps.cards.recordSuccess(username, version);
        event.response.answerCorrect = true;
        return event;
      }
      const outcome = await deps.cards.recordFailure(username, version, at);
      deps.logger.warn(outcome.locked ? 'code card locked after wrong codes' : 'wrong code card answer', {
        ...context,
        personId: card.personId,
        failures: outcome.failures,
      });
      return event;
    } catch (error) {
      throw toTriggerError(error, deps.logger, context);
    }
  };
}

/** The Lambda entry point. */
export const handler = createVerifyAuthChallengeHandler({
  cards: createDynamoCodeCardStore({ tableName: loadTableName(), documentClient: createDocumentClient() }),
  logger: createLogger(),
});
