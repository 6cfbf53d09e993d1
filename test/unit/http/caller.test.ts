import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthorizedError } from '#shared/errors';
import {
  authorize,
  type Caller,
  callerFromClaims,
  callerFromEvent,
  hasGroup,
  parseListClaim,
} from '#shared/http/caller';
import { apiEvent, PERSON_IDS, PERSONA_INSZ } from '#test/helpers/api-events';

describe('parseListClaim', () => {
  it.each([
    ['a JSON array', '["bis-agents","security-officers"]'],
    ['the bracketed space form', '[bis-agents security-officers]'],
    ['a comma list', 'bis-agents,security-officers'],
    ['a comma list with spaces', ' bis-agents , security-officers '],
    ['an array', ['bis-agents', 'security-officers']],
  ])('reads every entry when the claim is %s', (_form, value) => {
    expect(parseListClaim(value)).toEqual(['bis-agents', 'security-officers']);
  });

  it('reads one entry when the claim holds a single value', () => {
    expect(parseListClaim('bis-agents')).toEqual(['bis-agents']);
    expect(parseListClaim('[bis-agents]')).toEqual(['bis-agents']);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['an empty JSON array', '[]'],
    ['blank brackets', '[ ]'],
    ['a number', 42],
    ['an object', { a: 'b' }],
  ])('is empty when the claim is %s', (_case, value) => {
    expect(parseListClaim(value)).toEqual([]);
  });

  it('keeps role values with colons intact when the claim lists roles', () => {
    expect(parseListClaim('[EPORTAL:reader:0123456789 TAXONWEB:admin:ORG123]')).toEqual([
      'EPORTAL:reader:0123456789',
      'TAXONWEB:admin:ORG123',
    ]);
  });

  it('drops duplicates and non-string entries when they occur', () => {
    expect(parseListClaim('a,a,b')).toEqual(['a', 'b']);
    expect(parseListClaim(['a', 1, null, 'b'])).toEqual(['a', 'b']);
  });

  it('reads the same list from every string form when entries have no spaces or commas', () => {
    const entry = fc.stringMatching(/^[A-Za-z0-9:_-]{1,20}$/);
    fc.assert(
      fc.property(fc.uniqueArray(entry, { maxLength: 8 }), (entries) => {
        expect(parseListClaim(JSON.stringify(entries))).toEqual(entries);
        expect(parseListClaim(`[${entries.join(' ')}]`)).toEqual(entries);
        expect(parseListClaim(entries.join(','))).toEqual(entries);
      }),
    );
  });
});

describe('callerFromEvent', () => {
  it('reads a plain user when the token has no groups and no INSZ', () => {
    const caller = callerFromEvent(apiEvent({ persona: 'user' }));

    expect(caller).toEqual<Caller>({
      personId: PERSON_IDS.user,
      groups: [],
      idp: 'eidas',
      loa: 'substantial',
      insz: null,
      username: '',
      authTime: 0,
    });
  });

  it('reads the INSZ when the ID token carries one', () => {
    expect(callerFromEvent(apiEvent({ persona: 'userWithInsz' }))).toMatchObject({
      personId: PERSON_IDS.userWithInsz,
      insz: PERSONA_INSZ,
      loa: 'high',
    });
  });

  it.each([
    ['bisAgent', 'bis-agents'],
    ['securityOfficer', 'security-officers'],
  ] as const)('reads the group when the caller is a %s', (persona, group) => {
    expect(callerFromEvent(apiEvent({ persona })).groups).toEqual([group]);
  });

  it.each([
    '["bis-agents","security-officers"]',
    '[bis-agents security-officers]',
    'bis-agents,security-officers',
  ])('reads both groups when cognito:groups is %s', (groups) => {
    const event = apiEvent({ persona: 'user', claims: { 'cognito:groups': groups } });

    expect(callerFromEvent(event).groups).toEqual(['bis-agents', 'security-officers']);
  });

  it('throws UnauthorizedError when no authorizer ran', () => {
    expect(() => callerFromEvent(apiEvent({ persona: 'anonymous' }))).toThrow(UnauthorizedError);
  });

  it('throws UnauthorizedError when person_id is missing', () => {
    const event = apiEvent({ persona: 'user', claims: { person_id: undefined } });

    expect(() => callerFromEvent(event)).toThrow(UnauthorizedError);
  });

  it.each(['', '   ', 'PERSON#01JZ', 'a b', 'x'.repeat(65), '../x'])(
    'throws UnauthorizedError when person_id is %j',
    (personId) => {
      const event = apiEvent({ persona: 'user', claims: { person_id: personId } });

      expect(() => callerFromEvent(event)).toThrow(UnauthorizedError);
    },
  );

  it('throws UnauthorizedError when the insz claim is not 11 digits', () => {
    const event = apiEvent({ persona: 'user', claims: { insz: '85.07.30-033.28' } });

    expect(() => callerFromEvent(event)).toThrow(UnauthorizedError);
  });

  it('reads an empty insz claim as no INSZ', () => {
    expect(callerFromEvent(apiEvent({ persona: 'user', claims: { insz: '' } })).insz).toBeNull();
  });
});

describe('callerFromClaims', () => {
  it.each([null, undefined, 'person_id=1', ['person_id']])(
    'throws UnauthorizedError when claims are %j',
    (claims) => {
      expect(() => callerFromClaims(claims)).toThrow(UnauthorizedError);
    },
  );

  it('reads the login username and auth_time of an access token', () => {
    const caller = callerFromClaims({
      person_id: PERSON_IDS.user,
      username: 'eIDAS_CZ/BE/123',
      auth_time: '1764950400',
    });

    expect(caller.username).toBe('eIDAS_CZ/BE/123');
    expect(caller.authTime).toBe(1_764_950_400);
  });

  it('reads cognito:username of an ID token and a numeric auth_time', () => {
    const caller = callerFromClaims({
      person_id: PERSON_IDS.user,
      'cognito:username': 'ea-k7m2p9qx4t',
      auth_time: 1_764_950_400,
    });

    expect(caller.username).toBe('ea-k7m2p9qx4t');
    expect(caller.authTime).toBe(1_764_950_400);
  });

  it.each(['soon', '-5', '1.5', ''])('treats auth_time %j as unknown (0)', (authTime) => {
    expect(callerFromClaims({ person_id: PERSON_IDS.user, auth_time: authTime }).authTime).toBe(0);
  });
});

describe('authorize', () => {
  const agent = callerFromEvent(apiEvent({ persona: 'bisAgent' }));
  const user = callerFromEvent(apiEvent({ persona: 'user' }));

  it('lets any caller through when the rule is authenticated', () => {
    expect(() => authorize(user, { kind: 'authenticated' })).not.toThrow();
  });

  it('lets a member through when the rule requires their group', () => {
    expect(hasGroup(agent, 'bis-agents')).toBe(true);
    expect(() => authorize(agent, { kind: 'group', group: 'bis-agents' })).not.toThrow();
  });

  it('throws ForbiddenError when the caller is not in the required group', () => {
    expect(() => authorize(user, { kind: 'group', group: 'bis-agents' })).toThrow(ForbiddenError);
    expect(() => authorize(agent, { kind: 'group', group: 'security-officers' })).toThrow(ForbiddenError);
  });
});
