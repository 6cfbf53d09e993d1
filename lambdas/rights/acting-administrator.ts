import type { Membership } from '#shared/organisation-access';
import { representativeLapsed, requireLocalAdministrator } from '#shared/organisation-access';
import type { RightsApiDeps } from './ports.ts';

/**
 * The caller as a local administrator of the organisation (non-members 404, members 403), and — when
 * the role may come from the company register alone (a legal representative) — still listed there
 * (403 `representative-lapsed`; the daily check then removes the role).
 */
export async function requireActingAdministrator(
  deps: Pick<RightsApiDeps, 'repository' | 'registerCheck'>,
  personId: string,
  orgCode: string,
): Promise<Membership> {
  const membership = await requireLocalAdministrator(deps.repository, personId, orgCode);
  if (membership.legalRepresentative && deps.registerCheck) {
    if (!(await deps.registerCheck.stillAuthorised(personId, orgCode))) throw representativeLapsed();
  }
  return membership;
}
