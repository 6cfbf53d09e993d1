/**
 * The company register is the authority on who represents a Belgian company (issue 14): rights that
 * came only from being a legal representative end when the register stops listing the person.
 *
 * - {@link runRepresentativeCheck}: the daily job (EventBridge Scheduler). It enumerates every
 *   register-derived representative membership through the sparse GSI2 index (O19, one Query per
 *   shard, no Scan), looks each company up once in the register, and lapses the representatives it
 *   no longer lists.
 * - {@link recheckActingRepresentative}: the same check for one person, before every administrator
 *   action of an administrator whose role comes from the register alone.
 *
 * Lapsing (O20): legal representative off, the administrator role off unless a local administrator
 * appointed the person, audited (`representative-lapsed`) and mailed to the person. When that would
 * leave the organisation without any administrator, nothing is taken: a security officers' case is
 * opened instead (O21, audited `representative-lapse-flagged`, the officers' mailbox told).
 */
import { ForbiddenError } from '#shared/errors';
import { newId as defaultNewId } from '#shared/ids';
import { REPRESENTATIVE_SHARDS } from '#shared/keys';
import type { Mailer } from '#shared/mailer';
import type { CompanyRegister, RegisteredCompany } from './company-register.ts';
import type { OrganisationsRepository, StoredMembership } from './organisations-repository.ts';
import type { OrganisationsLogger } from './ports.ts';

/** What the check needs. */
export interface RepresentativeCheckDeps {
  repository: OrganisationsRepository;
  register: CompanyRegister;
  mailer: Mailer;
  now: () => Date;
  /** The security officers' shared mailbox; absent: cases are opened without a mail. */
  securityOfficersEmail?: string | undefined;
  newId?: () => string;
  logger?: OrganisationsLogger;
}

/** What one lapse did. */
export type LapseResult = 'still-listed' | 'lapsed' | 'flagged' | 'not-representative';

/** Counts of a daily run. */
export interface RepresentativeCheckReport {
  checked: number;
  lapsed: number;
  flagged: number;
}

/** Whether `company` lists the person with this INSZ. */
function lists(company: RegisteredCompany | undefined, insz: string | undefined): boolean {
  return company !== undefined && insz !== undefined && company.legalRepresentatives.includes(insz);
}

/**
 * Lapses the membership of a person the register no longer lists (see the module comment).
 * Idempotent: a membership that is no longer a representative one, or an open case, writes nothing.
 */
export async function lapseRepresentative(
  deps: RepresentativeCheckDeps,
  personId: string,
  orgCode: string,
): Promise<LapseResult> {
  const id = deps.newId ?? defaultNewId;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const membership = await deps.repository.getMembership(personId, orgCode);
    if (!membership?.legalRepresentative) return 'not-representative';
    const now = deps.now().toISOString();
    const outcome = await deps.repository.lapseRepresentative(
      membership,
      {
        entryId: id(),
        orgCode,
        at: now,
        action: 'representative-lapsed',
        actor: 'system',
        subject: personId,
        reason: 'The company register no longer lists this person as a legal representative.',
        details: { administratorKept: membership.appointedAdministrator === true ? 'true' : 'false' },
      },
      now,
    );
    if (outcome === 'done') {
      await tellPerson(deps, membership, now);
      deps.logger?.info('legal representative lapsed', { orgCode, personId });
      return 'lapsed';
    }
    if (outcome === 'last-administrator') {
      const opened = await deps.repository.openOrganisationCase(
        orgCode,
        personId,
        {
          entryId: id(),
          orgCode,
          at: now,
          action: 'representative-lapse-flagged',
          actor: 'system',
          subject: personId,
          reason:
            'The company register no longer lists the last administrator; kept until a security officer acts.',
        },
        now,
      );
      if (deps.securityOfficersEmail) {
        await deps.mailer.send({
          to: deps.securityOfficersEmail,
          template: 'organisation-case-opened',
          data: { orgCode },
          idempotencyKey: `${orgCode}:organisation-case-opened:${personId}`,
        });
      }
      deps.logger?.warn('last administrator no longer in the register: case opened', {
        orgCode,
        personId,
        opened,
      });
      return 'flagged';
    }
  }
  return 'not-representative';
}

async function tellPerson(deps: RepresentativeCheckDeps, membership: StoredMembership, now: string) {
  const person = await deps.repository.getPerson(membership.personId);
  if (!person?.email) return;
  await deps.mailer.send({
    to: person.email,
    locale: person.locale,
    template: 'representative-lapsed',
    data: { organisationName: membership.name, orgCode: membership.orgCode },
    idempotencyKey: `${membership.orgCode}:${membership.personId}:representative-lapsed:${now.slice(0, 10)}`,
  });
}

/** The daily run over every shard of the register-representatives index. */
export async function runRepresentativeCheck(
  deps: RepresentativeCheckDeps,
): Promise<RepresentativeCheckReport> {
  const report: RepresentativeCheckReport = { checked: 0, lapsed: 0, flagged: 0 };
  for (let shard = 0; shard < REPRESENTATIVE_SHARDS; shard++) {
    const entries = await deps.repository.listRegisterRepresentatives(shard);
    const companies = new Map<string, RegisteredCompany | undefined>();
    for (const { orgCode, personId } of entries) {
      report.checked += 1;
      if (!companies.has(orgCode)) companies.set(orgCode, await deps.register.findCompany(orgCode));
      const person = await deps.repository.getPerson(personId);
      if (lists(companies.get(orgCode), person?.insz)) continue;
      const result = await lapseRepresentative(deps, personId, orgCode);
      if (result === 'lapsed') report.lapsed += 1;
      if (result === 'flagged') report.flagged += 1;
    }
  }
  deps.logger?.info('representative check done', { ...report });
  return report;
}

/**
 * Before an administrator action: an administrator whose role comes from the register alone must
 * still be listed there. When not, the lapse runs now and the action is refused (403); when the
 * organisation would be left without an administrator, the case is opened and the action proceeds.
 */
export async function recheckActingRepresentative(
  deps: RepresentativeCheckDeps,
  membership: StoredMembership,
): Promise<void> {
  if (!membership.registerDerived || membership.appointedAdministrator) return;
  const [company, person] = await Promise.all([
    deps.register.findCompany(membership.orgCode),
    deps.repository.getPerson(membership.personId),
  ]);
  if (lists(company, person?.insz)) return;
  const result = await lapseRepresentative(deps, membership.personId, membership.orgCode);
  if (result === 'lapsed') {
    throw new ForbiddenError(
      'The company register no longer lists you as a legal representative of this organisation.',
      { code: 'representative-lapsed' },
    );
  }
}
