import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

import { createPreSignUpHandler, handler } from '#identity/pre-sign-up';
import { LoginRefusedError } from '#shared/errors';
import { EIDAS_LOA, INVALID_INSZ, preSignUpEvent } from '#test/helpers/cognito-events';

const ddb = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  ddb.reset();
});

describe('pre-sign-up handler', () => {
  it.each(['eidas', 'itsme'] as const)(
    'returns the event unchanged when a valid %s user signs up',
    async (provider) => {
      const event = preSignUpEvent({ provider });
      const expected = structuredClone(event);

      const result = await handler(event);

      expect(result).toEqual(expected);
      expect(ddb).not.toHaveReceivedAnyCommand();
    },
  );

  it.each([
    ['eidas', { 'custom:nationality': 'FR' }, 'refused-nationality'],
    ['eidas', { 'custom:nationality': 'GB' }, 'refused-nationality'],
    ['eidas', { 'custom:loa': EIDAS_LOA.low }, 'insufficient-loa'],
    ['eidas', { 'custom:loa': EIDAS_LOA.notNotifiedHigh }, 'insufficient-loa'],
    ['eidas', { 'custom:eidas_person_id': undefined }, 'missing-attribute'],
    ['eidas', { 'custom:family_name': undefined }, 'missing-attribute'],
    ['eidas', { 'custom:given_name': undefined }, 'missing-attribute'],
    ['eidas', { 'custom:birth_date': undefined }, 'missing-attribute'],
    ['eidas', { 'custom:birth_date': '1964-13-01' }, 'invalid-attribute'],
    ['eidas', { 'custom:eidas_person_id': 'DE/FR/123' }, 'wrong-receiving-country'],
    ['itsme', { 'custom:national_number': INVALID_INSZ }, 'invalid-national-number'],
    ['itsme', { 'custom:birth_date': undefined }, 'missing-attribute'],
  ] as const)('refuses a %s user with %j as %s', async (provider, attributes, reason) => {
    const rejection = handler(preSignUpEvent({ provider, attributes }));

    await expect(rejection).rejects.toBeInstanceOf(LoginRefusedError);
    await expect(rejection).rejects.toMatchObject({ reason });
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it('refuses a user of an unknown external provider', async () => {
    const rejection = handler(preSignUpEvent({ provider: 'itsme', userName: 'Google_1234567890' }));

    await expect(rejection).rejects.toMatchObject({
      reason: 'unknown-provider',
      message:
        '[unknown-provider] This way of logging in is not available here. Please log in with itsme or eIDAS.',
    });
  });

  it.each(['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser'] as const)(
    'passes %s through unchanged without checking attributes',
    async (triggerSource) => {
      const event = preSignUpEvent({ provider: 'eidas', triggerSource, userName: 'operator-created-user' });
      const expected = structuredClone(event);

      expect(await handler(event)).toEqual(expected);
    },
  );

  it('applies the configured policy when it differs from the defaults', async () => {
    const strict = createPreSignUpHandler({
      config: { refusedNationalities: ['DE'], minimumEidasLoa: 'high' },
      logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    });

    await expect(strict(preSignUpEvent({ provider: 'eidas' }))).rejects.toMatchObject({
      reason: 'refused-nationality',
    });
  });

  it('logs the refusal reason but never the identifier or names', async () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const onLogin = createPreSignUpHandler({
      config: { refusedNationalities: ['FR', 'GB'], minimumEidasLoa: 'substantial' },
      logger,
    });

    await expect(
      onLogin(preSignUpEvent({ provider: 'eidas', attributes: { 'custom:nationality': 'FR' } })),
    ).rejects.toThrow();

    expect(logger.info).toHaveBeenCalledWith('login refused', {
      triggerSource: 'PreSignUp_ExternalProvider',
      reason: 'refused-nationality',
    });
    expect(JSON.stringify(logger.info.mock.calls)).not.toMatch(/Mustermann|Erika|1234567890/);
  });

  it('shows a generic message when something unexpected fails', async () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const broken = createPreSignUpHandler({
      // A policy object that throws when read stands in for any unexpected failure.
      config: {
        get refusedNationalities(): string[] {
          throw new Error('boom: internal detail');
        },
        minimumEidasLoa: 'substantial',
      },
      logger,
    });

    const rejection = broken(preSignUpEvent({ provider: 'eidas' }));

    await expect(rejection).rejects.toThrow(
      'We could not complete your login because of a temporary problem. Please try again in a few minutes.',
    );
    expect(logger.error).toHaveBeenCalledOnce();
  });
});

describe('pre-sign-up login metrics', () => {
  it('counts a refused login by its reason on Lambda', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'eid-access-test-pre-sign-up');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    await expect(
      handler(preSignUpEvent({ provider: 'eidas', attributes: { 'custom:nationality': 'FR' } })),
    ).rejects.toThrow();

    const emf = stdout.mock.calls
      .map(([chunk]) => String(chunk))
      .find((line) => line.includes('"LoginRefusals"'));
    stdout.mockRestore();
    expect(JSON.parse(String(emf))).toMatchObject({ LoginRefusals: 1, reason: 'refused-nationality' });
  });
});
