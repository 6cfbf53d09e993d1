/**
 * The reasons the platform writes itself (audit entries, request histories, the activity log) are
 * stored in English, the language of the backend's throw sites; a person reads them in the portal's
 * language. A reason a person typed (a decision, a revocation, a case note) is shown as written.
 */
import type { MessageKey, Translate } from './i18n/i18n.ts';

/** The platform's own reasons, exactly as stored, and the portal's sentence for each. */
export const PLATFORM_REASONS: Readonly<Record<string, MessageKey>> = {
  'The review could not be started.': 'reason.review-not-started',
  'The approval could not be started.': 'reason.approval-not-started',
  'The request could no longer be decided.': 'reason.no-longer-decidable',
  'The correction arrived after the request had been closed.': 'reason.correction-too-late',
  'No correction was received in time.': 'reason.no-correction-in-time',
  'No decision was made in time.': 'reason.no-decision-in-time',
  'Identity documents checked in person at a registration office': 'reason.documents-checked',
  'An organisation whose name or registration number looks the same was registered meanwhile: approving needs a second check by another security officer.':
    'reason.lookalike-second-check',
  'The organisation is registered already: adding a representative needs a second check by another security officer.':
    'reason.existing-second-check',
  'The company register no longer lists this person as a legal representative.':
    'reason.representative-lapsed',
  'The company register no longer lists the last administrator; kept until a security officer acts.':
    'reason.last-administrator-flagged',
  'The administrator who approved is no longer a local administrator.':
    'reason.approver-no-longer-administrator',
  'Granted by national number; takes effect when the number is linked on verified evidence.':
    'reason.granted-pending',
  'Granted by a local administrator by national number.': 'reason.granted-by-number',
  'Granted by a local administrator on the national number; effective now.': 'reason.granted-by-number-now',
  'Joined the organisation with a granted right.': 'reason.joined-with-grant',
  'This role is granted without approval to members of the organisation.': 'reason.granted-without-approval',
  'Appointed by national number; takes effect at the person’s first login.': 'reason.appointed-pending',
  'The appointed person’s national number was linked on verified evidence.': 'reason.appointment-effective',
};

/**
 * Platform reasons that end in what a person typed: the stored prefix, the portal's sentence (with
 * `{note}` for the typed part).
 */
export const PLATFORM_REASON_PREFIXES: readonly { prefix: string; key: MessageKey }[] = [
  {
    prefix:
      'Identity documents checked in person at a registration office; a likely duplicate (same name and birth date) was overridden: ',
    key: 'reason.documents-checked-duplicate',
  },
];

/** A stored reason in the reader's language: the portal's sentence for the platform's own, else as typed. */
export function reasonText(t: Translate, reason: string): string {
  const key = PLATFORM_REASONS[reason];
  if (key) return t(key);
  for (const { prefix, key: prefixKey } of PLATFORM_REASON_PREFIXES) {
    if (reason.startsWith(prefix)) return t(prefixKey, { note: reason.slice(prefix.length) });
  }
  return reason;
}
