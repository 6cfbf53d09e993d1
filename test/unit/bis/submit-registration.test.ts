import { describe, expect, it, vi } from 'vitest';
import { ConflictError, ForbiddenError, RuleViolationError } from '#shared/errors';
import { preferredLocale, submitRegistration } from '../../../lambdas/bis/submit-registration.ts';
import { apiDeps, caller, data, fakeRepository, fakeWorkflow } from './fakes.ts';

const profile = { givenNames: 'JEAN-LUC', familyName: 'Dupre', birthDate: '1985-09-30', locale: 'nl-BE' };

describe('submitRegistration', () => {
  it('persists the request and starts the workflow with the id only when the caller may submit', async () => {
    const createRegistration = vi.fn(async () => undefined);
    const repository = fakeRepository({ getProfile: vi.fn(async () => profile), createRegistration });
    const workflow = fakeWorkflow();

    const accepted = await submitRegistration(apiDeps(repository, workflow), caller(), { data: data() });

    expect(accepted.status).toBe('PENDING_REVIEW');
    expect(createRegistration).toHaveBeenCalledWith(
      expect.objectContaining({
        registrationId: accepted.registrationId,
        status: 'PENDING_REVIEW',
        round: 1,
        locale: 'nl',
      }),
      expect.objectContaining({ event: 'submitted', actor: 'applicant' }),
    );
    expect(workflow.startExecution).toHaveBeenCalledWith(accepted.registrationId, {
      requestId: accepted.registrationId,
    });
  });

  it('prefers the request locale, then Accept-Language, over the profile locale', async () => {
    const createRegistration = vi.fn(async () => undefined);
    const deps = apiDeps(fakeRepository({ getProfile: vi.fn(async () => profile), createRegistration }));

    await submitRegistration(deps, caller(), { data: data(), locale: 'de', acceptLanguage: 'fr' });
    await submitRegistration(deps, caller(), { data: data(), acceptLanguage: 'es;q=1, fr-BE;q=0.8' });

    expect(
      createRegistration.mock.calls.map((call) => ((call as unknown[])[0] as { locale: string }).locale),
    ).toEqual(['de', 'fr']);
  });

  it.each([
    ['the session is not eIDAS', caller({ idp: 'itsme' })],
    ['the token carries an INSZ', caller({ insz: '85073003328' })],
  ])('refuses with 403 without reading when %s', async (_, who) => {
    const repository = fakeRepository();

    await expect(submitRegistration(apiDeps(repository), who, { data: data() })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('refuses with 403 when the profile has an INSZ although the token has none', async () => {
    const repository = fakeRepository({
      getProfile: vi.fn(async () => ({ ...profile, insz: '85073003328' })),
    });

    await expect(submitRegistration(apiDeps(repository), caller(), { data: data() })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('refuses with 422 and writes nothing when the birth date differs from the eIDAS identity', async () => {
    const repository = fakeRepository({ getProfile: vi.fn(async () => profile) });

    await expect(
      submitRegistration(apiDeps(repository), caller(), { data: data({ birthDate: '1985-09-29' }) }),
    ).rejects.toBeInstanceOf(RuleViolationError);
    expect(repository.createRegistration).not.toHaveBeenCalled();
  });

  it('passes the 409 on when the person has an open request', async () => {
    const repository = fakeRepository({
      getProfile: vi.fn(async () => profile),
      createRegistration: vi.fn(async () => {
        throw new ConflictError('open');
      }),
    });
    const workflow = fakeWorkflow();

    await expect(
      submitRegistration(apiDeps(repository, workflow), caller(), { data: data() }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(workflow.startExecution).not.toHaveBeenCalled();
  });

  it('closes the request and fails when the workflow cannot be started', async () => {
    const close = vi.fn(async () => true);
    const repository = fakeRepository({
      getProfile: vi.fn(async () => profile),
      createRegistration: vi.fn(async () => undefined),
      close,
    });
    const workflow = fakeWorkflow({
      startExecution: vi.fn(async () => {
        throw new Error('states unavailable');
      }),
    });

    await expect(
      submitRegistration(apiDeps(repository, workflow), caller(), { data: data() }),
    ).rejects.toThrow('states unavailable');
    expect(close).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ event: 'failed', status: 'EXPIRED' }),
    );
  });
});

describe('preferredLocale', () => {
  it.each([
    ['fr-BE,fr;q=0.9,en;q=0.8', 'fr'],
    ['es, nl;q=0.5', 'nl'],
    ['en;q=0.1, de;q=0.9', 'de'],
    ['es, it', undefined],
    ['nl;q=0', undefined],
    [undefined, undefined],
  ])('picks %j as %j', (header, expected) => {
    expect(preferredLocale(header)).toBe(expected);
  });
});
