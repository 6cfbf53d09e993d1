/**
 * Identity integrity end to end on the sandbox (`npm start`'s entry as a child process, HTTP only,
 * real federated logins through the real triggers): the attacks of issue 12 refused, a national
 * number linked on a register match with what eIDAS asserted (Latin transliteration), a refused join
 * told to the holder, "connect another login" joining two persons, and the notices job mailing each
 * notice once.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EIDAS,
  ITSME_NATIONAL_NUMBER,
  type SandboxProcess,
  startSandboxProcess,
} from '#test/helpers/sandbox';

/** Seeded register persons (local/seed/persons.json). */
const ZOE = { givenNames: 'Zoë', familyName: 'Van den Broeck', birthDate: '1992-06-30', insz: '92063004163' };
const GUENTHER = {
  givenNames: 'Günther',
  familyName: 'Müller',
  birthDate: '1968-01-21',
  insz: '68012138631',
};

let sandbox: SandboxProcess;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
});

afterAll(() => {
  sandbox?.kill();
});

const eidas = (
  givenNames: string,
  familyName: string,
  birthDate: string,
  country = 'NL',
  subject: string = randomUUID(),
) => ({
  [`${EIDAS}PersonIdentifier`]: `${country}/BE/${subject}`,
  [`${EIDAS}CurrentGivenName`]: givenNames,
  [`${EIDAS}CurrentFamilyName`]: familyName,
  [`${EIDAS}DateOfBirth`]: birthDate,
  [`${EIDAS}Nationality`]: country,
});

const zoeItsme = {
  given_name: ZOE.givenNames,
  family_name: ZOE.familyName,
  birthdate: ZOE.birthDate,
  email: 'zoe.vandenbroeck@example.be',
  [ITSME_NATIONAL_NUMBER]: ZOE.insz,
};

const stated = (p: typeof ZOE) => ({
  insz: p.insz,
  givenNames: p.givenNames,
  familyName: p.familyName,
  birthDate: p.birthDate,
});

const personOf = (idToken: string) => String(decodeJwt(idToken).person_id);

describe('identity integrity on the sandbox', () => {
  it('refuses the takeover, links on an asserted match, tells the holder, and joins after proof of both logins', async () => {
    const zoe = await sandbox.accessTokenOf('itsme', zoeItsme);
    const zoePerson = personOf(zoe);

    // Mallory knows Zoë's number, names and birth date; her eIDAS login asserts her own.
    const mallory = await sandbox.accessTokenOf('eidas', eidas('Mallory', 'Evil', '1990-01-01'));
    const attack = await sandbox.call('POST', '/me/insz', { token: mallory, body: stated(ZOE) });
    expect(attack.status).toBe(422);
    expect((await sandbox.call('GET', '/me', { token: zoe })).body).toMatchObject({
      personId: zoePerson,
      insz: ZOE.insz,
      inszEvidence: 'itsme-eid',
    });

    // Günther's eIDAS node asserts the Latin transliteration of the register's names.
    const guenther = await sandbox.accessTokenOf(
      'eidas',
      eidas('GUENTHER', 'MUELLER', GUENTHER.birthDate, 'DE', 'GUENTHER-1'),
    );
    const linked = await sandbox.call('POST', '/me/insz', { token: guenther, body: stated(GUENTHER) });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    const guentherMe = await sandbox.call('GET', '/me', { token: guenther });
    expect(guentherMe.body).toMatchObject({ insz: GUENTHER.insz, inszEvidence: 'register-match' });

    // Zoë's own eIDAS login (another person so far) proves her data but the number is in use: no join.
    const zoeEidasAttributes = eidas('ZOE', 'VAN DEN BROECK', ZOE.birthDate);
    const zoeEidas = await sandbox.accessTokenOf('eidas', zoeEidasAttributes);
    const refused = await sandbox.call('POST', '/me/insz', { token: zoeEidas, body: stated(ZOE) });
    expect(refused.status).toBe(409);
    const zoeActivity = await sandbox.call('GET', '/me/activity', { token: zoe });
    expect(zoeActivity.body.items?.map((entry) => entry.event)).toContain('join-refused');

    // Connect: intent from the eIDAS login, confirmed by a fresh itsme login of the same person.
    const started = await sandbox.call('POST', '/me/connections', { token: zoeEidas });
    expect(started.status).toBe(201);
    const connectionId = String(started.body.connectionId);
    const zoeAgain = await sandbox.accessTokenOf('itsme', zoeItsme);
    const shown = await sandbox.call('GET', `/me/connections/${connectionId}`, { token: zoeAgain });
    expect(shown.body).toMatchObject({ provider: 'eidas', givenNames: 'ZOE', familyName: 'VAN DEN BROECK' });
    const joined = await sandbox.call('POST', `/me/connections/${connectionId}`, { token: zoeAgain });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body.personId).toBe(zoePerson);
    const replay = await sandbox.call('POST', `/me/connections/${connectionId}`, { token: zoeAgain });
    expect(replay.status).toBe(404);

    // The eIDAS login now signs in to Zoë's person, with her number.
    const next = await sandbox.idTokenOf('eidas', zoeEidasAttributes);
    expect(decodeJwt(next)).toMatchObject({ person_id: zoePerson, insz: ZOE.insz });

    // Zoë's address hears of the refused join and of the join, once, however often the job runs.
    const first = await sandbox.call('POST', '/local/jobs/identity-notices');
    expect(first.status).toBe(200);
    await sandbox.call('POST', '/local/jobs/identity-notices');
    const mails = (await sandbox.outbox()).filter((mail) => mail.to === zoeItsme.email);
    const subjects = mails.map((mail) => mail.subject);
    expect(
      subjects.filter((subject) => /tried to link your national number/.test(subject ?? '')),
    ).toHaveLength(1);
    expect(subjects.filter((subject) => /logins were connected/.test(subject ?? ''))).toHaveLength(1);
    for (const mail of mails) expect(mail.text).not.toContain(ZOE.insz);
  });

  it('suspends a weak holder when a verified login takes the number, and a security officer lifts it once', async () => {
    // Günther linked his number through his eIDAS login (register-match) in the test above; if this
    // test runs alone, link it now.
    const weakAttributes = eidas('GUENTHER', 'MUELLER', GUENTHER.birthDate, 'DE', 'GUENTHER-1');
    const weak = await sandbox.accessTokenOf('eidas', weakAttributes);
    const weakPerson = personOf(weak);
    await sandbox.call('POST', '/me/insz', { token: weak, body: stated(GUENTHER) });
    expect((await sandbox.call('GET', '/me', { token: weak })).body).toMatchObject({ insz: GUENTHER.insz });

    // itsme verifies the number: it outranks the register match.
    const verified = await sandbox.idTokenOf('itsme', {
      given_name: GUENTHER.givenNames,
      family_name: GUENTHER.familyName,
      birthdate: GUENTHER.birthDate,
      [ITSME_NATIONAL_NUMBER]: GUENTHER.insz,
    });
    expect(personOf(verified)).not.toBe(weakPerson);
    expect(decodeJwt(verified).insz).toBe(GUENTHER.insz);
    const suspended = await sandbox.call('GET', '/me', { token: weak });
    expect(suspended.body).toMatchObject({ insz: null, suspended: true });

    // A security officer finds the case and lifts the suspension, once.
    const officerAttributes = {
      given_name: 'Jan',
      family_name: 'Peeters',
      birthdate: '1979-11-02',
      [ITSME_NATIONAL_NUMBER]: '79110222494',
    };
    const officerPerson = personOf(await sandbox.accessTokenOf('itsme', officerAttributes));
    await sandbox.call('POST', '/local/groups', {
      body: { personId: officerPerson, group: 'security-officers' },
    });
    const officer = await sandbox.accessTokenOf('itsme', officerAttributes);
    const cases = await sandbox.call('GET', '/security/identity-cases?status=OPEN', { token: officer });
    expect(cases.status).toBe(200);
    const identityCase = cases.body.items?.find((item) => item.suspendedPersonId === weakPerson);
    expect(identityCase).toBeDefined();
    const path = `/security/identity-cases/${String(identityCase?.caseId)}/resolution`;
    const body = { resolution: 'lift-suspension', reason: 'Same person, checked by phone and eID' };
    expect((await sandbox.call('POST', path, { token: officer, body })).status).toBe(200);
    expect((await sandbox.call('POST', path, { token: officer, body })).status).toBe(409);
    expect((await sandbox.call('GET', '/me', { token: weak })).body).toMatchObject({
      insz: null,
      suspended: false,
    });
    const activity = await sandbox.call('GET', '/me/activity', { token: weak });
    expect(activity.body.items?.map((entry) => entry.event)).toEqual(
      expect.arrayContaining(['insz-suspended', 'suspension-resolved']),
    );
  });
});
