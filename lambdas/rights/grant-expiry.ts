/**
 * The daily grant-expiry run (EventBridge Scheduler invokes it once a day): notices to holders whose
 * grant ends in {@link EXPIRY_NOTICE_DAYS} days, and the sweep that removes grants past `validUntil`
 * with a `grant-expired` audit entry. No Scan: both read the GSI2 partition of one expiry date.
 *
 * Tokens never carry an expired grant (claims check `validUntil`); the sweep only keeps the audit
 * trail complete. TTL (`expiresAt` = `validUntil` + {@link GRANT_TTL_GRACE_DAYS} days) removes what a
 * missed run left, after the sweep's look-back window.
 */
import { newId as defaultNewId } from '#shared/ids';
import { resolveLocale } from '#shared/mail-templates';
import { auditEntries, SYSTEM_ACTOR } from './audit-entries.ts';
import { displayNameIn, findApplication, findRole, lastValidDay } from './catalogue.ts';
import type { RightsTaskDeps } from './ports.ts';
import { GRANT_TTL_GRACE_DAYS, utcDate } from './rights-repository.ts';

/** Days before `validUntil` a holder is told. */
export const EXPIRY_NOTICE_DAYS = 14;

/** What one run did. */
export interface GrantExpiryReport {
  noticed: number;
  withoutEmail: number;
  expired: number;
}

const DAY_MS = 86_400_000;

/** Runs the notices and the sweep for the day of `deps.now()`. */
export async function runGrantExpiry(deps: RightsTaskDeps): Promise<GrantExpiryReport> {
  const now = deps.now();
  const report: GrantExpiryReport = { noticed: 0, withoutEmail: 0, expired: 0 };
  const id = deps.newId ?? defaultNewId;

  const noticeDate = utcDate(new Date(now.getTime() + EXPIRY_NOTICE_DAYS * DAY_MS).toISOString());
  for (const grant of await deps.repository.grantsExpiringOn(noticeDate)) {
    const profile = await deps.repository.getProfile(grant.personId);
    if (!profile?.email) {
      report.withoutEmail += 1;
      continue;
    }
    const locale = resolveLocale(profile.locale);
    const organisation = await deps.repository.getOrganisation(grant.orgCode);
    const application = findApplication(grant.application);
    const role = findRole(grant.application, grant.role);
    await deps.mailer.send({
      to: profile.email,
      locale,
      template: 'grant-expiring',
      data: {
        organisationName: organisation?.name ?? grant.orgCode,
        application: application ? displayNameIn(application.displayName, locale) : grant.application,
        role: role ? displayNameIn(role.displayName, locale) : grant.role,
        validUntil: lastValidDay(grant.validUntil),
      },
      idempotencyKey: `${grant.grantId}:grant-expiring`,
    });
    report.noticed += 1;
  }

  // Today and the grace window behind it: TTL only deletes after that, so nothing expires unaudited.
  const at = now.toISOString();
  for (let back = 0; back <= GRANT_TTL_GRACE_DAYS; back++) {
    const date = utcDate(new Date(now.getTime() - back * DAY_MS).toISOString());
    for (const grant of await deps.repository.grantsExpiringOn(date)) {
      if (grant.validUntil > at) continue;
      const removed = await deps.repository.removeGrant(
        grant,
        auditEntries(
          grant.orgCode,
          at,
          [
            {
              action: 'grant-expired',
              actor: SYSTEM_ACTOR,
              subject: grant.personId,
              details: {
                grantId: grant.grantId,
                requestId: grant.requestId,
                application: grant.application,
                role: grant.role,
                validUntil: grant.validUntil,
              },
            },
          ],
          id,
        ),
      );
      if (removed) report.expired += 1;
    }
  }
  deps.logger?.info('grant expiry run', { ...report });
  return report;
}
