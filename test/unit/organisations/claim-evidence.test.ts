import { describe, expect, it, vi } from 'vitest';
import { ForbiddenError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import { INSZ_EVIDENCE, isStrongInszEvidence } from '#shared/person-activity';
import {
  claimOrganisation,
  NO_INSZ_MESSAGE,
  WEAK_INSZ_EVIDENCE_MESSAGE,
} from '../../../lambdas/organisations/claim-organisation.ts';
import type { OrganisationsRepository } from '../../../lambdas/organisations/organisations-repository.ts';
import type { OrganisationsApiDeps } from '../../../lambdas/organisations/ports.ts';

const INSZ = '85073003328';
const KBO = '0403170701';
const caller: Caller = {
  personId: '01JZ0000000000000000000002',
  groups: [],
  idp: 'itsme',
  loa: 'high',
  insz: null,
  username: 'itsme_sub',
  authTime: 1,
};

function depsFor(profile: Record<string, unknown> | undefined) {
  const claim = vi.fn(async () => 'done' as const);
  const findCompany = vi.fn(async () => ({
    enterpriseNumber: KBO,
    name: 'Bouw Claes NV',
    legalRepresentatives: [INSZ],
  }));
  const repository = {
    getPerson: async () => (profile ? { personId: caller.personId, ...profile } : undefined),
    getMembership: async () => undefined,
    getOrganisation: async () => undefined,
    claim,
  } as unknown as OrganisationsRepository;
  const deps = {
    repository,
    register: { findCompany },
    mailer: { send: async () => {} },
    now: () => new Date('2026-03-01T12:00:00.000Z'),
    newId: () => '01JZ0000000000000000000099',
  } as unknown as OrganisationsApiDeps;
  return { deps, claim, findCompany };
}

describe('claimOrganisation: the caller number must carry strong evidence', () => {
  it.each(INSZ_EVIDENCE.filter((evidence) => isStrongInszEvidence(evidence)))(
    'claims the company when the number carries %s evidence',
    async (inszEvidence) => {
      const { deps, claim } = depsFor({ insz: INSZ, inszEvidence });

      const result = await claimOrganisation(deps, caller, KBO);

      expect(result.created).toBe(true);
      expect(claim).toHaveBeenCalledTimes(1);
    },
  );

  it.each([
    ['register-match', { insz: INSZ, inszEvidence: 'register-match' }],
    ['no evidence (a link from before evidence was recorded)', { insz: INSZ }],
    ['an unknown evidence value', { insz: INSZ, inszEvidence: 'typed-it' }],
  ])(
    'answers 403 telling what to do when the number carries %s, before any register read',
    async (_, profile) => {
      const { deps, claim, findCompany } = depsFor(profile);

      const refusal = claimOrganisation(deps, caller, KBO);

      await expect(refusal).rejects.toThrow(ForbiddenError);
      await expect(refusal).rejects.toThrow(WEAK_INSZ_EVIDENCE_MESSAGE);
      expect(WEAK_INSZ_EVIDENCE_MESSAGE).toMatch(/itsme/);
      expect(WEAK_INSZ_EVIDENCE_MESSAGE).toMatch(/registration office/);
      expect(findCompany).not.toHaveBeenCalled();
      expect(claim).not.toHaveBeenCalled();
    },
  );

  it('answers 403 with the no-number message for a suspended profile (no insz, evidence left over)', async () => {
    const { deps, claim } = depsFor({ inszEvidence: 'register-match' });

    await expect(claimOrganisation(deps, caller, KBO)).rejects.toThrow(NO_INSZ_MESSAGE);
    expect(claim).not.toHaveBeenCalled();
  });
});
