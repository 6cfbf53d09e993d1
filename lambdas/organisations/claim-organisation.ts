import { ForbiddenError, NotFoundError, TransientError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import { newId as defaultNewId } from '#shared/ids';
import { isStrongInszEvidence } from '#shared/person-activity';
import type { MembershipView } from './organisation.ts';
import type { OrganisationsApiDeps } from './ports.ts';

/** What `POST /organisations/claims` answers: the membership, and whether it is new (201) or not (200). */
export interface ClaimResult {
  created: boolean;
  membership: MembershipView;
}

/** Shown to a caller without a national or BIS number: what to do first. */
export const NO_INSZ_MESSAGE =
  'Claiming a company needs your Belgian national register or BIS number. Link it first ' +
  '("I know my Belgian number"), or request a BIS number if you have none.';

/**
 * Shown when the caller's number is linked by weak evidence only (`register-match`, or a link from
 * before evidence was recorded): knowing a representative's data must not be enough to take a company.
 */
export const WEAK_INSZ_EVIDENCE_MESSAGE =
  'Claiming a company needs a confirmed national number. Log in once with itsme (or an EU ' +
  'Digital Identity Wallet) so that your number is verified, or have it confirmed in person at a ' +
  'registration office, then claim the company again.';

/** Concurrent claims of the same company each update the organisation: a few rounds settle it. */
const MAX_ATTEMPTS = 5;

/**
 * A legal representative of a Belgian company, as listed in the company register, claims it: the
 * organisation (code = enterprise number) is created when new, and the caller becomes legal
 * representative and local administrator, with an audit entry — one transaction. Idempotent: a
 * repeat by someone who already holds both roles writes nothing and answers `created: false`.
 *
 * Order of refusals (nothing is written on any): no INSZ on the profile (403, says how to get one),
 * INSZ evidence not strong (403, `isStrongInszEvidence`: itsme, PID, issued BIS number or
 * registration office; says how to get it), number unknown to the register (404), caller not listed as legal representative (403).
 */
export async function claimOrganisation(
  deps: OrganisationsApiDeps,
  caller: Caller,
  enterpriseNumber: string,
): Promise<ClaimResult> {
  // The INSZ comes from the profile: access tokens do not carry it, and the profile is the truth.
  const person = await deps.repository.getPerson(caller.personId);
  if (!person?.insz) throw new ForbiddenError(NO_INSZ_MESSAGE, { code: 'insz-required' });
  if (!isStrongInszEvidence(person.inszEvidence))
    throw new ForbiddenError(WEAK_INSZ_EVIDENCE_MESSAGE, { code: 'insz-evidence-too-weak' });
  const company = await deps.register.findCompany(enterpriseNumber);
  if (!company) {
    throw new NotFoundError('The company register does not know this enterprise number.', {
      code: 'unknown-enterprise',
    });
  }
  if (!company.legalRepresentatives.includes(person.insz)) {
    throw new ForbiddenError(
      'The company register does not list you as a legal representative of this company.',
      { code: 'not-legal-representative' },
    );
  }

  const id = deps.newId ?? defaultNewId;
  const orgCode = company.enterpriseNumber;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const [previous, organisation] = await Promise.all([
      deps.repository.getMembership(caller.personId, orgCode),
      deps.repository.getOrganisation(orgCode),
    ]);
    const name = organisation?.name ?? company.name;
    if (previous?.legalRepresentative && previous.localAdministrator) {
      return {
        created: false,
        membership: { orgCode, name: previous.name, localAdministrator: true, legalRepresentative: true },
      };
    }
    const now = deps.now().toISOString();
    const outcome = await deps.repository.claim(
      { orgCode, name, country: 'BE', kind: 'belgian', enterpriseNumber: orgCode, createdAt: now },
      {
        personId: caller.personId,
        orgCode,
        orgName: name,
        legalRepresentative: true,
        previous,
        now,
        source: 'register',
      },
      {
        entryId: id(),
        orgCode,
        at: now,
        action: 'organisation-claimed',
        actor: caller.personId,
        subject: caller.personId,
        details: { source: 'company-register' },
      },
    );
    if (outcome === 'done') {
      deps.logger?.info('organisation claimed', { orgCode, personId: caller.personId });
      await notifyClaimant(deps, person.email, person.locale, orgCode, name, caller.personId);
      return {
        created: true,
        membership: { orgCode, name, localAdministrator: true, legalRepresentative: true },
      };
    }
  }
  throw new TransientError('The claim kept conflicting with concurrent changes.');
}

/** The mail is a courtesy: the claim stands when it cannot be sent, so a failure is only logged. */
async function notifyClaimant(
  deps: OrganisationsApiDeps,
  email: string | undefined,
  locale: string | undefined,
  orgCode: string,
  name: string,
  personId: string,
): Promise<void> {
  if (!email) return;
  try {
    await deps.mailer.send({
      to: email,
      locale,
      template: 'organisation-claimed',
      data: { organisationName: name, orgCode },
      idempotencyKey: `${orgCode}:${personId}:organisation-claimed`,
    });
  } catch (error) {
    deps.logger?.warn('organisation claimed, mail not sent', {
      orgCode,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}
