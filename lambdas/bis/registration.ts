/**
 * The BIS registration as the use cases see it: statuses, decisions, history entries, the name
 * comparison with the eIDAS profile, and the views the API returns. No HTTP, no DynamoDB.
 */
import type { Caller } from '#shared/http/caller';
import type { PersonData } from '#shared/http/schemas';
import type { Locale } from '#shared/locale';
import { type ScriptMixFlag, scriptMixFlags } from '#shared/lookalikes';

/** Statuses of a BIS registration (contract). */
export const BIS_STATUSES = [
  'PENDING_REVIEW',
  'NEEDS_CORRECTION',
  'APPROVED',
  'REJECTED',
  'EXPIRED',
] as const;
/** One of {@link BIS_STATUSES}. */
export type BisStatus = (typeof BIS_STATUSES)[number];
/** Statuses in which a registration is still open (the person cannot submit another one). */
export const OPEN_STATUSES: readonly BisStatus[] = ['PENDING_REVIEW', 'NEEDS_CORRECTION'];

/** What a BIS agent can decide (contract). */
export const BIS_DECISIONS = ['approve', 'reject', 'request-correction'] as const;
/** One of {@link BIS_DECISIONS}. */
export type BisDecision = (typeof BIS_DECISIONS)[number];

/** The Cognito group of BIS agents. */
export const BIS_AGENTS_GROUP = 'bis-agents';

/**
 * A decision an agent has claimed (the one winner of the conditional update) and that the workflow
 * has not applied yet. Stored on the registration item; only `decisionId` and `decision` travel
 * through Step Functions.
 */
export interface PendingDecision {
  /** ULID; names the decision in idempotency keys and history entries. */
  decisionId: string;
  decision: BisDecision;
  reason?: string;
  /** Person id of the agent. */
  decidedBy: string;
  decidedAt: string;
}

/** A BIS registration, without its task token (which never leaves the repository and the API). */
export interface BisRegistration {
  registrationId: string;
  /** The applicant. */
  personId: string;
  status: BisStatus;
  data: PersonData;
  /** Locale of the applicant's mails. */
  locale: Locale;
  /** Review round: 1 at submission, +1 per correction. */
  round: number;
  createdAt: string;
  updatedAt: string;
  /** Only once APPROVED. */
  bisNumber?: string;
  /** Reason of the last correction request or of the rejection. */
  reason?: string;
  /** The claimed, not yet applied decision. */
  decision?: PendingDecision;
  /** The decision that sent the request back for correction (idempotency of that step). */
  correctionOf?: string;
  /** True while a task token is stored (the workflow waits for an answer). */
  waiting: boolean;
}

/** What happened to a registration (one history entry per state change). */
export const HISTORY_EVENTS = [
  'submitted',
  'correction-requested',
  'corrected',
  'approved',
  'rejected',
  'expired',
  'failed',
] as const;
/** One of {@link HISTORY_EVENTS}. */
export type HistoryEvent = (typeof HISTORY_EVENTS)[number];

/** Who caused a state change. */
export const HISTORY_ACTORS = ['applicant', 'agent', 'system'] as const;
/** One of {@link HISTORY_ACTORS}. */
export type HistoryActor = (typeof HISTORY_ACTORS)[number];

/** One append-only history entry. */
export interface HistoryEntry {
  /** ULID. */
  entryId: string;
  at: string;
  event: HistoryEvent;
  /** The status after the change. */
  status: BisStatus;
  actor: HistoryActor;
  /** Person id of the applicant or agent; absent for the system. */
  actorId?: string;
  reason?: string;
}

/**
 * A name as compared with the eIDAS attributes: compatibility-decomposed, diacritics removed,
 * lower-cased, runs of white space collapsed and trimmed (`  José  MARÍA ` ≡ `jose maria`).
 */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase('und')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A name as the person register keeps it: white space collapsed, case and accents as typed. */
export function tidyName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

/** The eIDAS attributes a registration must agree with. */
export interface EidasIdentity {
  givenNames: string;
  familyName: string;
  birthDate: string;
}

/** True when the names and the birth date are those of the eIDAS identity (after normalisation). */
export function matchesEidasIdentity(data: EidasIdentity, eidas: EidasIdentity): boolean {
  return (
    normalizeName(data.givenNames) === normalizeName(eidas.givenNames) &&
    normalizeName(data.familyName) === normalizeName(eidas.familyName) &&
    data.birthDate === eidas.birthDate
  );
}

/** True for a caller in the `bis-agents` group. */
export function isBisAgent(caller: Caller): boolean {
  return caller.groups.includes(BIS_AGENTS_GROUP);
}

/** Whether `caller` may see `registration`: its owner and BIS agents. */
export function canSee(caller: Caller, registration: BisRegistration): boolean {
  return registration.personId === caller.personId || isBisAgent(caller);
}

/** A history entry as the API shows it. */
export interface HistoryEntryView {
  at: string;
  event: HistoryEvent;
  status: BisStatus;
  actor: HistoryActor;
  /** Only for BIS agents. */
  actorId?: string;
  reason?: string;
}

/** `GET /bis-registrations/{id}`. */
export interface RegistrationView {
  registrationId: string;
  status: BisStatus;
  createdAt: string;
  updatedAt: string;
  data: PersonData;
  /** Only for BIS agents. */
  personId?: string;
  bisNumber?: string;
  reason?: string;
  history: HistoryEntryView[];
}

/**
 * The registration as `viewer` may see it: never the task token or the pending decision; the BIS
 * number only once approved; who exactly decided only for agents.
 */
export function toRegistrationView(
  registration: BisRegistration,
  history: readonly HistoryEntry[],
  viewer: Caller,
): RegistrationView {
  const agent = isBisAgent(viewer);
  return {
    registrationId: registration.registrationId,
    status: registration.status,
    createdAt: registration.createdAt,
    updatedAt: registration.updatedAt,
    data: registration.data,
    ...(agent ? { personId: registration.personId } : {}),
    ...(registration.status === 'APPROVED' && registration.bisNumber
      ? { bisNumber: registration.bisNumber }
      : {}),
    ...(registration.reason !== undefined && registration.status !== 'APPROVED'
      ? { reason: registration.reason }
      : {}),
    history: history.map((entry) => ({
      at: entry.at,
      event: entry.event,
      status: entry.status,
      actor: entry.actor,
      ...(agent && entry.actorId ? { actorId: entry.actorId } : {}),
      ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
    })),
  };
}

/** One line of the agents' review queue. */
export interface QueueItemView {
  registrationId: string;
  status: BisStatus;
  createdAt: string;
  updatedAt: string;
  givenNames: string;
  familyName: string;
  birthDate: string;
  nationality: string;
  round: number;
  /** Fields that mix scripts inside one word (look-alike letters): shown to the agent, not refused. */
  scriptMixing: ScriptMixFlag[];
}

/** A registration as a line of the review queue. */
export function toQueueItemView(registration: BisRegistration): QueueItemView {
  return {
    registrationId: registration.registrationId,
    status: registration.status,
    createdAt: registration.createdAt,
    updatedAt: registration.updatedAt,
    givenNames: registration.data.givenNames,
    familyName: registration.data.familyName,
    birthDate: registration.data.birthDate,
    nationality: registration.data.nationality,
    round: registration.round,
    scriptMixing: scriptMixFlags({
      givenNames: registration.data.givenNames,
      familyName: registration.data.familyName,
      placeOfBirth: registration.data.placeOfBirth,
    }),
  };
}
