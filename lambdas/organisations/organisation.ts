/**
 * Organisations as the use cases see them: codes, the foreign-registration life cycle, and the views
 * the API returns. No HTTP, no DynamoDB.
 */
import { nameSkeleton, registryNumberSkeleton } from '#shared/confusables';
import { InvalidIdentifierError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import type { Locale } from '#shared/locale';
import { type ScriptMixFlag, scriptMixFlags } from '#shared/lookalikes';
import { identifierCharacters, type TextProblem } from '#shared/text-policy';

/** The Cognito group that reviews foreign-company registrations (contract). */
export const SECURITY_OFFICERS_GROUP = 'security-officers';

/** Statuses of a foreign-company registration (contract). */
export const FOREIGN_REGISTRATION_STATUSES = ['PENDING_REVIEW', 'APPROVED', 'REJECTED', 'EXPIRED'] as const;
/** One of {@link FOREIGN_REGISTRATION_STATUSES}. */
export type ForeignRegistrationStatus = (typeof FOREIGN_REGISTRATION_STATUSES)[number];

/** What a security officer can decide (contract). */
export const FOREIGN_DECISIONS = ['approve', 'reject'] as const;
/** One of {@link FOREIGN_DECISIONS}. */
export type ForeignDecision = (typeof FOREIGN_DECISIONS)[number];

/** Longest registration number kept, after normalisation (keeps org codes short and URL-friendly). */
export const MAX_REGISTRY_NUMBER_LENGTH = 40;

/** What people type between the parts of a registry number; removed from the normalised form. */
const REGISTRY_SEPARATORS = /[ .\-/]/g;

/**
 * A foreign registry number reduced to upper-case ASCII letters and digits, or what is wrong with it:
 * `hrb 12.345-b` and `HRB12345B` are the same number written differently (registries print
 * separators, people type them or not), fullwidth `１２３` is `123` (NFKC). A letter or digit outside
 * A-Z and 0-9 (Cyrillic `А`, Greek `Ο`, Arabic-Indic `٣`) is refused, never dropped: dropping made a
 * number in look-alike letters a second organisation, and numbers in other digits one organisation.
 */
export function parseRegistryNumber(registrationNumber: string): string | TextProblem {
  return identifierCharacters(registrationNumber, {
    label: 'Registration number',
    separators: REGISTRY_SEPARATORS,
    separatorsText: "the separators '.', '-', '/' and space",
  });
}

/**
 * {@link parseRegistryNumber} for a number the API has already accepted.
 * @throws InvalidIdentifierError when it holds a character outside the policy.
 */
export function normaliseRegistryNumber(registrationNumber: string): string {
  const parsed = parseRegistryNumber(registrationNumber);
  if (typeof parsed !== 'string') throw new InvalidIdentifierError(parsed.message);
  return parsed;
}

/**
 * The organisation code of a foreign company: `FOREIGN-<CC>-<normalised registry number>`. Derived,
 * not drawn: the same company always gets the same code (so a second legal representative joins the
 * organisation the first created), it is URL-safe by construction, and people can read it in the
 * self-registration links the seed says are "hard-coded into the URL". Belgian codes are the 10-digit
 * enterprise number, so the two never collide.
 */
export function foreignOrgCode(country: string, registrationNumber: string): string {
  return `FOREIGN-${country}-${normaliseRegistryNumber(registrationNumber)}`;
}

/** The fields of an organisation compared for look-alikes. */
export type LookalikeField = 'name' | 'registrationNumber';

/** What a look-alike check compares: a name and a registry number (as written) in a country. */
export interface LookalikeProbe {
  country: string;
  name: string;
  registrationNumber: string;
}

/**
 * The confusable skeletons (UTS #39, `#shared/confusables`) of a name and a registry number: a
 * registration whose name or number has the skeleton of an existing organisation's in the same
 * country "looks like" it, and is handled as a second registration of it.
 */
export function lookalikeSkeletons(probe: LookalikeProbe): { name: string; registrationNumber: string } {
  return {
    name: nameSkeleton(probe.name),
    registrationNumber: registryNumberSkeleton(normaliseRegistryNumber(probe.registrationNumber)),
  };
}

/** Belgian (10-digit enterprise number) or foreign organisation codes. */
export const ORG_CODE_PATTERN = /^(?:[01]\d{9}|FOREIGN-[A-Z]{2}-[A-Z0-9]{1,40})$/;

/** A postal address (contract shape of `addressSchema`). */
export interface Address {
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  country: string;
}

/** The organisation profile item (`organisationKeys.organisation`). */
export interface Organisation {
  orgCode: string;
  name: string;
  /** `BE` for a company of the Belgian register, else the foreign country. */
  country: string;
  kind: 'belgian' | 'foreign';
  enterpriseNumber?: string;
  /** Foreign companies: the number as the applicant wrote it. */
  registrationNumber?: string;
  address?: Address;
  createdAt: string;
  /** Current number of local administrators; the last one cannot be removed. */
  administratorCount: number;
}

/** A claimed, not yet applied decision of a security officer (stored on the registration). */
export interface PendingDecision {
  decisionId: string;
  decision: ForeignDecision;
  reason?: string;
  decidedBy: string;
  decidedAt: string;
}

/**
 * The first security officer's approval of a registration of an organisation that already has
 * administrators: the documented first half of the second check (a second, different officer
 * completes it).
 */
export interface FirstApproval {
  decidedBy: string;
  decidedAt: string;
  /** How the officer checked (contact with the existing administrators, the foreign register…). */
  reason: string;
}

/** A foreign-company registration, without its task token. */
export interface ForeignRegistration {
  registrationId: string;
  /** The applicant, who becomes legal representative on approval. */
  personId: string;
  status: ForeignRegistrationStatus;
  name: string;
  country: string;
  registrationNumber: string;
  address: Address;
  /** The code the organisation gets on approval. */
  orgCode: string;
  uploadId: string;
  /**
   * The sealed copy of the extract that was checked and is reviewed (`sealedExtractKey`); absent on
   * registrations made before sealing, which are reviewed from the upload's own key.
   */
  extractKey?: string;
  /** Where the applicant's mails go. */
  email: string;
  locale: Locale;
  createdAt: string;
  updatedAt: string;
  reason?: string;
  decidedBy?: string;
  decidedAt?: string;
  decision?: PendingDecision;
  /** Set when the organisation existed with administrators and one officer approved (second check). */
  firstApproval?: FirstApproval;
  /** True while a task token is stored (the workflow waits for a decision). */
  waiting: boolean;
}

/** True for a caller in the `security-officers` group. */
export function isSecurityOfficer(caller: Caller): boolean {
  return caller.groups.includes(SECURITY_OFFICERS_GROUP);
}

/** `GET /organisations/foreign-registrations/{id}`. */
export interface ForeignRegistrationView {
  registrationId: string;
  status: ForeignRegistrationStatus;
  name: string;
  country: string;
  registrationNumber: string;
  address: Address;
  createdAt: string;
  updatedAt: string;
  /** Once approved. */
  orgCode?: string;
  reason?: string;
  /** Security officers only. */
  personId?: string;
  decidedBy?: string;
  /** Security officers only: a short-lived download link of the extract. */
  extract?: { url: string; expiresAt: string };
  /** Security officers only: fields that mix scripts inside one word (look-alike letters). */
  scriptMixing?: ScriptMixFlag[];
  /** Security officers only: the organisation exists already, with this many administrators. */
  existingOrganisation?: ExistingOrganisationView;
  /** Security officers only: other organisations whose name or number look the same (skeletons). */
  lookalikeOrganisations?: LookalikeOrganisationView[];
  /** Security officers only: the first approval of the second check. */
  firstApproval?: FirstApproval;
}

/** "Existing organisation, N administrators" in the officers' views. */
export interface ExistingOrganisationView {
  orgCode: string;
  name: string;
  administrators: number;
}

/** "Looks like existing organisation X (N administrators)": another organisation, and why. */
export interface LookalikeOrganisationView extends ExistingOrganisationView {
  /** Which fields of the registration have the confusable skeleton of this organisation's. */
  matched: LookalikeField[];
}

/** The view of an existing organisation a registration would join; undefined when it is new. */
export function toExistingOrganisationView(
  organisation: Pick<Organisation, 'orgCode' | 'name' | 'administratorCount'> | undefined,
): ExistingOrganisationView | undefined {
  return organisation
    ? {
        orgCode: organisation.orgCode,
        name: organisation.name,
        administrators: organisation.administratorCount,
      }
    : undefined;
}

/** The fields of a registration checked for mixed scripts. */
function registrationScriptMixing(registration: ForeignRegistration): ScriptMixFlag[] {
  return scriptMixFlags({
    name: registration.name,
    'address.street': registration.address.street,
    'address.city': registration.address.city,
  });
}

/** The registration as `viewer` may see it (never the task token or the pending decision). */
export function toForeignRegistrationView(
  registration: ForeignRegistration,
  viewer: Caller,
): ForeignRegistrationView {
  const officer = isSecurityOfficer(viewer);
  return {
    registrationId: registration.registrationId,
    status: registration.status,
    name: registration.name,
    country: registration.country,
    registrationNumber: registration.registrationNumber,
    address: registration.address,
    createdAt: registration.createdAt,
    updatedAt: registration.updatedAt,
    ...(registration.status === 'APPROVED' ? { orgCode: registration.orgCode } : {}),
    ...(registration.reason !== undefined && registration.status !== 'APPROVED'
      ? { reason: registration.reason }
      : {}),
    ...(officer ? { personId: registration.personId } : {}),
    ...(officer && registration.decidedBy ? { decidedBy: registration.decidedBy } : {}),
    ...(officer ? { scriptMixing: registrationScriptMixing(registration) } : {}),
    ...(officer && registration.firstApproval ? { firstApproval: registration.firstApproval } : {}),
  };
}

/** One line of the security officers' queue. */
export interface ForeignQueueItemView {
  registrationId: string;
  status: ForeignRegistrationStatus;
  name: string;
  country: string;
  registrationNumber: string;
  createdAt: string;
  updatedAt: string;
  /** Fields that mix scripts inside one word: a look-alike for the officer to check, not refused. */
  scriptMixing: ScriptMixFlag[];
  /** The organisation exists already ("existing organisation, N administrators"). */
  existingOrganisation?: ExistingOrganisationView;
  /** Other organisations it looks like ("looks like existing organisation X, N administrators"). */
  lookalikeOrganisations?: LookalikeOrganisationView[];
  /** One officer approved; a second, different officer must approve too. */
  secondCheckPending?: boolean;
}

/** A registration as a line of the queue. */
export function toForeignQueueItemView(
  registration: ForeignRegistration,
  existing?: ExistingOrganisationView,
  lookalikes: LookalikeOrganisationView[] = [],
): ForeignQueueItemView {
  return {
    ...(existing ? { existingOrganisation: existing } : {}),
    ...(lookalikes.length > 0 ? { lookalikeOrganisations: lookalikes } : {}),
    ...(registration.firstApproval ? { secondCheckPending: true } : {}),
    registrationId: registration.registrationId,
    status: registration.status,
    name: registration.name,
    country: registration.country,
    registrationNumber: registration.registrationNumber,
    createdAt: registration.createdAt,
    updatedAt: registration.updatedAt,
    scriptMixing: registrationScriptMixing(registration),
  };
}

/** `POST /organisations/claims` (contract), also the shape of a membership in `GET /me`. */
export interface MembershipView {
  orgCode: string;
  name: string;
  localAdministrator: boolean;
  legalRepresentative: boolean;
}

/** `GET /organisations/{orgCode}`: the profile plus the caller's own roles. */
export interface OrganisationView {
  orgCode: string;
  name: string;
  country: string;
  kind: 'belgian' | 'foreign';
  enterpriseNumber?: string;
  registrationNumber?: string;
  address?: Address;
  createdAt: string;
  administratorCount: number;
  membership: { localAdministrator: boolean; legalRepresentative: boolean };
}

/** One member in `GET /organisations/{orgCode}/members`. */
export interface MemberView {
  personId: string;
  givenNames?: string;
  familyName?: string;
  localAdministrator: boolean;
  legalRepresentative: boolean;
  since: string;
}
