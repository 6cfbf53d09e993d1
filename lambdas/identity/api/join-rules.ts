/**
 * Which of two persons may be joined into the other when the person proved control of a login of
 * each in one browser flow ("connect another login", connections.ts). Pure: the use case reads the
 * facts, this decides, the store writes.
 *
 * The SOURCE is the person that disappears into the TARGET (its identity links, and its national
 * number if it has one, move; its profile is marked `mergedInto`). Only a person that loses nothing
 * on the way can be a source: no memberships or grants (they are keyed by person and would be
 * orphaned), no native account (the registration office's record and code card are per person), no
 * open BIS request (its workflow would finish on a person that no longer exists). The initiator is
 * preferred as source: they started from the login they want to attach.
 *
 * Refused (the service desk joins such persons by hand): two different national numbers, different
 * birth dates, a suspended person (a security officer has an open case on it), neither person able
 * to be the source.
 */

/** What the rules need to know about one person. */
export interface JoinCandidate {
  personId: string;
  insz: string | null;
  birthDate: string;
  suspended: boolean;
  holdsRights: boolean;
  hasNativeAccount: boolean;
  hasOpenBisRequest: boolean;
}

/** Why a join is refused. */
export type JoinRefusal =
  | 'same-person'
  | 'different-numbers'
  | 'different-birth-dates'
  | 'suspended'
  | 'no-source';

/** The decision of {@link decideJoin}. */
export type JoinDecision =
  | { ok: true; source: JoinCandidate; target: JoinCandidate }
  | { ok: false; refusal: JoinRefusal };

function canBeSource(person: JoinCandidate): boolean {
  return !person.holdsRights && !person.hasNativeAccount && !person.hasOpenBisRequest;
}

/** Decides the join of the initiator's person with the confirming login's person. */
export function decideJoin(initiator: JoinCandidate, confirmer: JoinCandidate): JoinDecision {
  if (initiator.personId === confirmer.personId) return { ok: false, refusal: 'same-person' };
  if (initiator.suspended || confirmer.suspended) return { ok: false, refusal: 'suspended' };
  if (initiator.insz !== null && confirmer.insz !== null) return { ok: false, refusal: 'different-numbers' };
  if (initiator.birthDate === '' || initiator.birthDate !== confirmer.birthDate) {
    return { ok: false, refusal: 'different-birth-dates' };
  }
  if (canBeSource(initiator)) return { ok: true, source: initiator, target: confirmer };
  if (canBeSource(confirmer)) return { ok: true, source: confirmer, target: initiator };
  return { ok: false, refusal: 'no-source' };
}
