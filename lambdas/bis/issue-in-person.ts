/**
 * A BIS number issued on the spot, for a person a registration officer identified in person (the
 * native accounts context asks for it through its `BisNumbers` port, bound in its composition root):
 * a BIS registration created already decided — approved by the officer — then the BIS context's own
 * approval, which issues the number, writes the register entry and the INSZ link (evidence
 * `bis-issued`) and sets it on the profile. An override of a likely duplicate is recorded in the
 * registration's history.
 */
import type { PersonData } from '#shared/http/schemas';
import type { Locale } from '#shared/locale';
import type { BisRepository } from './bis-repository.ts';
import { approveWithBisNumber } from './issue-bis-number.ts';
import type { BisRegistration, HistoryEntry, PendingDecision } from './registration.ts';

/** What the officer asks for. */
export interface InPersonBisRequest {
  personId: string;
  /** The registration officer's person id. */
  officerId: string;
  data: PersonData;
  locale: Locale;
  /** The officer's reason to go on despite a likely duplicate (same name and birth date). */
  duplicateOverride?: string | undefined;
}

/** Issues BIS numbers on the spot. */
export interface InPersonBisIssuer {
  /** @returns the BIS number (11 digits); the errors of `approveWithBisNumber`. */
  issueInPerson(request: InPersonBisRequest): Promise<string>;
}

/** The issuer over the BIS repository. */
export function createInPersonBisIssuer(deps: {
  repository: BisRepository;
  now: () => Date;
  newId: () => string;
  logger: Parameters<typeof approveWithBisNumber>[0]['logger'];
}): InPersonBisIssuer {
  return {
    async issueInPerson({ personId, officerId, data, locale, duplicateOverride }) {
      const at = deps.now().toISOString();
      const decision: PendingDecision = {
        decisionId: deps.newId(),
        decision: 'approve',
        decidedBy: officerId,
        decidedAt: at,
      };
      const registration: BisRegistration = {
        registrationId: deps.newId(),
        personId,
        status: 'PENDING_REVIEW',
        data,
        locale,
        round: 1,
        createdAt: at,
        updatedAt: at,
        decision,
        waiting: false,
      };
      const submitted: HistoryEntry = {
        entryId: deps.newId(),
        at,
        event: 'submitted',
        status: 'PENDING_REVIEW',
        actor: 'agent',
        actorId: officerId,
        reason:
          duplicateOverride === undefined
            ? 'Identity documents checked in person at a registration office'
            : 'Identity documents checked in person at a registration office; a likely duplicate ' +
              `(same name and birth date) was overridden: ${duplicateOverride}`,
      };
      await deps.repository.createRegistration(registration, submitted);
      return approveWithBisNumber(
        { repository: deps.repository, now: deps.now, logger: deps.logger },
        registration,
        decision,
      );
    },
  };
}
