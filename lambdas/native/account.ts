/**
 * The native accounts context's stored records as the domain sees them: the account and the
 * account waiting for a second officer. Their item schemas live in `lambdas/shared/items/
 * native-account.ts`; the repository and the schemas both import these types from here.
 */

/** The account record `NATIVE_ACCOUNT#<personId>`. */
export interface NativeAccount {
  personId: string;
  username: string;
  email: string;
  locale: string;
  /** The name printed on code cards. */
  holder: string;
  /** Person id of the registration officer who created the account. */
  createdBy: string;
  createdAt: string;
  /** Person id of the second officer who confirmed it (an account on an existing person). */
  confirmedBy?: string;
}

/** Status of an office account waiting for a second officer. */
export type PendingStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED';

/** `OFFICE_PENDING#<pendingId>`: an account for an existing person, waiting for a second officer. */
export interface PendingAccount {
  pendingId: string;
  status: PendingStatus;
  /** The existing person the account is for. */
  personId: string;
  insz: string;
  email: string;
  locale: string;
  holder: string;
  /** The officer who asked for it. */
  requestedBy: string;
  createdAt: string;
  confirmedBy?: string;
  confirmedAt?: string;
}
