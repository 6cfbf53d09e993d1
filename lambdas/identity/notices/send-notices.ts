/**
 * The identity notices sender: every change to who a person is (a link, a join, a refused join, a
 * suspension, an office account) queues a notice in the transaction of the change
 * (lambdas/shared/person-activity.ts); this run, every minute, mails each pending notice to the
 * person's KNOWN addresses — the profile's e-mail and the native account's e-mail, deduplicated,
 * skipping any that fail the e-mail rules — never to an address typed by whoever caused the change.
 *
 * Exactly once per notice and address, also when runs overlap or a run dies half-way:
 * - a run CLAIMS a notice (conditional update, only while it is pending and not claimed by a live
 *   run) before mailing, so two runs never mail the same notice at once;
 * - each mail goes through the idempotent mailer with key `notice:<noticeId>:<address hash>`, so a
 *   run that died after mailing some addresses does not mail them again;
 * - a sent notice leaves the pending index (`SET sentAt REMOVE GSI1PK, GSI1SK`).
 * A notice whose mail keeps failing is retried by later runs and given up after
 * {@link MAX_NOTICE_ATTEMPTS} (kept, off the queue, with `failedAt`, for the operators).
 */
import { createHash } from 'node:crypto';
import { emailSchema } from '#shared/http/schemas';
import type { PendingNotice } from '#shared/items/identity';
import { type Locale, resolveLocale } from '#shared/locale';
import { TEMPLATE_VARIABLES, type TemplateId } from '#shared/mail/templates';
import type { Mailer, MailMessage } from '#shared/mailer';
import { ACTIVITY_EVENTS, type ActivityEvent } from '#shared/person-activity';

export type { PendingNotice } from '#shared/items/identity';

/** One known address of a person, with the locale the person uses there. */
export interface KnownAddress {
  email: string;
  locale: string | undefined;
}

/** Storage the run needs (notice-store.ts). */
export interface NoticeStore {
  /** Pending notices, oldest first, one page. */
  listPending(
    limit: number,
    cursor?: Record<string, unknown>,
  ): Promise<{ notices: PendingNotice[]; cursor?: Record<string, unknown> }>;
  /** Claims a pending notice until `until`; false when it is sent, failed or claimed by a live run. */
  claim(noticeId: string, now: Date, until: Date): Promise<boolean>;
  /** The person's known addresses (profile e-mail, native account e-mail), unchecked. */
  knownAddresses(personId: string): Promise<KnownAddress[]>;
  /** Takes the notice off the queue as sent to `recipients` addresses. */
  markSent(noticeId: string, at: Date, recipients: number): Promise<void>;
  /** Takes the notice off the queue as given up. */
  markFailed(noticeId: string, at: Date, error: string): Promise<void>;
}

/** The little the run logs through (no addresses, no data). */
export interface NoticeLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** Collaborators of {@link sendPendingNotices}. */
export interface SendNoticesDeps {
  store: NoticeStore;
  mailer: Mailer;
  now: () => Date;
  logger: NoticeLogger;
  /** Milliseconds left in this invocation; the run stops taking notices when it runs low. */
  remainingMs?: () => number;
}

/** What a run did. */
export interface NoticeRunReport {
  sent: number;
  mails: number;
  withoutAddress: number;
  failed: number;
  skipped: number;
}

/** Failed runs of one notice before it is given up. */
export const MAX_NOTICE_ATTEMPTS = 10;
/** How long a claim keeps other runs off a notice (longer than one run). */
export const CLAIM_MS = 2 * 60 * 1000;
/** Most notices one run takes. */
export const MAX_NOTICES_PER_RUN = 200;
/** The run stops taking notices with less time left than this. */
const RESERVE_MS = 15_000;

/** The template of an activity event. */
export function noticeTemplate(event: ActivityEvent): TemplateId {
  return `identity-${event}` as TemplateId;
}

const isActivityEvent = (value: string): value is ActivityEvent =>
  (ACTIVITY_EVENTS as readonly string[]).includes(value);

/** Login providers as a person reads them, per mail locale. */
const PROVIDER_LABELS: Record<Locale, Record<string, string>> = {
  en: {
    eidas: 'eIDAS',
    itsme: 'itsme',
    eudi: 'the EU Digital Identity Wallet',
    native: 'a username and password',
    '': 'another login',
  },
  nl: {
    eidas: 'eIDAS',
    itsme: 'itsme',
    eudi: 'de Europese digitale-identiteitsportemonnee',
    native: 'een gebruikersnaam en wachtwoord',
    '': 'een andere aanmelding',
  },
  fr: {
    eidas: 'eIDAS',
    itsme: 'itsme',
    eudi: "le portefeuille européen d'identité numérique",
    native: "un nom d'utilisateur et un mot de passe",
    '': 'une autre connexion',
  },
  de: {
    eidas: 'eIDAS',
    itsme: 'itsme',
    eudi: 'die EU-Brieftasche für die Digitale Identität',
    native: 'einen Benutzernamen und ein Passwort',
    '': 'eine andere Anmeldung',
  },
};

/**
 * The template data of a notice in a locale: exactly the template's variables, from the notice's
 * data — what the change that wrote it put there (dates, provider, organisation code and name, a
 * role's name and last day); a national number never is. The provider is named in the reader's
 * language; a variable the notice lacks reads as empty.
 */
export function noticeData(
  template: TemplateId,
  notice: PendingNotice,
  locale: Locale,
): Record<string, string> {
  const labels = PROVIDER_LABELS[locale];
  const values: Record<string, string> = {
    ...notice.data,
    date: notice.data.date ?? notice.createdAt.slice(0, 10),
    provider: labels[notice.data.provider ?? ''] ?? labels[''] ?? '',
    reference: notice.data.reference ?? notice.noticeId,
    organisationName: notice.data.organisationName ?? '',
  };
  return Object.fromEntries(TEMPLATE_VARIABLES[template].map((name) => [name, values[name] ?? '']));
}

/** The addresses to mail: valid e-mails only, each once (case-insensitively). */
export function recipientsOf(addresses: readonly KnownAddress[]): KnownAddress[] {
  const seen = new Set<string>();
  const recipients: KnownAddress[] = [];
  for (const address of addresses) {
    const parsed = emailSchema.safeParse(address.email);
    if (!parsed.success) continue;
    const key = parsed.data.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    recipients.push({ email: parsed.data, locale: address.locale });
  }
  return recipients;
}

/** The mailer's idempotency key: no address in the clear (it becomes a table key). */
export function noticeMailKey(noticeId: string, email: string): string {
  const digest = createHash('sha256').update(email.toLowerCase()).digest('base64url').slice(0, 22);
  return `notice:${noticeId}:${digest}`;
}

/** One run over the pending notices. */
export async function sendPendingNotices(deps: SendNoticesDeps): Promise<NoticeRunReport> {
  const report: NoticeRunReport = { sent: 0, mails: 0, withoutAddress: 0, failed: 0, skipped: 0 };
  const hasTime = () => (deps.remainingMs ? deps.remainingMs() > RESERVE_MS : true);
  let cursor: Record<string, unknown> | undefined;
  let taken = 0;
  do {
    const page = await deps.store.listPending(Math.min(50, MAX_NOTICES_PER_RUN - taken), cursor);
    cursor = page.cursor;
    for (const notice of page.notices) {
      if (taken >= MAX_NOTICES_PER_RUN || !hasTime()) return report;
      taken += 1;
      await sendOne(deps, notice, report);
    }
  } while (cursor && taken < MAX_NOTICES_PER_RUN && hasTime());
  return report;
}

async function sendOne(deps: SendNoticesDeps, notice: PendingNotice, report: NoticeRunReport): Promise<void> {
  const { noticeId } = notice;
  const now = deps.now();
  if (!(await deps.store.claim(noticeId, now, new Date(now.getTime() + CLAIM_MS)))) {
    report.skipped += 1;
    return;
  }
  if (!isActivityEvent(notice.event)) {
    deps.logger.error('notice of an unknown event given up', { noticeId, event: notice.event });
    await deps.store.markFailed(noticeId, deps.now(), 'unknown-event');
    report.failed += 1;
    return;
  }
  const template = noticeTemplate(notice.event);
  try {
    const recipients = recipientsOf(await deps.store.knownAddresses(notice.personId));
    for (const recipient of recipients) {
      const locale = resolveLocale(recipient.locale);
      try {
        await deps.mailer.send({
          to: recipient.email,
          template,
          locale,
          data: noticeData(template, notice, locale),
          idempotencyKey: noticeMailKey(noticeId, recipient.email),
        } as MailMessage);
        report.mails += 1;
      } catch (error) {
        // SES refused this address for good: the person's other addresses still hear it.
        if (!(error instanceof Error && error.name === 'MailRejectedError')) throw error;
        deps.logger.warn('notice mail rejected for one address', { noticeId, template });
      }
    }
    await deps.store.markSent(noticeId, deps.now(), recipients.length);
    if (recipients.length === 0) {
      report.withoutAddress += 1;
      deps.logger.info('notice without a known address: recorded, nothing mailed', { noticeId, template });
    } else {
      report.sent += 1;
    }
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const attempts = notice.attempts + 1;
    report.failed += 1;
    if (attempts >= MAX_NOTICE_ATTEMPTS) {
      deps.logger.error('notice given up', { noticeId, template, attempts, error: name });
      await deps.store.markFailed(noticeId, deps.now(), name);
    } else {
      // The claim lapses; a later run tries again (the mailer skips what was already sent).
      deps.logger.warn('notice not sent, retried by a later run', {
        noticeId,
        template,
        attempts,
        error: name,
      });
    }
  }
}
