import { describe, expect, it } from 'vitest';
import { bisHistoryItem, readBisHistoryEntry, readBisRegistration } from '#shared/items/bis-registration';
import { readCodeCard } from '#shared/items/code-card';
import { foreignRegistrationItem, readForeignRegistration } from '#shared/items/foreign-registration';
import { readConnection, readIdentityCase, readNotice } from '#shared/items/identity';
import { readCapacityHint, readIdentityLink } from '#shared/items/identity-link';
import { readInszLink } from '#shared/items/insz-link';
import { readMembership, readMembershipOrigin } from '#shared/items/membership';
import { readNativeAccount, readPendingAccount } from '#shared/items/native-account';
import {
  organisationCaseItem,
  organisationNameOf,
  readOrganisation,
  readOrganisationCase,
} from '#shared/items/organisation';
import {
  membershipOrgCode,
  profileOf,
  readCapacityChoice,
  readPartitionMembership,
  readPersonId,
  readPersonProfile,
  readStoredProfile,
} from '#shared/items/person';
import {
  grantNoticeItem,
  readGrantNotice,
  readRightRequest,
  rightRequestItem,
} from '#shared/items/right-request';
import { StoredItemError } from '#shared/items/stored-item-error';
import { keyOf } from '#shared/keys';
import { readActivityEntry } from '#shared/person-activity';

const address = () => ({
  street: 'Wetstraat',
  houseNumber: '16',
  postalCode: '1000',
  city: 'Brussel',
  country: 'BE',
});

const organisationItem = (): Record<string, unknown> => ({
  PK: 'ORG#0123456789',
  SK: 'PROFILE',
  type: 'organisation',
  orgCode: '0123456789',
  name: 'Acme',
  country: 'BE',
  kind: 'belgian',
  enterpriseNumber: '0123456789',
  createdAt: '2026-05-01T08:00:00.000Z',
  administratorCount: 2,
});

const foreignRegistration = () => ({
  registrationId: 'r1',
  personId: 'p1',
  status: 'PENDING_REVIEW' as const,
  name: 'Acme GmbH',
  country: 'DE',
  registrationNumber: 'HRB1',
  address: { ...address(), country: 'DE' },
  orgCode: 'FOREIGN-DE-HRB1',
  uploadId: 'u1',
  email: 'a@example.org',
  locale: 'de' as const,
  createdAt: '2026-05-01T08:00:00.000Z',
  updatedAt: '2026-05-01T08:00:00.000Z',
  waiting: false,
});

const personData = () => ({
  givenNames: 'Anna',
  familyName: 'Peeters',
  birthDate: '1990-01-01',
  nationality: 'NL',
  placeOfBirth: 'Utrecht',
  address: address(),
  email: 'anna@example.org',
  phone: '+32470000000',
});

const rightRequest = () => ({
  requestId: 'q1',
  personId: 'p1',
  orgCode: '0123456789',
  application: 'app',
  role: 'reader',
  requester: { givenNames: 'Anna', familyName: 'Peeters' },
  status: 'PENDING' as const,
  locale: 'nl' as const,
  createdAt: '2026-05-01T08:00:00.000Z',
  updatedAt: '2026-05-01T08:00:00.000Z',
  waiting: false,
});

const codeCardItem = (): Record<string, unknown> => ({
  username: 'u1',
  personId: 'p1',
  cardId: 'c1',
  version: 1,
  salt: 'salt',
  hashes: ['h1', 'h2'],
  kdf: { N: 16384, r: 8, p: 1 },
  createdAt: '2026-05-01T08:00:00.000Z',
});

function storedItemError(read: () => unknown): StoredItemError {
  try {
    read();
  } catch (error) {
    if (error instanceof StoredItemError) return error;
    throw error;
  }
  throw new Error('the reader did not throw');
}

describe('item schemas', () => {
  it('reads an organisation without its keys and storage fields when the item is complete', () => {
    // Act
    const organisation = readOrganisation(organisationItem());

    // Assess
    expect(organisation).toStrictEqual({
      orgCode: '0123456789',
      name: 'Acme',
      country: 'BE',
      kind: 'belgian',
      enterpriseNumber: '0123456789',
      createdAt: '2026-05-01T08:00:00.000Z',
      administratorCount: 2,
    });
  });

  it('reads an empty optional text as absent and fills the defaults when fields are empty or missing', () => {
    // Prepare
    const { kind: _kind, administratorCount: _count, ...item } = organisationItem();

    // Act
    const organisation = readOrganisation({ ...item, enterpriseNumber: '', registrationNumber: '' });

    // Assess
    expect(organisation).not.toHaveProperty('enterpriseNumber');
    expect(organisation).not.toHaveProperty('registrationNumber');
    expect(organisation.kind).toBe('belgian');
    expect(organisation.administratorCount).toBe(0);
  });

  it('throws an error naming the item type and the field when a required field is missing', () => {
    // Prepare
    const { name: _name, ...item } = organisationItem();

    // Act
    const error = storedItemError(() => readOrganisation(item));

    // Assess
    expect(error.itemType).toBe('organisation');
    expect(error.field).toBe('name');
    expect(error.message).toBe('Stored organisation item does not match its schema: name: expected string');
  });

  it('names the nested field and never repeats the stored value when a nested field is wrong', () => {
    // Prepare
    const item = { ...foreignRegistrationItem(foreignRegistration()), address: { ...address(), city: 42 } };

    // Act
    const error = storedItemError(() => readForeignRegistration(item));

    // Assess
    expect(error.field).toBe('address.city');
    expect(error.message).not.toContain('42');
  });

  it('throws on a status outside the stored vocabulary', () => {
    // Act
    const error = storedItemError(() =>
      readForeignRegistration({ ...foreignRegistrationItem(foreignRegistration()), status: 'LOST' }),
    );

    // Assess
    expect(error.field).toBe('status');
  });

  it('reads back what the builder wrote, waiting while a task token is stored', () => {
    // Prepare
    const registration = foreignRegistration();
    const item = { ...foreignRegistrationItem(registration), taskToken: 'token' };

    // Act
    const read = readForeignRegistration(item);

    // Assess
    expect(item).not.toHaveProperty('waiting');
    expect(read).toStrictEqual({ ...registration, waiting: true });
  });

  it('resolves the stored locale and reads an unknown one as the default', () => {
    // Act
    const read = readForeignRegistration({ ...foreignRegistrationItem(foreignRegistration()), locale: 'xx' });

    // Assess
    expect(read.locale).toBe('en');
  });

  it('reads an organisation case opened by the builder, its resolution absent', () => {
    // Act
    const read = readOrganisationCase(
      organisationCaseItem({ orgCode: 'o1', personId: 'p1', kind: 'representative-lapsed', openedAt: 'now' }),
    );

    // Assess
    expect(read).toStrictEqual({
      orgCode: 'o1',
      personId: 'p1',
      kind: 'representative-lapsed',
      status: 'OPEN',
      openedAt: 'now',
    });
  });

  it('reads an organisation name from a projection, the code when there is none', () => {
    // Assess
    expect(organisationNameOf({ name: 'Acme' }, 'o1')).toBe('Acme');
    expect(organisationNameOf({ name: '' }, 'o1')).toBe('o1');
    expect(organisationNameOf(undefined, 'o1')).toBe('o1');
  });

  it('reads a BIS registration in its first round when the item has no round', () => {
    // Act
    const read = readBisRegistration({
      registrationId: 'b1',
      personId: 'p1',
      status: 'PENDING_REVIEW',
      data: personData(),
      createdAt: 'then',
      updatedAt: 'then',
      reason: '',
    });

    // Assess
    expect(read).toStrictEqual({
      registrationId: 'b1',
      personId: 'p1',
      status: 'PENDING_REVIEW',
      data: personData(),
      locale: 'en',
      round: 1,
      createdAt: 'then',
      updatedAt: 'then',
      waiting: false,
    });
  });

  it('throws naming the field when the person data of a BIS registration lacks a name', () => {
    // Prepare
    const { givenNames: _givenNames, ...data } = personData();

    // Act
    const error = storedItemError(() =>
      readBisRegistration({ registrationId: 'b1', personId: 'p1', status: 'PENDING_REVIEW', data }),
    );

    // Assess
    expect(error.itemType).toBe('bisRegistration');
    expect(error.field).toBe('data.givenNames');
  });

  it('reads back a history entry the builder wrote', () => {
    // Prepare
    const entry = {
      entryId: 'e1',
      at: 'now',
      event: 'submitted' as const,
      status: 'PENDING_REVIEW' as const,
      actor: 'applicant' as const,
    };

    // Act & Assess
    expect(readBisHistoryEntry(bisHistoryItem('b1', entry))).toStrictEqual(entry);
  });

  it('reads back a right request the builder wrote, with empty names when the requester had none', () => {
    // Prepare
    const request = rightRequest();
    const { requester: _requester, ...withoutRequester } = rightRequestItem(request);

    // Assess
    expect(readRightRequest(rightRequestItem(request))).toStrictEqual(request);
    expect(readRightRequest({ ...withoutRequester, justification: '' }).requester).toStrictEqual({
      givenNames: '',
      familyName: '',
    });
  });

  it('reads a grant notice never sent with no attempts', () => {
    // Prepare
    const notice = {
      grantId: 'g1',
      kind: 'expiring' as const,
      personId: 'p1',
      orgCode: 'o1',
      application: 'app',
      role: 'reader',
      validUntil: 'later',
      createdAt: 'now',
      attempts: 3,
    };

    // Act
    const read = readGrantNotice(grantNoticeItem(notice));

    // Assess
    expect(read).toStrictEqual({ ...notice, attempts: 0 });
  });

  it('reads the defaults of an account and a pending account when optional fields are missing', () => {
    // Assess
    expect(readNativeAccount('p1', { username: 'u1' })).toStrictEqual({
      personId: 'p1',
      username: 'u1',
      email: '',
      locale: 'en',
      holder: '',
      createdBy: '',
      createdAt: '',
    });
    expect(
      readPendingAccount({
        pendingId: 'x1',
        status: 'PENDING',
        personId: 'p1',
        insz: '90010112345',
        email: 'a@example.org',
        requestedBy: 'p2',
        createdAt: 'now',
        confirmedBy: '',
      }),
    ).toStrictEqual({
      pendingId: 'x1',
      status: 'PENDING',
      personId: 'p1',
      insz: '90010112345',
      email: 'a@example.org',
      locale: 'en',
      holder: '',
      requestedBy: 'p2',
      createdAt: 'now',
    });
  });
});

describe('zod-free item readers', () => {
  it('reads a code card, its empty lock as absent', () => {
    // Act
    const card = readCodeCard({ ...codeCardItem(), lockedUntil: '', failures: 2 });

    // Assess
    expect(card).toStrictEqual({ ...codeCardItem(), failures: 2 });
  });

  it('reads a card with unusable hash material as no card', () => {
    // Assess
    expect(readCodeCard({ ...codeCardItem(), hashes: 'h1' })).toBeUndefined();
  });

  it('throws naming the field when a code card has no person', () => {
    // Prepare
    const { personId: _personId, ...item } = codeCardItem();

    // Act
    const error = storedItemError(() => readCodeCard(item));

    // Assess
    expect(error.itemType).toBe('codeCard');
    expect(error.field).toBe('personId');
  });

  it('reads a person profile: non-empty text only, the person id required', () => {
    // Assess
    expect(readPersonProfile({ givenNames: 'Anna', familyName: '', locale: 'nl', insz: 7 })).toStrictEqual({
      givenNames: 'Anna',
      locale: 'nl',
    });
    expect(readPersonId({ personId: 'p1' })).toBe('p1');
    expect(storedItemError(() => readPersonId({})).field).toBe('personId');
  });

  it('reads a membership and how it came about, nothing for an item that is not one', () => {
    // Prepare
    const item = { personId: 'p1', orgCode: 'o1', localAdministrator: true, registerDerived: true };

    // Assess
    expect(readMembership(item)).toStrictEqual({
      personId: 'p1',
      orgCode: 'o1',
      name: 'o1',
      localAdministrator: true,
      legalRepresentative: false,
    });
    expect(readMembershipOrigin(item)).toStrictEqual({ createdAt: '', registerDerived: true });
    expect(readMembership({ orgCode: 'o1' })).toBeUndefined();
  });

  it('reads a national-number link, nothing when it names no person', () => {
    // Assess
    expect(readInszLink({ personId: 'p1', evidence: '', loa: 'high' })).toStrictEqual({
      personId: 'p1',
      loa: 'high',
    });
    expect(readInszLink({ evidence: 'x' })).toBeUndefined();
    expect(readInszLink(undefined)).toBeUndefined();
  });

  it('reads the whole profile for its owner: sets, capacity choice, suspension and asserted details', () => {
    // Prepare
    const item = {
      PK: 'PERSON#p1',
      SK: 'PROFILE',
      personId: 'p1',
      insz: '85073003328',
      givenNames: 'Anna',
      familyName: '',
      providers: new Set(['itsme', 'eidas']),
      identityLinks: ['itsme#s1', 7],
      capacity: { orgCode: null, chosenAt: '2026-01-01' },
      suspension: { caseId: 'case-1' },
      mergedInto: '',
      sex: 'F',
      address: { street: 'Wetstraat', city: '', country: 'BE', extra: 'x' },
    };

    // Act
    const profile = readStoredProfile(item);

    // Assess
    expect(profile).toStrictEqual({
      personId: 'p1',
      insz: '85073003328',
      givenNames: 'Anna',
      providers: ['itsme', 'eidas'],
      identityLinks: ['itsme#s1'],
      capacityChoice: null,
      suspended: true,
      suspensionCaseId: 'case-1',
      sex: 'F',
      address: { street: 'Wetstraat', country: 'BE' },
    });
    expect(profileOf([{ SK: 'GRANT#x', personId: 'p2' }, item])?.personId).toBe('p1');
    expect(readStoredProfile({ ...item, personId: '' })).toBeUndefined();
    expect(readStoredProfile(undefined)).toBeUndefined();
    expect(readStoredProfile({ personId: 'p1', suspension: 'yes' })).toMatchObject({
      suspended: true,
      capacityChoice: undefined,
    });
    expect(readStoredProfile({ personId: 'p1', suspension: 'yes' })).not.toHaveProperty('suspensionCaseId');
    expect(readStoredProfile({ personId: 'p1', suspension: {} })?.suspensionCaseId).toBe('unknown');
    expect(readStoredProfile({ personId: 'p1', suspension: null })?.suspended).toBe(false);
  });

  it('reads capacity hints and choices defensively', () => {
    // Assess
    expect(readCapacityHint(null)).toBeNull();
    expect(readCapacityHint('A')).toBe('A');
    expect(readCapacityHint('')).toBeUndefined();
    expect(readCapacityHint(undefined)).toBeUndefined();
    expect(readCapacityChoice({ orgCode: null })).toBeNull();
    expect(readCapacityChoice({ orgCode: 'A', chosenAt: '2026-01-01' })).toBe('A');
    expect(readCapacityChoice('A')).toBeUndefined();
    expect(readCapacityChoice({})).toBeUndefined();
  });

  it("reads a membership of the person's partition, its organisation from the sort key when not stored", () => {
    // Assess
    expect(readPartitionMembership({ SK: 'MEMBERSHIP#o1', localAdministrator: 'yes' })).toStrictEqual({
      orgCode: 'o1',
      name: 'o1',
      localAdministrator: false,
      legalRepresentative: false,
    });
    expect(
      readPartitionMembership({
        SK: 'MEMBERSHIP#o1',
        orgCode: 'o2',
        name: 'Twee',
        legalRepresentative: true,
      }),
    ).toStrictEqual({ orgCode: 'o2', name: 'Twee', localAdministrator: false, legalRepresentative: true });
    expect(readPartitionMembership({ SK: 'GRANT#o1#KLIP#r', orgCode: 'o1' })).toBeUndefined();
    expect(readPartitionMembership({ SK: 'MEMBERSHIP#' })).toBeUndefined();
    expect(membershipOrgCode({ SK: 'MEMBERSHIP#o3' })).toBe('o3');
    expect(membershipOrgCode({ SK: 'PROFILE' })).toBeUndefined();
  });

  it('reads an identity link: complete assertions only, the capacity hint, nothing without a person', () => {
    // Prepare
    const item = {
      personId: 'p1',
      evidence: 'first-login',
      loa: '',
      cognitoUsername: 'itsme_s1',
      asserted: { givenNames: 'Anna', familyName: 'Peeters', birthDate: '1985-07-30' },
      capacity: 'OVO000001',
    };

    // Assess
    expect(readIdentityLink(item)).toStrictEqual({
      personId: 'p1',
      evidence: 'first-login',
      cognitoUsername: 'itsme_s1',
      asserted: { givenNames: 'Anna', familyName: 'Peeters', birthDate: '1985-07-30' },
      capacity: 'OVO000001',
    });
    expect(
      readIdentityLink({ ...item, asserted: { givenNames: 'Anna', familyName: '' } }),
    ).not.toHaveProperty('asserted');
    expect(readIdentityLink({ ...item, capacity: null })?.capacity).toBeNull();
    expect(readIdentityLink({ evidence: 'x' })).toBeUndefined();
  });

  it('reads an activity entry without its keys, and refuses an event or actor nobody writes', () => {
    // Prepare
    const item = {
      PK: 'PERSON#p1#ACTIVITY',
      SK: 'ACTIVITY#2026-12-01T10:00:00.000Z#e1',
      type: 'activity',
      entryId: 'e1',
      personId: 'p1',
      at: '2026-12-01T10:00:00.000Z',
      event: 'insz-linked',
      actor: 'self',
      evidence: 'register-match',
      reference: '',
    };

    // Assess
    expect(readActivityEntry(item)).toStrictEqual({
      entryId: 'e1',
      personId: 'p1',
      at: '2026-12-01T10:00:00.000Z',
      event: 'insz-linked',
      actor: 'self',
      evidence: 'register-match',
    });
    expect(storedItemError(() => readActivityEntry({ ...item, event: 'became-admin' })).field).toBe('event');
    expect(storedItemError(() => readActivityEntry({ ...item, actor: 'robot' })).field).toBe('actor');
    expect(storedItemError(() => readActivityEntry({ ...item, at: '' })).field).toBe('at');
    expect(readActivityEntry({ ...item, evidence: 'guess' })).not.toHaveProperty('evidence');
  });

  it('reads a key back, and throws naming the attribute when it is missing', () => {
    // Assess
    expect(keyOf({ PK: 'PERSON#p1' }, 'PK')).toBe('PERSON#p1');
    expect(storedItemError(() => keyOf({}, 'GSI2SK')).field).toBe('GSI2SK');
  });
});

describe('identity items (lenient readers)', () => {
  const connection = {
    PK: 'CONNECTION#c1',
    SK: 'CONNECTION',
    connectionId: 'c1',
    personId: 'p1',
    identity: 'itsme#sub-1',
    provider: 'itsme',
    status: 'OPEN',
    createdAt: '2026-12-07T10:00:00.000Z',
    expiresAtIso: '2026-12-07T10:15:00.000Z',
    givenNames: 'Jan',
    familyName: 'Peeters',
  };

  it('reads an intent, and no intent from an item without its ids or with another status', () => {
    expect(readConnection(connection)).toEqual({
      connectionId: 'c1',
      personId: 'p1',
      identity: 'itsme#sub-1',
      provider: 'itsme',
      status: 'OPEN',
      createdAt: '2026-12-07T10:00:00.000Z',
      expiresAtIso: '2026-12-07T10:15:00.000Z',
      givenNames: 'Jan',
      familyName: 'Peeters',
    });
    expect(readConnection({ ...connection, personId: '' })).toBeUndefined();
    expect(readConnection({ ...connection, status: 'EXPIRED' })).toBeUndefined();
    expect(readConnection(undefined)).toBeUndefined();
    expect(readConnection({ ...connection, givenNames: 42 })?.givenNames).toBe('');
  });

  it('reads a case with its defaults and only the optional texts it holds', () => {
    expect(readIdentityCase({ caseId: 'k1', status: 'RESOLVED', reason: 'checked', resolution: '' })).toEqual(
      {
        caseId: 'k1',
        kind: 'verified-identity-conflict',
        status: 'RESOLVED',
        suspendedPersonId: '',
        verifiedPersonId: '',
        provider: '',
        createdAt: '',
        reason: 'checked',
      },
    );
    expect(readIdentityCase({ caseId: 'k2', status: 'whatever' }).status).toBe('OPEN');
  });

  it('reads a notice with only its string data, and no notice without its event', () => {
    const notice = {
      noticeId: 'n1',
      personId: 'p1',
      event: 'role-granted',
      createdAt: '2026-12-07T10:00:00.000Z',
      data: { reference: '0712459852', roleName: 'Beheerder', count: 3 },
      attempts: 2,
    };
    expect(readNotice(notice)).toEqual({
      ...notice,
      data: { reference: '0712459852', roleName: 'Beheerder' },
    });
    expect(readNotice({ ...notice, attempts: 'x', data: null })).toMatchObject({ attempts: 0, data: {} });
    expect(readNotice({ ...notice, event: '' })).toBeUndefined();
    // As the activity writer queues it: no attempts yet.
    expect(readNotice({ noticeId: 'n2', personId: 'p1', event: 'insz-linked' })).toEqual({
      noticeId: 'n2',
      personId: 'p1',
      event: 'insz-linked',
      createdAt: '',
      data: {},
      attempts: 0,
    });
  });
});
