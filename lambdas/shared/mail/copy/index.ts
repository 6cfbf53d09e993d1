import type { TemplateCopy, TemplateId } from '../templates.ts';
import { bisApproved } from './bis-approved.ts';
import { bisCorrectionRequested } from './bis-correction-requested.ts';
import { bisExpired } from './bis-expired.ts';
import { bisFailed } from './bis-failed.ts';
import { bisRejected } from './bis-rejected.ts';
import { bisReviewRequested } from './bis-review-requested.ts';
import { bisSubmitted } from './bis-submitted.ts';
import { foreignRegistrationApproved } from './foreign-registration-approved.ts';
import { foreignRegistrationExpired } from './foreign-registration-expired.ts';
import { foreignRegistrationFailed } from './foreign-registration-failed.ts';
import { foreignRegistrationOrgExists } from './foreign-registration-org-exists.ts';
import { foreignRegistrationOrgLookalike } from './foreign-registration-org-lookalike.ts';
import { foreignRegistrationRejected } from './foreign-registration-rejected.ts';
import { foreignRegistrationReviewRequested } from './foreign-registration-review-requested.ts';
import { grantExpired } from './grant-expired.ts';
import { grantExpiring } from './grant-expiring.ts';
import { identityAdministratorAppointment } from './identity-administrator-appointment.ts';
import { identityAdministratorRemoval } from './identity-administrator-removal.ts';
import { identityIdentitiesJoined } from './identity-identities-joined.ts';
import { identityIdentityLinked } from './identity-identity-linked.ts';
import { identityInszLinked } from './identity-insz-linked.ts';
import { identityInszSuspended } from './identity-insz-suspended.ts';
import { identityJoinRefused } from './identity-join-refused.ts';
import { identityMembershipRegistration } from './identity-membership-registration.ts';
import { identityOfficeAccountCreated } from './identity-office-account-created.ts';
import { identityOfficeAccountRequested } from './identity-office-account-requested.ts';
import { identityRoleGranted } from './identity-role-granted.ts';
import { identityRoleRevoked } from './identity-role-revoked.ts';
import { identitySuspensionResolved } from './identity-suspension-resolved.ts';
import { nativeAccountActivation } from './native-account-activation.ts';
import { nativeCodeCard } from './native-code-card.ts';
import { organisationCaseOpened } from './organisation-case-opened.ts';
import { organisationClaimed } from './organisation-claimed.ts';
import { representativeLapsed } from './representative-lapsed.ts';
import { rightRequestApproved } from './right-request-approved.ts';
import { rightRequestDenied } from './right-request-denied.ts';
import { rightRequestExpired } from './right-request-expired.ts';
import { rightRequestFailed } from './right-request-failed.ts';
import { rightRequestReviewRequested } from './right-request-review-requested.ts';

/**
 * The copy of every template, by id: what the SES templates (the `Notifications` construct) and the
 * in-process renderer are built from. A function that sends mail through SES needs none of it.
 */
export const mailCopy: { readonly [T in TemplateId]: TemplateCopy } = {
  'bis-review-requested': bisReviewRequested,
  'bis-submitted': bisSubmitted,
  'bis-correction-requested': bisCorrectionRequested,
  'bis-approved': bisApproved,
  'bis-rejected': bisRejected,
  'bis-expired': bisExpired,
  'bis-failed': bisFailed,
  'organisation-claimed': organisationClaimed,
  'foreign-registration-review-requested': foreignRegistrationReviewRequested,
  'foreign-registration-org-exists': foreignRegistrationOrgExists,
  'foreign-registration-org-lookalike': foreignRegistrationOrgLookalike,
  'representative-lapsed': representativeLapsed,
  'organisation-case-opened': organisationCaseOpened,
  'foreign-registration-approved': foreignRegistrationApproved,
  'foreign-registration-rejected': foreignRegistrationRejected,
  'foreign-registration-expired': foreignRegistrationExpired,
  'foreign-registration-failed': foreignRegistrationFailed,
  'right-request-review-requested': rightRequestReviewRequested,
  'right-request-approved': rightRequestApproved,
  'right-request-denied': rightRequestDenied,
  'right-request-expired': rightRequestExpired,
  'right-request-failed': rightRequestFailed,
  'grant-expiring': grantExpiring,
  'grant-expired': grantExpired,
  'native-account-activation': nativeAccountActivation,
  'native-code-card': nativeCodeCard,
  'identity-insz-linked': identityInszLinked,
  'identity-identity-linked': identityIdentityLinked,
  'identity-identities-joined': identityIdentitiesJoined,
  'identity-join-refused': identityJoinRefused,
  'identity-insz-suspended': identityInszSuspended,
  'identity-suspension-resolved': identitySuspensionResolved,
  'identity-office-account-requested': identityOfficeAccountRequested,
  'identity-office-account-created': identityOfficeAccountCreated,
  'identity-administrator-appointment': identityAdministratorAppointment,
  'identity-membership-registration': identityMembershipRegistration,
  'identity-role-granted': identityRoleGranted,
  'identity-role-revoked': identityRoleRevoked,
  'identity-administrator-removal': identityAdministratorRemoval,
};
