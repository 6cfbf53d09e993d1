/**
 * Use cases: a registration officer creates a native account after checking the person's identity
 * documents in person (docs/data-model.md, "Native accounts"; design item 7 of issue 12).
 *
 * - By INSZ, nobody holds it: the person is created at once with the account; the number's evidence
 *   is `registration-office`.
 * - By INSZ held by an existing person: four eyes. The request is stored as PENDING (with an
 *   `office-account-requested` entry and notice on that person) and answered 202; a DIFFERENT
 *   officer confirms it, which creates the account on that person (identity link evidence
 *   `registration-office`, the number's evidence upgraded when weaker) with an
 *   `office-account-created` entry and a notice to every address the person is known by.
 * - A BIS number on the spot: first a search for a likely duplicate among everyone born that day
 *   (register entries and persons, GSI2 `BORN#<date>`); a likely duplicate is refused (409) unless
 *   the officer gives `duplicateOverride.reason`, recorded in the BIS history and the activity entry.
 *   The number is issued through the BIS context's own approval path (evidence `bis-issued`).
 *
 * After the table: the first code card, the Cognito user (AdminCreateUser) and the activation mail.
 * When one of them fails the account records are removed again (and a confirmation reopened).
 */
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import type { PersonData } from '#shared/http/schemas';
import { type Locale, resolveLocale } from '#shared/locale';
import { generateNativeUserName } from '#shared/native-user';
import type { ActivityEntry, ActivityEvent } from '#shared/person-activity';
import { isLikelyDuplicate } from '#shared/person-register';
import { generateTemporaryPassword } from './cognito-users.ts';
import { issueCardFor } from './issue-code-card.ts';
import type {
  AccountPerson,
  ActivityRecord,
  Confirmation,
  NativeAccount,
  PendingAccount,
} from './native-repository.ts';
import type { NativeDeps } from './ports.ts';

/** The request: a known INSZ, or the person data for a BIS number on the spot. */
export type CreateAccountInput = { email: string; locale?: Locale | undefined } & (
  | { insz: string; person?: undefined; duplicateOverride?: undefined }
  | {
      person: Omit<PersonData, 'email'>;
      insz?: undefined;
      /** The officer's reason to issue a BIS number although a likely duplicate exists. */
      duplicateOverride?: { reason: string } | undefined;
    }
);

/** `201` body. */
export interface CreatedAccount {
  personId: string;
  username: string;
  insz: string;
}

/** `202` body: the account waits for a second officer. */
export interface PendingConfirmation {
  pendingId: string;
  status: 'PENDING_CONFIRMATION';
}

/** What account creation did. */
export type CreateAccountOutcome =
  | { kind: 'created'; account: CreatedAccount }
  | { kind: 'pending'; pending: PendingConfirmation };

/** Refusal of a BIS number on the spot for a likely duplicate: names nobody. */
export const LIKELY_DUPLICATE_MESSAGE =
  'A person with the same name and birth date exists. Check whether this person already has a ' +
  'national or BIS number (then create the account with that number); if this is someone else, ' +
  'repeat with duplicateOverride and the reason.';

/**
 * Creates the account, or (INSZ held by an existing person) asks for a second officer.
 * @throws RuleViolationError (422) when the INSZ is not in the person register
 * @throws ConflictError (409) when the person already has a native account, or a BIS number on the
 *   spot meets a likely duplicate without override
 */
export async function createNativeAccount(
  deps: NativeDeps,
  officer: Caller,
  input: CreateAccountInput,
): Promise<CreateAccountOutcome> {
  const locale = resolveLocale(input.locale);
  const now = deps.now().toISOString();
  const username = (deps.newUsername ?? generateNativeUserName)();

  if (input.insz !== undefined) {
    const entry = await deps.register.findPerson(input.insz);
    if (!entry) {
      throw new RuleViolationError('This national number is not in the person register.');
    }
    const holder = `${entry.givenNames} ${entry.familyName}`;
    const existing = await deps.accounts.findPersonByInsz(input.insz);
    if (existing) {
      if (await deps.accounts.getAccount(existing.personId)) {
        throw new ConflictError('This person already has an account. Issue a new code card instead.');
      }
      const pending: PendingAccount = {
        pendingId: deps.newId(),
        status: 'PENDING',
        personId: existing.personId,
        insz: input.insz,
        email: input.email,
        locale,
        holder,
        requestedBy: officer.personId,
        createdAt: now,
      };
      await deps.accounts.requestAccount(
        pending,
        activity(deps, existing.personId, now, 'office-account-requested', officer, {
          reference: pending.pendingId,
          notify: true,
        }),
      );
      deps.logger.info('office account waits for a second officer', {
        pendingId: pending.pendingId,
        personId: existing.personId,
        requestedBy: officer.personId,
      });
      return { kind: 'pending', pending: { pendingId: pending.pendingId, status: 'PENDING_CONFIRMATION' } };
    }
    const personId = deps.newId();
    const person: AccountPerson = {
      kind: 'new',
      profile: {
        type: 'person',
        personId,
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
    const account = newAccount(personId, username, input.email, locale, holder, officer, now);
    // The activation mail tells the one address a new person has: no notice on top of it.
    const record = activity(deps, personId, now, 'office-account-created', officer, { notify: false });
    await completeAccount(deps, account, person, record);
    await claimWaitingAppointments(deps, personId, input.insz, now, false);
    return { kind: 'created', account: { personId, username, insz: input.insz } };
  }

  const data = input.person;
  const override = input.duplicateOverride?.reason;
  const bornThatDay = await deps.birthDates.findBornOn(data.birthDate);
  const duplicate = bornThatDay.some((candidate) => isLikelyDuplicate(candidate, data));
  if (duplicate && override === undefined) throw new ConflictError(LIKELY_DUPLICATE_MESSAGE);
  if (duplicate) {
    deps.logger.warn('bis number on the spot despite a likely duplicate', { officer: officer.personId });
  }
  const personId = deps.newId();
  const holder = `${data.givenNames} ${data.familyName}`;
  const person: AccountPerson = {
    kind: 'new',
    profile: {
      type: 'person',
      personId,
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
  const account = newAccount(personId, username, input.email, locale, holder, officer, now);
  const record = activity(deps, personId, now, 'office-account-created', officer, {
    notify: false,
    ...(duplicate && override !== undefined ? { reason: `Likely duplicate overridden: ${override}` } : {}),
  });
  const insz = await completeAccount(deps, account, person, record, undefined, () =>
    // The BIS context issues the number through its own approval path (evidence `bis-issued`).
    deps.bisNumbers.issueInPerson({
      personId,
      officerId: officer.personId,
      data: { ...data, email: input.email },
      locale,
      duplicateOverride: duplicate ? override : undefined,
    }),
  );
  return { kind: 'created', account: { personId, username, insz: insz as string } };
}

/**
 * The second officer confirms an account asked for an existing person: the account is created on
 * that person as {@link createNativeAccount} does, with a notice to every address the person is known by.
 * @throws NotFoundError (404) for an unknown pending account
 * @throws ForbiddenError (403) when the officer is the one who asked for it
 * @throws ConflictError (409) when it was confirmed already, the person has an account meanwhile, or
 *   the number changed hands
 */
export async function confirmPendingAccount(
  deps: NativeDeps,
  officer: Caller,
  pendingId: string,
): Promise<CreatedAccount> {
  const pending = await deps.accounts.getPending(pendingId);
  if (!pending) throw new NotFoundError('There is no account request with this id.');
  if (pending.requestedBy === officer.personId) {
    throw new ForbiddenError(
      'A second registration officer must confirm this account, not the one who asked for it.',
    );
  }
  if (pending.status !== 'PENDING')
    throw new ConflictError('This account request was confirmed or cancelled already.');
  const holder = await deps.accounts.findPersonByInsz(pending.insz);
  if (holder?.personId !== pending.personId) {
    throw new ConflictError(
      'This national number is no longer held by the person of the request. Ask again.',
    );
  }
  const now = deps.now().toISOString();
  const username = (deps.newUsername ?? generateNativeUserName)();
  const account: NativeAccount = {
    ...newAccount(pending.personId, username, pending.email, pending.locale, pending.holder, officer, now),
    createdBy: pending.requestedBy,
    confirmedBy: officer.personId,
  };
  const person: AccountPerson = {
    kind: 'existing',
    personId: pending.personId,
    insz: pending.insz,
    inszEvidence: holder.evidence,
  };
  const record = activity(deps, pending.personId, now, 'office-account-created', officer, {
    reference: pendingId,
    notify: true,
  });
  await completeAccount(deps, account, person, record, { pendingId, confirmedBy: officer.personId, at: now });
  await claimWaitingAppointments(deps, pending.personId, pending.insz, now, true);
  deps.logger.info('office account confirmed', {
    pendingId,
    personId: pending.personId,
    confirmedBy: officer.personId,
  });
  return { personId: pending.personId, username, insz: pending.insz };
}

/**
 * Seed 001 through the registration office: a local administrator may have appointed this national
 * number before its holder could log in (O22). The officer has just linked it on checked documents —
 * strong evidence —, so what waited becomes the person's memberships now (audited, the person
 * notified through the notices outbox). The account stands whatever happens here: a failure is
 * logged with the person id only and the appointment keeps waiting (the marker is untouched).
 * A BIS number issued on the spot claims nothing: nobody can have appointed a number that did not
 * exist, and handing an organisation to whoever receives a number someone typed before would be
 * authority by accident.
 */
async function claimWaitingAppointments(
  deps: NativeDeps,
  personId: string,
  insz: string,
  at: string,
  existingPerson: boolean,
): Promise<void> {
  try {
    const claimed = await deps.accounts.claimPendingMemberships(personId, insz, at, existingPerson);
    if (claimed > 0)
      deps.logger.info('pending memberships claimed at the registration office', { personId, claimed });
  } catch (error) {
    deps.logger.error('claiming pending memberships failed; they keep waiting', {
      personId,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}

/** `GET /registration-office/pending-accounts`: what the second officer checks. */
export interface PendingAccountView {
  pendingId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  personId: string;
  insz: string;
  holder: string;
  email: string;
  requestedBy: string;
  createdAt: string;
  confirmedBy?: string;
  confirmedAt?: string;
}

/** A pending account as the office sees it. */
export function toPendingView(pending: PendingAccount): PendingAccountView {
  const { locale: _locale, ...view } = pending;
  return view;
}

function newAccount(
  personId: string,
  username: string,
  email: string,
  locale: string,
  holder: string,
  officer: Caller,
  now: string,
): NativeAccount {
  return { personId, username, email, locale, holder, createdBy: officer.personId, createdAt: now };
}

function activity(
  deps: Pick<NativeDeps, 'newId'>,
  personId: string,
  at: string,
  event: ActivityEvent,
  officer: Caller,
  options: { notify: boolean; reference?: string; reason?: string },
): ActivityRecord {
  const entry: ActivityEntry = {
    entryId: deps.newId(),
    personId,
    at,
    event,
    actor: 'registration-officer',
    actorId: officer.personId,
    provider: 'native',
    evidence: 'registration-office',
    ...(options.reference ? { reference: options.reference } : {}),
    ...(options.reason ? { reason: options.reason } : {}),
  };
  if (!options.notify) return { entry };
  return {
    entry,
    notice: {
      noticeId: deps.newId(),
      personId,
      event,
      createdAt: at,
      data: {
        provider: 'native',
        ...(options.reference ? { reference: options.reference } : {}),
        date: at.slice(0, 10),
      },
    },
  };
}

/**
 * The table transaction, then (optionally) the BIS number, the card, the Cognito user and the
 * activation mail; any failure after the transaction removes the account again.
 * @returns the BIS number issued by `issueNumber`, if given
 */
async function completeAccount(
  deps: NativeDeps,
  account: NativeAccount,
  person: AccountPerson,
  record: ActivityRecord,
  confirmation?: Confirmation,
  issueNumber?: () => Promise<string>,
): Promise<string | undefined> {
  const { personId, username, email, locale } = account;
  await deps.accounts.createAccount(account, person, record, confirmation);
  let insz: string | undefined;
  try {
    if (issueNumber) insz = await issueNumber();
    await issueCardFor(deps, account);
    const temporaryPassword = (deps.newTemporaryPassword ?? generateTemporaryPassword)();
    await deps.cognito.createUser({ username, email, temporaryPassword });
    await deps.mailer.send({
      to: email,
      template: 'native-account-activation',
      locale,
      data: { username, temporaryPassword, validityDays: String(deps.temporaryPasswordValidityDays) },
      idempotencyKey: `${username}:native-account-activation`,
    });
  } catch (error) {
    deps.logger.error('native account could not be completed, removing it', { personId, error });
    await deps.accounts.removeAccount(account, person, record, confirmation).catch((cleanup: unknown) => {
      deps.logger.error('native account removal failed', { personId, error: cleanup });
    });
    throw error;
  }
  deps.logger.info('native account created', { personId, createdBy: account.createdBy });
  return insz;
}
