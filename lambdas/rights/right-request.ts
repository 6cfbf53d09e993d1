/**
 * Right requests and grants as the use cases see them: statuses, decisions, and the views the API
 * returns. No HTTP, no DynamoDB.
 */

import type { Grant } from '#shared/grant-item';
import type { Locale } from '#shared/locale';

/** Statuses of a right request (contract). */
export const RIGHT_REQUEST_STATUSES = ['PENDING', 'APPROVED', 'DENIED', 'EXPIRED'] as const;
/** One of {@link RIGHT_REQUEST_STATUSES}. */
export type RightRequestStatus = (typeof RIGHT_REQUEST_STATUSES)[number];

/** What a local administrator can decide (contract). */
export const RIGHT_DECISIONS = ['approve', 'deny'] as const;
/** One of {@link RIGHT_DECISIONS}. */
export type RightDecision = (typeof RIGHT_DECISIONS)[number];

/**
 * A decision a local administrator has claimed (the one winner) and the workflow has not applied yet.
 * Only `decisionId` and `decision` travel through Step Functions.
 */
export interface PendingRightDecision {
  decisionId: string;
  decision: RightDecision;
  /** Required to deny. */
  reason?: string;
  /** For approvals: the grant's end, fixed when the decision is made. */
  validUntil?: string;
  decidedBy: string;
  decidedAt: string;
}

/** The requester's names, copied from their profile at submission for the inbox. */
export interface RequesterNames {
  givenNames: string;
  familyName: string;
}

/** A right request, without its task token. */
export interface RightRequest {
  requestId: string;
  personId: string;
  orgCode: string;
  application: string;
  role: string;
  justification?: string;
  requester: RequesterNames;
  status: RightRequestStatus;
  /** Locale of the requester's mails. */
  locale: Locale;
  createdAt: string;
  updatedAt: string;
  /** The claimed, not yet applied decision. */
  decision?: PendingRightDecision;
  decidedBy?: string;
  decidedAt?: string;
  /** A denial's reason, or why the request expired. */
  reason?: string;
  /** Once APPROVED. */
  grantId?: string;
  validUntil?: string;
  /** True while a task token is stored (the workflow waits for a decision). */
  waiting: boolean;
}

/** A grant as stored in the holder's token partition (`keys.grant`). */
export type { Grant };

/** `{ requestId, status }` (contract). */
export interface RightRequestAccepted {
  requestId: string;
  status: RightRequestStatus;
}

/** A request as the local administrators' inbox shows it. */
export interface RightRequestView {
  requestId: string;
  status: RightRequestStatus;
  orgCode: string;
  application: string;
  role: string;
  justification?: string;
  requester: { personId: string } & RequesterNames;
  createdAt: string;
  updatedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
  validUntil?: string;
}

/** The inbox view of a request: never the token or a claimed, unapplied decision. */
export function toRightRequestView(request: RightRequest): RightRequestView {
  return {
    requestId: request.requestId,
    status: request.status,
    orgCode: request.orgCode,
    application: request.application,
    role: request.role,
    ...(request.justification !== undefined ? { justification: request.justification } : {}),
    requester: { personId: request.personId, ...request.requester },
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    ...(request.decidedBy !== undefined ? { decidedBy: request.decidedBy } : {}),
    ...(request.decidedAt !== undefined ? { decidedAt: request.decidedAt } : {}),
    ...(request.reason !== undefined ? { reason: request.reason } : {}),
    ...(request.validUntil !== undefined ? { validUntil: request.validUntil } : {}),
  };
}

/** A grant as `GET /organisations/{orgCode}/grants` shows it. */
export interface GrantView {
  grantId: string;
  personId: string;
  orgCode: string;
  application: string;
  role: string;
  validFrom: string;
  validUntil: string;
  grantedBy: string;
  requestId: string;
}

/** The list view of a grant. */
export function toGrantView(grant: Grant): GrantView {
  return { ...grant };
}
