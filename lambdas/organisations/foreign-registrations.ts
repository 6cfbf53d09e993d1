import { decidableRequest, decide, expire } from '#shared/approval/runtime';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import { gsi1List, type Page, type PageQuery } from '#shared/http/pagination';
import { newId as defaultNewId } from '#shared/ids';
import { foreignRegistrationKeys } from '#shared/keys';
import { type Locale, resolveLocale } from '#shared/locale';
import { foreignRegistrationStore } from './approval.ts';
import {
  type Address,
  type ExistingOrganisationView,
  type ForeignDecision,
  type ForeignQueueItemView,
  type ForeignRegistration,
  type ForeignRegistrationStatus,
  type ForeignRegistrationView,
  foreignOrgCode,
  isSecurityOfficer,
  type LookalikeOrganisationView,
  type PendingDecision,
  toExistingOrganisationView,
  toForeignQueueItemView,
  toForeignRegistrationView,
} from './organisation.ts';
import type { ForeignRegistrationsApiDeps } from './ports.ts';
import {
  EXTRACT_CONTENT_TYPE,
  extractKeyOf,
  isPdfMagic,
  MAX_EXTRACT_BYTES,
  type PresignedRequest,
} from './uploads.ts';

/** `POST /uploads` answer (contract: `{ uploadId, url, headers? }`). */
export interface UploadCreated extends PresignedRequest {
  uploadId: string;
  method: 'PUT';
}

/** A presigned upload of a trade-register extract under the caller's prefix. */
export async function createUpload(
  deps: Pick<ForeignRegistrationsApiDeps, 'uploads' | 'now' | 'newId'>,
  caller: Caller,
  size: number,
): Promise<UploadCreated> {
  const uploadId = (deps.newId ?? defaultNewId)();
  const presigned = await deps.uploads.createUpload(caller.personId, uploadId, size, deps.now());
  return { uploadId, method: 'PUT', ...presigned };
}

/** What `POST /organisations/foreign-registrations` receives after validation. */
export interface SubmitForeignRegistrationInput {
  name: string;
  country: string;
  registrationNumber: string;
  address: Address;
  uploadId: string;
  /** Where to send the outcome; the profile's address when absent. */
  email?: string | undefined;
  locale?: Locale | undefined;
}

/** `{ registrationId, status }` (contract). */
export interface ForeignRegistrationAccepted {
  registrationId: string;
  status: ForeignRegistrationStatus;
}

/**
 * Registers a foreign company for review: the caller declares being its legal representative and
 * attaches the extract they uploaded. The extract is sealed first (copied to a key no upload link
 * reaches, `uploads.ts`) and the sealed copy is checked (present, a PDF of at most 10 MB): what the
 * officer reviews is exactly what was checked, whatever is PUT on the upload link afterwards. The
 * registration and the upload marker are written in one transaction (an extract serves one
 * registration), then the review workflow starts, named after the registration.
 *
 * @throws RuleViolationError no e-mail to send the outcome to; the upload is missing or not a PDF
 * @throws ConflictError the upload is attached to another registration
 */
export async function submitForeignRegistration(
  deps: ForeignRegistrationsApiDeps,
  caller: Caller,
  input: SubmitForeignRegistrationInput,
): Promise<ForeignRegistrationAccepted> {
  const person = await deps.repository.getPerson(caller.personId);
  const email = input.email ?? person?.email;
  if (!email) {
    throw new RuleViolationError('Give an e-mail address: the outcome of the review is sent there.', {
      code: 'email-required',
    });
  }
  const id = deps.newId ?? defaultNewId;
  const registrationId = id();
  const extractKey = await deps.uploads.seal(caller.personId, input.uploadId, registrationId);
  const upload = extractKey ? await deps.uploads.inspect(extractKey) : undefined;
  if (!extractKey || !upload) {
    throw new RuleViolationError('No extract was uploaded under this upload id.', { code: 'upload-missing' });
  }
  if (
    upload.size > MAX_EXTRACT_BYTES ||
    upload.size === 0 ||
    upload.contentType?.split(';')[0]?.trim().toLowerCase() !== EXTRACT_CONTENT_TYPE ||
    !isPdfMagic(upload.head)
  ) {
    throw new RuleViolationError('The extract must be a PDF file of at most 10 MB.', {
      code: 'extract-invalid',
    });
  }

  const now = deps.now().toISOString();
  const registration: ForeignRegistration = {
    registrationId,
    personId: caller.personId,
    status: 'PENDING_REVIEW',
    name: input.name,
    country: input.country,
    registrationNumber: input.registrationNumber,
    address: input.address,
    orgCode: foreignOrgCode(input.country, input.registrationNumber),
    uploadId: input.uploadId,
    extractKey,
    email,
    locale: input.locale ?? resolveLocale(person?.locale),
    createdAt: now,
    updatedAt: now,
    waiting: false,
  };
  await deps.repository.createForeignRegistration(registration);

  try {
    // Attached extracts leave the one-day expiry of unused uploads.
    await deps.uploads.setState(extractKey, 'attached');
    // Only the id enters Step Functions: no company or personal data in the execution history.
    await deps.workflow.startExecution(registration.registrationId, {
      requestId: registration.registrationId,
    });
  } catch (error) {
    const closed = await expire(foreignRegistrationStore(deps), registration, {
      reason: 'The review could not be started.',
      failed: true,
    }).catch(() => false);
    // The client retries a 5xx with the same body: the closed registration must not keep its extract.
    if (closed) await deps.repository.releaseUpload(input.uploadId, registrationId).catch(() => undefined);
    throw error;
  }
  await tellExistingAdministrators(deps, registration);
  deps.logger?.info('foreign registration submitted', { registrationId: registration.registrationId });
  return { registrationId: registration.registrationId, status: registration.status };
}

/**
 * L1 + O5: for each registration, the OTHER organisations of its country whose name or registry number
 * has the same confusable skeleton (UTS #39) — "looks like existing organisation X". Read live, like
 * `existingOrganisation`: two marker keys per registration in one BatchGetItem, then each organisation
 * found; nothing here grows with the number of organisations.
 */
export async function findLookalikeOrganisations(
  deps: Pick<ForeignRegistrationsApiDeps, 'repository'>,
  registrations: readonly ForeignRegistration[],
): Promise<LookalikeOrganisationView[][]> {
  if (registrations.length === 0) return [];
  const matches = await deps.repository.findLookalikes(
    registrations.map(({ country, name, registrationNumber }) => ({ country, name, registrationNumber })),
  );
  const others = matches.map((found, index) =>
    found.filter((match) => match.orgCode !== registrations[index]?.orgCode),
  );
  const codes = [...new Set(others.flat().map((match) => match.orgCode))];
  const organisations = await Promise.all(codes.map((code) => deps.repository.getOrganisation(code)));
  const byCode = new Map(
    codes.map((code, index) => [code, toExistingOrganisationView(organisations[index])]),
  );
  return others.map((found) =>
    found.flatMap((match) => {
      const organisation = byCode.get(match.orgCode);
      return organisation ? [{ ...organisation, matched: match.matched }] : [];
    }),
  );
}

/**
 * A registration of an organisation that exists with administrators (a second registration of the
 * same company), or that looks like one (same confusable skeleton of the name or number): each
 * administrator of that organisation is mailed, keyed per registration, organisation and administrator
 * (a retry mails nobody twice), without the applicant's personal data. A courtesy next to the second
 * check that protects the organisation: a failure is logged, the registration stands.
 */
async function tellExistingAdministrators(
  deps: ForeignRegistrationsApiDeps,
  registration: ForeignRegistration,
): Promise<void> {
  try {
    const [organisation, lookalikes] = await Promise.all([
      deps.repository.getOrganisation(registration.orgCode),
      findLookalikeOrganisations(deps, [registration]),
    ]);
    const told = [
      ...(organisation && organisation.administratorCount > 0
        ? [{ orgCode: organisation.orgCode, name: organisation.name, lookalike: false }]
        : []),
      ...(lookalikes[0] ?? [])
        .filter((lookalike) => lookalike.administrators > 0)
        .map(({ orgCode, name }) => ({ orgCode, name, lookalike: true })),
    ];
    for (const { orgCode, name, lookalike } of told) {
      const administrators = await deps.repository.listAdministratorIds(orgCode);
      for (const personId of administrators) {
        const administrator = await deps.repository.getPerson(personId);
        if (!administrator?.email) continue;
        await deps.mailer.send({
          to: administrator.email,
          locale: administrator.locale,
          template: lookalike ? 'foreign-registration-org-lookalike' : 'foreign-registration-org-exists',
          data: { registrationId: registration.registrationId, organisationName: name, orgCode },
          idempotencyKey: lookalike
            ? `${registration.registrationId}:foreign-registration-org-lookalike:${orgCode}:${personId}`
            : `${registration.registrationId}:foreign-registration-org-exists:${personId}`,
        });
      }
    }
  } catch (error) {
    deps.logger?.warn('existing administrators not told of a registration', {
      registrationId: registration.registrationId,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}

/**
 * One registration, for its applicant and for security officers (who also get a short-lived link to
 * the extract). Anyone else: 404.
 */
export async function getForeignRegistration(
  deps: Pick<ForeignRegistrationsApiDeps, 'repository' | 'uploads' | 'now'>,
  caller: Caller,
  registrationId: string,
): Promise<ForeignRegistrationView> {
  const registration = await deps.repository.getForeignRegistration(registrationId);
  const officer = isSecurityOfficer(caller);
  if (!registration || (registration.personId !== caller.personId && !officer)) {
    throw new NotFoundError('There is no such foreign organisation registration.');
  }
  const view = toForeignRegistrationView(registration, caller);
  if (!officer) return view;
  const pending = registration.status === 'PENDING_REVIEW';
  const [existing, lookalikes] = pending
    ? await Promise.all([
        deps.repository.getOrganisation(registration.orgCode).then(toExistingOrganisationView),
        findLookalikeOrganisations(deps, [registration]).then((found) => found[0] ?? []),
      ])
    : [undefined, []];
  const link = await deps.uploads.downloadUrl(
    extractKeyOf(registration),
    registration.registrationId,
    deps.now(),
  );
  return {
    ...view,
    ...(existing ? { existingOrganisation: existing } : {}),
    ...(lookalikes.length > 0 ? { lookalikeOrganisations: lookalikes } : {}),
    extract: { url: link.url, expiresAt: link.expiresAt },
  };
}

/** Query of the security officers' queue. */
export type ListForeignRegistrationsQuery = PageQuery & { status: ForeignRegistrationStatus };

/** The queue of one status, oldest first; the cursor is bound to the status. */
export async function listForeignRegistrations(
  deps: Pick<ForeignRegistrationsApiDeps, 'repository'>,
  query: ListForeignRegistrationsQuery,
): Promise<Page<ForeignQueueItemView>> {
  const list = gsi1List(foreignRegistrationKeys.queuePartition(query.status));
  const page = await deps.repository.listForeignRegistrations(
    query.status,
    query.limit,
    list.startKey(query.cursor),
  );
  // Live, not a snapshot of the submission: another registration of the company may have won since.
  const existing = new Map<string, ExistingOrganisationView | undefined>();
  let lookalikes: LookalikeOrganisationView[][] = [];
  if (query.status === 'PENDING_REVIEW') {
    const codes = [...new Set(page.items.map((item) => item.orgCode))];
    const [organisations, found] = await Promise.all([
      Promise.all(codes.map((code) => deps.repository.getOrganisation(code))),
      findLookalikeOrganisations(deps, page.items),
    ]);
    for (const [index, code] of codes.entries()) {
      existing.set(code, toExistingOrganisationView(organisations[index]));
    }
    lookalikes = found;
  }
  return list.page(
    page.items.map((item, index) =>
      toForeignQueueItemView(item, existing.get(item.orgCode), lookalikes[index] ?? []),
    ),
    page.lastEvaluatedKey,
  );
}

/** A security officer's decision as the API receives it. */
export interface ForeignDecisionInput {
  decision: ForeignDecision;
  /** Required to reject (the schema enforces it). */
  reason?: string | undefined;
}

/** The answer of the decision route. */
export interface ForeignDecisionAccepted {
  registrationId: string;
  status: ForeignRegistrationStatus;
  decision: ForeignDecision;
  /**
   * True when this approval was recorded as the first half of the second check: the organisation has
   * administrators already, and another security officer must approve too.
   */
  secondCheckRequired?: boolean;
}

/**
 * Records a security officer's decision and hands it to the waiting workflow (one winner by a
 * conditional update that takes the stored task token). A token that is no longer valid closes the
 * registration as EXPIRED and answers 409.
 * @throws NotFoundError unknown registration; ForbiddenError own registration; ConflictError not pending
 */
export async function decideForeignRegistration(
  deps: ForeignRegistrationsApiDeps,
  caller: Caller,
  registrationId: string,
  input: ForeignDecisionInput,
): Promise<ForeignDecisionAccepted> {
  const registration = decidableRequest(
    await deps.repository.getForeignRegistration(registrationId),
    caller.personId,
    'PENDING_REVIEW',
    {
      missing: 'There is no such foreign organisation registration.',
      own: 'You cannot decide on your own registration.',
      notWaiting: 'This registration is not waiting for a decision.',
    },
  );
  if (input.decision === 'approve') {
    const first = registration.firstApproval;
    if (first && first.decidedBy === caller.personId) {
      throw new ForbiddenError('Another security officer must make the second check.', {
        code: 'second-officer-required',
      });
    }
    if (!first) {
      const organisation = await deps.repository.getOrganisation(registration.orgCode);
      const existing = organisation !== undefined && organisation.administratorCount > 0;
      // A look-alike of another organisation is a second registration of it: two officers, always.
      const lookalike =
        !existing && ((await findLookalikeOrganisations(deps, [registration]))[0] ?? []).length > 0;
      if (existing || lookalike) {
        if (input.reason === undefined || input.reason.trim() === '') {
          throw new ValidationError(
            existing
              ? 'Describe the second check: this organisation is registered already.'
              : 'Describe the second check: this registration looks like an existing organisation.',
            [
              {
                path: 'reason',
                message: existing
                  ? 'Required to approve a representative of an existing organisation'
                  : 'Required to approve a registration that looks like an existing organisation',
                code: 'required',
                params: { field: 'reason' },
              },
            ],
          );
        }
        const recorded = await deps.repository.recordFirstApproval(registrationId, {
          decidedBy: caller.personId,
          decidedAt: deps.now().toISOString(),
          reason: input.reason,
        });
        if (!recorded) {
          throw new ConflictError('This registration is not waiting for a decision.', {
            code: 'already-decided',
          });
        }
        deps.logger?.info('foreign registration first approval recorded', { registrationId });
        return {
          registrationId,
          status: 'PENDING_REVIEW',
          decision: 'approve',
          secondCheckRequired: true,
        };
      }
    }
  }
  const decision: PendingDecision = {
    decisionId: (deps.newId ?? defaultNewId)(),
    decision: input.decision,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    decidedBy: caller.personId,
    decidedAt: deps.now().toISOString(),
  };
  await decide(foreignRegistrationStore(deps), deps.workflow, registration, decision);
  return { registrationId, status: registration.status, decision: decision.decision };
}
