/**
 * A grant's expiry notices as the domain sees them (warned 14 days ahead, told when it ended). The
 * item schema lives in `lambdas/shared/items/right-request.ts`; the expiry store and the schema both
 * import this type from here.
 */
import type { GrantNoticeKind } from '#shared/keys';

/** A notice about one grant, as queued and as the sender reads it. */
export interface GrantNotice {
  grantId: string;
  kind: GrantNoticeKind;
  personId: string;
  orgCode: string;
  application: string;
  role: string;
  validUntil: string;
  createdAt: string;
  /** Failed sends so far. */
  attempts: number;
}
