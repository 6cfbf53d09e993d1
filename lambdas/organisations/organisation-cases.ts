/**
 * The security officers' queue of organisation cases (O21, O23, O24): the daily representative
 * check found that the company register no longer lists an organisation's last administrator, kept
 * the role (an organisation is never left without one) and opened a case. Officers list the open
 * cases and close each one once, with the outcome of what they did outside this call and a note;
 * the closing is audited in the organisation's trail.
 *
 * Closing changes nobody's rights: `administrator-appointed` records that another administrator now
 * exists (checked: the organisation must have one besides the flagged person, whom the next daily
 * check then lapses), `organisation-suspended` and `dismissed` record the officer's decision.
 */
import { ConflictError, NotFoundError, RuleViolationError } from '#shared/errors';
import { gsi1List, type Page, type PageQuery } from '#shared/http/pagination';
import { newId as defaultNewId } from '#shared/ids';
import { organisationKeys } from '#shared/keys';
import type { OrganisationCase, OrganisationCaseResolution } from './organisations-repository.ts';
import type { OrganisationsApiDeps } from './ports.ts';

/** An organisation case as the API shows it. */
export interface OrganisationCaseView extends OrganisationCase {
  caseId: string;
  /** The organisation's name, so that officers need not look it up (the queue only). */
  organisationName?: string;
  /** The flagged person's names (the queue only). */
  givenNames?: string;
  familyName?: string;
}

const NOT_FOUND = 'There is no organisation case with this reference.';
const ALREADY_RESOLVED = 'This case has been resolved already.';
/** The portal says "someone already decided on this" for this code. */
const ALREADY_RESOLVED_CODE = 'already-decided';

function toView(organisationCase: OrganisationCase): OrganisationCaseView {
  return {
    caseId: organisationKeys.organisationCaseId(organisationCase.orgCode, organisationCase.personId),
    ...organisationCase,
  };
}

/**
 * `GET /security/organisation-cases`: the open queue, paginated (cursor bound to the queue), each
 * case with the organisation's and the person's names: one BatchGetItem for the persons and one
 * GetItem per organisation of the page.
 */
export async function listOrganisationCases(
  deps: Pick<OrganisationsApiDeps, 'repository'>,
  query: PageQuery,
): Promise<Page<OrganisationCaseView>> {
  const list = gsi1List(organisationKeys.organisationCaseQueue('OPEN'));
  const page = await deps.repository.listOpenOrganisationCases(query.limit, list.startKey(query.cursor));
  const orgCodes = [...new Set(page.items.map((item) => item.orgCode))];
  const [persons, organisations] = await Promise.all([
    page.items.length > 0
      ? deps.repository.getPersons(page.items.map((item) => item.personId))
      : new Map<string, never>(),
    Promise.all(orgCodes.map((orgCode) => deps.repository.getOrganisation(orgCode))),
  ]);
  const names = new Map(orgCodes.map((orgCode, index) => [orgCode, organisations[index]?.name]));
  const views = page.items.map((item) => {
    const person = persons.get(item.personId);
    const organisationName = names.get(item.orgCode);
    return {
      ...toView(item),
      ...(organisationName ? { organisationName } : {}),
      ...(person?.givenNames ? { givenNames: person.givenNames } : {}),
      ...(person?.familyName ? { familyName: person.familyName } : {}),
    };
  });
  return list.page(views, page.lastEvaluatedKey);
}

/**
 * `POST /security/organisation-cases/{caseId}/resolution`: OPEN → RESOLVED, one winner, audited.
 * @throws NotFoundError unknown case.
 * @throws ConflictError the case was resolved already (also when another officer won the race).
 * @throws RuleViolationError `administrator-appointed` while the flagged person is still the only
 *   administrator.
 */
export async function resolveOrganisationCase(
  deps: Pick<OrganisationsApiDeps, 'repository' | 'now' | 'newId' | 'logger'>,
  officerId: string,
  caseId: string,
  decision: { resolution: OrganisationCaseResolution; note: string },
): Promise<OrganisationCaseView> {
  const reference = organisationKeys.parseOrganisationCaseId(caseId);
  if (!reference) throw new NotFoundError(NOT_FOUND);
  const organisationCase = await deps.repository.getOrganisationCase(reference.orgCode, reference.personId);
  if (!organisationCase) throw new NotFoundError(NOT_FOUND);
  if (organisationCase.status !== 'OPEN')
    throw new ConflictError(ALREADY_RESOLVED, { code: ALREADY_RESOLVED_CODE });
  if (decision.resolution === 'administrator-appointed') {
    const administrators = await deps.repository.listAdministratorIds(organisationCase.orgCode);
    if (!administrators.some((id) => id !== organisationCase.personId)) {
      throw new RuleViolationError(
        'The organisation has no administrator besides the person of this case: appoint one first.',
        { code: 'no-other-administrator' },
      );
    }
  }
  const at = deps.now().toISOString();
  const closed = {
    resolution: decision.resolution,
    note: decision.note,
    resolvedBy: officerId,
    resolvedAt: at,
  };
  const outcome = await deps.repository.resolveOrganisationCase(organisationCase, closed, {
    entryId: (deps.newId ?? defaultNewId)(),
    orgCode: organisationCase.orgCode,
    at,
    action: 'organisation-case-resolved',
    actor: officerId,
    subject: organisationCase.personId,
    reason: decision.note,
    details: { resolution: decision.resolution, kind: organisationCase.kind },
  });
  if (outcome === 'already-resolved')
    throw new ConflictError(ALREADY_RESOLVED, { code: ALREADY_RESOLVED_CODE });
  deps.logger?.info('organisation case resolved', {
    orgCode: organisationCase.orgCode,
    resolution: decision.resolution,
    officerId,
  });
  return toView({ ...organisationCase, status: 'RESOLVED', ...closed });
}
