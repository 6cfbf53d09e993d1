import { expire } from '#shared/approval/runtime';
import { ForbiddenError, RuleViolationError } from '#shared/errors';
import type { Caller } from '#shared/http/caller';
import type { PersonData } from '#shared/http/schemas';
import { newId as defaultNewId } from '#shared/ids';
import { LOCALES, type Locale, resolveLocale } from '#shared/locale';
import { bisRegistrationStore } from './approval.ts';
import type { BisApiDeps } from './ports.ts';
import { type BisRegistration, type BisStatus, matchesEidasIdentity } from './registration.ts';

/** What `POST /bis-registrations` receives after validation. */
export interface SubmitRegistrationInput {
  data: PersonData;
  /** The applicant's preferred mail language, when the portal sends it. */
  locale?: Locale | undefined;
  /** The `Accept-Language` header, a fallback for {@link SubmitRegistrationInput.locale}. */
  acceptLanguage?: string | undefined;
}

/** `{ registrationId, status }` (contract). */
export interface RegistrationAccepted {
  registrationId: string;
  status: BisStatus;
}

/**
 * Submits a BIS number request: only for a person who signed in with eIDAS and has no INSZ (the
 * profile decides, not only the token), whose names and birth date are those of the eIDAS identity,
 * and who has no other open request. Persists the request (registration, history, open-request marker
 * in one transaction), then starts the approval workflow named after the registration id.
 *
 * @throws ForbiddenError not an eIDAS session, or the person has an INSZ (or no profile)
 * @throws RuleViolationError names or birth date differ from the eIDAS identity
 * @throws ConflictError another request of the person is open
 */
export async function submitRegistration(
  deps: BisApiDeps,
  caller: Caller,
  input: SubmitRegistrationInput,
): Promise<RegistrationAccepted> {
  if (caller.idp !== 'eidas') {
    throw new ForbiddenError(
      'A BIS number can only be requested after signing in with a European eID (eIDAS).',
      { code: 'eidas-login-required' },
    );
  }
  if (caller.insz !== null) {
    throw new ForbiddenError('You already have a Belgian national or BIS number.', {
      code: 'already-has-number',
    });
  }
  const profile = await deps.repository.getProfile(caller.personId);
  if (!profile) {
    throw new ForbiddenError('Please sign in again before requesting a BIS number.', {
      code: 'sign-in-again',
    });
  }
  if (profile.insz) {
    throw new ForbiddenError('You already have a Belgian national or BIS number.', {
      code: 'already-has-number',
    });
  }
  if (!matchesEidasIdentity(input.data, profile)) {
    throw new RuleViolationError(
      'Your names and date of birth must be exactly those of the European eID you signed in with.',
      { code: 'identity-mismatch' },
    );
  }

  const now = deps.now().toISOString();
  const id = deps.newId ?? defaultNewId;
  const registrationId = id();
  const registration: BisRegistration = {
    registrationId,
    personId: caller.personId,
    status: 'PENDING_REVIEW',
    data: input.data,
    locale: input.locale ?? preferredLocale(input.acceptLanguage) ?? resolveLocale(profile.locale),
    round: 1,
    createdAt: now,
    updatedAt: now,
    waiting: false,
  };
  await deps.repository.createRegistration(registration, {
    entryId: id(),
    at: now,
    event: 'submitted',
    status: 'PENDING_REVIEW',
    actor: 'applicant',
    actorId: caller.personId,
  });

  try {
    // Only the id enters Step Functions: no personal data in execution history.
    await deps.workflow.startExecution(registrationId, { requestId: registrationId });
  } catch (error) {
    // The request would wait forever and block a new one: close it, then fail (5xx).
    await expire(bisRegistrationStore(deps), registration, {
      reason: 'The review could not be started.',
      failed: true,
    }).catch(() => undefined);
    throw error;
  }
  deps.logger?.info('bis registration submitted', { registrationId });
  return { registrationId, status: registration.status };
}

/** The first supported language of an `Accept-Language` header, by quality. */
export function preferredLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.tag !== '' && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const language = tag.toLowerCase().split(/[-_]/)[0];
    const locale = LOCALES.find((candidate) => candidate === language);
    if (locale) return locale;
  }
  return undefined;
}
