/**
 * Use case: a registration officer creates a native account after checking the person's identity
 * documents in person.
 *
 * 1. The person: by INSZ (must be in the person register; reuses the person already holding it,
 *    e.g. from an earlier itsme login), or new with a BIS number issued on the spot through the BIS
 *    context's own issuing path (`approveWithBisNumber`: a registration created and approved by the
 *    officer, with its history, register entry and INSZ link).
 * 2. One transaction: account marker + identity link `('native', username)` + person.
 * 3. The first code card, then the Cognito user (AdminCreateUser, temporary password, no Cognito
 *    mail). If Cognito fails, the account records are removed again.
 * 4. The activation mail (username + temporary password); the card comes in its own mail.
 */
import { ConflictError, RuleViolationError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import type { PersonData } from '#shared/http/schemas';
import { type Locale, resolveLocale } from '#shared/mail-templates';
import { approveWithBisNumber } from '../bis/issue-bis-number.ts';
import type { BisRegistration, HistoryEntry, PendingDecision } from '../bis/registration.ts';
import { generateNativeUserName } from '../identity/native-user.ts';
import { generateTemporaryPassword } from './cognito-users.ts';
import { issueCardFor } from './issue-code-card.ts';
import type { AccountPerson, NativeAccount } from './native-repository.ts';
import type { NativeDeps } from './ports.ts';

/** The request: a known INSZ, or the person data for a BIS number on the spot. */
export type CreateAccountInput = { email: string; locale?: Locale | undefined } & (
  | { insz: string; person?: undefined }
  | { person: Omit<PersonData, 'email'>; insz?: undefined }
);

/** `201` body. */
export interface CreatedAccount {
  personId: string;
  username: string;
  insz: string;
}

/**
 * Creates the account.
 * @throws RuleViolationError (422) when the INSZ is not in the person register
 * @throws ConflictError (409) when the person already has a native account
 */
export async function createNativeAccount(
  deps: NativeDeps,
  officer: Caller,
  input: CreateAccountInput,
): Promise<CreatedAccount> {
  const locale = resolveLocale(input.locale);
  const now = deps.now().toISOString();
  const username = (deps.newUsername ?? generateNativeUserName)();

  let person: AccountPerson;
  let holder: string;
  let insz: string | undefined;
  if (input.insz !== undefined) {
    const entry = await deps.register.findPerson(input.insz);
    if (!entry) {
      throw new RuleViolationError('This national number is not in the person register.');
    }
    holder = `${entry.givenNames} ${entry.familyName}`;
    insz = input.insz;
    const existing = await deps.accounts.findPersonByInsz(input.insz);
    if (existing) {
      if (await deps.accounts.getAccount(existing)) {
        throw new ConflictError('This person already has an account. Issue a new code card instead.');
      }
      person = { kind: 'existing', personId: existing };
    } else {
      person = {
        kind: 'new',
        profile: {
          type: 'person',
          personId: deps.newId(),
          givenNames: entry.givenNames,
          familyName: entry.familyName,
          birthDate: entry.birthDate,
          insz: input.insz,
          email: input.email,
          locale,
          createdAt: now,
          updatedAt: now,
        },
      };
    }
  } else {
    const data = input.person;
    holder = `${data.givenNames} ${data.familyName}`;
    person = {
      kind: 'new',
      profile: {
        type: 'person',
        personId: deps.newId(),
        givenNames: data.givenNames,
        familyName: data.familyName,
        birthDate: data.birthDate,
        ...(data.sex ? { sex: data.sex } : {}),
        nationality: data.nationality,
        placeOfBirth: data.placeOfBirth,
        address: data.address,
        email: input.email,
        phone: data.phone,
        locale,
        createdAt: now,
        updatedAt: now,
      },
    };
  }
  const personId = person.kind === 'existing' ? person.personId : person.profile.personId;
  const account: NativeAccount = {
    personId,
    username,
    email: input.email,
    locale,
    holder,
    createdBy: officer.personId,
    createdAt: now,
  };
  await deps.accounts.createAccount(account, person);

  try {
    if (input.person !== undefined) {
      insz = await issueBisOnTheSpot(
        deps,
        officer,
        personId,
        { ...input.person, email: input.email },
        locale,
      );
    }
    await issueCardFor(deps, account);
    const temporaryPassword = (deps.newTemporaryPassword ?? generateTemporaryPassword)();
    await deps.cognito.createUser({ username, email: input.email, temporaryPassword });
    await deps.mailer.send({
      to: input.email,
      template: 'native-account-activation',
      locale,
      data: { username, temporaryPassword, validityDays: String(deps.temporaryPasswordValidityDays) },
      idempotencyKey: `${username}:native-account-activation`,
    });
  } catch (error) {
    deps.logger.error('native account could not be completed, removing it', { personId, error });
    await deps.accounts.removeAccount(personId, username).catch((cleanup: unknown) => {
      deps.logger.error('native account removal failed', { personId, error: cleanup });
    });
    throw error;
  }
  deps.logger.info('native account created', { personId, createdBy: officer.personId });
  return { personId, username, insz: insz as string };
}

/**
 * A BIS number for a person the officer identified in person: a BIS registration created already
 * decided (approved by the officer), then the BIS context's own approval, which issues the number,
 * writes the register entry and the INSZ link and sets it on the profile.
 */
async function issueBisOnTheSpot(
  deps: NativeDeps,
  officer: Caller,
  personId: string,
  data: PersonData,
  locale: Locale,
): Promise<string> {
  const at = deps.now().toISOString();
  const decision: PendingDecision = {
    decisionId: deps.newId(),
    decision: 'approve',
    decidedBy: officer.personId,
    decidedAt: at,
  };
  const registration: BisRegistration = {
    registrationId: deps.newId(),
    personId,
    status: 'PENDING_REVIEW',
    data,
    locale,
    round: 1,
    createdAt: at,
    updatedAt: at,
    decision,
    waiting: false,
  };
  const submitted: HistoryEntry = {
    entryId: deps.newId(),
    at,
    event: 'submitted',
    status: 'PENDING_REVIEW',
    actor: 'agent',
    actorId: officer.personId,
    reason: 'Identity documents checked in person at a registration office',
  };
  await deps.bis.createRegistration(registration, submitted);
  return approveWithBisNumber(
    { repository: deps.bis, now: deps.now, logger: deps.logger },
    registration,
    decision,
  );
}
