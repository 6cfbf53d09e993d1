import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  vi.stubEnv('TABLE_NAME', 'native-login-unit-table');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

import { loadIdentityConfig } from '#identity/config';
import { mapCognitoUser } from '#identity/identity-mapping';
import type { PersonRepository } from '#identity/person-repository';
import { createPreSignUpHandler } from '#identity/pre-sign-up';
import { createPreTokenGenerationHandler } from '#identity/pre-token-generation';
import { keys } from '#shared/keys';
import {
  NATIVE_USERNAME,
  nativePreTokenGenerationEvent,
  nativeUserAttributes,
  preSignUpEvent,
  VALID_INSZ,
} from '#test/helpers/cognito-events';

const PERSON = '01JNXQ5Z6W8K3M4N5P6Q7R8S9T';
const NOW = new Date('2026-03-01T12:00:00.000Z');
const config = loadIdentityConfig({});
const silent = { info: () => {}, warn: () => {}, error: () => {} };

function repositoryWith(linkedPersonId: string | undefined): PersonRepository & { refs: unknown[] } {
  const refs: unknown[] = [];
  return {
    refs,
    async findLinks(identity) {
      refs.push(identity);
      return linkedPersonId ? { identity: { personId: linkedPersonId } } : {};
    },
    async readCapacity(personId, orgCodes, withProfile) {
      const items = [
        { ...keys.person(personId), personId, insz: VALID_INSZ },
        { ...keys.membership(personId, '0123456749'), orgCode: '0123456749', localAdministrator: true },
        {
          ...keys.grant(personId, '0123456749', 'TAXONWEB', 'reader'),
          orgCode: '0123456749',
          application: 'TAXONWEB',
          role: 'reader',
          validUntil: '2027-01-01T00:00:00.000Z',
        },
      ];
      const wanted = (item: { SK: string }) =>
        (withProfile && item.SK === 'PROFILE') || orgCodes.some((orgCode) => item.SK.includes(`#${orgCode}`));
      return { items: items.filter(wanted), firstMemberships: withProfile ? ['0123456749'] : [] };
    },
    recordCapacityHint: vi.fn(async () => {}),
    createPerson: vi.fn(async () => 'done' as const),
    linkIdentity: vi.fn(async () => 'done' as const),
    linkVerifiedInsz: vi.fn(async () => 'done' as const),
    displaceWeakHolder: vi.fn(async () => 'done' as const),
    recordLogin: vi.fn(async () => {}),
    claimPendingMemberships: vi.fn(async () => true),
  };
}

describe('native login mapping', () => {
  it('maps a generated username with a confirmed status to a native identity', () => {
    const identity = mapCognitoUser(
      { userName: 'EA-K7M2P9QX4T', userAttributes: nativeUserAttributes() },
      config,
    );

    expect(identity).toEqual({ provider: 'native', subject: NATIVE_USERNAME, loa: 'substantial' });
  });

  it('refuses other operator-created users as before', () => {
    expect(() =>
      mapCognitoUser({ userName: 'local-admin', userAttributes: nativeUserAttributes() }, config),
    ).toThrow(expect.objectContaining({ reason: 'unknown-provider' }));
  });
});

describe('pre-token-generation for native users', () => {
  it('puts loa substantial, idp native, the linked person, roles and admin_of in both tokens', async () => {
    const repository = repositoryWith(PERSON);
    const handler = createPreTokenGenerationHandler({ config, repository, logger: silent, now: () => NOW });

    const event = await handler(nativePreTokenGenerationEvent());

    const details = event.response.claimsAndScopeOverrideDetails;
    const common = {
      person_id: PERSON,
      loa: 'substantial',
      idp: 'native',
      org: '0123456749',
      org_name: '0123456749',
      roles: ['TAXONWEB:reader:0123456749'],
      admin_of: ['0123456749'],
    };
    expect(details.idTokenGeneration?.claimsToAddOrOverride).toEqual({ ...common, insz: VALID_INSZ });
    expect(details.accessTokenGeneration?.claimsToAddOrOverride).toEqual(common);
    expect(repository.refs).toEqual([{ provider: 'native', subject: NATIVE_USERNAME }]);
  });

  it('refuses a native login without an identity link and never creates a person', async () => {
    const repository = repositoryWith(undefined);
    const handler = createPreTokenGenerationHandler({ config, repository, logger: silent, now: () => NOW });

    await expect(handler(nativePreTokenGenerationEvent())).rejects.toMatchObject({
      reason: 'unknown-provider',
      message: expect.stringContaining('registration office'),
    });
    expect(repository.createPerson).not.toHaveBeenCalled();
  });

  it('lets AdminCreateUser of a native account through pre sign-up', async () => {
    const handler = createPreSignUpHandler({ config, logger: silent });
    const event = preSignUpEvent({
      provider: 'eidas',
      userName: NATIVE_USERNAME,
      triggerSource: 'PreSignUp_AdminCreateUser',
    });

    await expect(handler(event)).resolves.toBe(event);
  });
});
