/**
 * Which e-mails the platform sends and what each needs, without their text: the template ids, the
 * variables of each, and the SES template names. Everything that sends or queues mail imports this;
 * the copy itself (one data module per template in `copy/`) is read only where templates are built
 * or rendered: the CDK `Notifications` construct (SES template resources) and `render.ts` (the
 * in-process outbox), so deployed functions, which send through SES's stored templates, bundle none.
 *
 * Rules for template content: no task tokens, no national numbers (the only exception is the person's
 * own new BIS number in `bis-approved`; `native-account-activation` carries the person's own temporary
 * password, which Cognito makes them replace at the first login; the `identity-*` notices name the
 * date, the login provider and a reference, never the number), and the review-requested mails to back-office mailboxes carry
 * no personal data at all — only a reference to look up after signing in.
 */
import type { Locale } from '../locale.ts';

/** The platform name as the mails spell it. */
export const PLATFORM_NAME = 'eID Access';

/** The variables of every template, by template id, in definition order. */
export const TEMPLATE_VARIABLES = {
  'bis-review-requested': ['registrationId'],
  'bis-submitted': ['registrationId'],
  'bis-correction-requested': ['registrationId', 'reason'],
  'bis-approved': ['registrationId', 'bisNumber'],
  'bis-rejected': ['registrationId', 'reason'],
  'bis-expired': ['registrationId'],
  'bis-failed': ['registrationId'],
  'organisation-claimed': ['organisationName', 'orgCode'],
  'foreign-registration-review-requested': ['registrationId'],
  'foreign-registration-org-exists': ['registrationId', 'organisationName', 'orgCode'],
  'foreign-registration-org-lookalike': ['registrationId', 'organisationName', 'orgCode'],
  'representative-lapsed': ['organisationName', 'orgCode'],
  'organisation-case-opened': ['orgCode'],
  'foreign-registration-approved': ['registrationId', 'organisationName', 'orgCode'],
  'foreign-registration-rejected': ['registrationId', 'organisationName', 'reason'],
  'foreign-registration-expired': ['registrationId', 'organisationName'],
  'foreign-registration-failed': ['registrationId', 'organisationName'],
  'right-request-review-requested': ['requestId', 'organisationName', 'application', 'role'],
  'right-request-approved': ['requestId', 'organisationName', 'application', 'role', 'validUntil'],
  'right-request-denied': ['requestId', 'organisationName', 'application', 'role', 'reason'],
  'right-request-expired': ['requestId', 'organisationName', 'application', 'role'],
  'right-request-failed': ['requestId', 'organisationName', 'application', 'role'],
  'grant-expiring': ['organisationName', 'application', 'role', 'validUntil'],
  'grant-expired': ['organisationName', 'application', 'role', 'validUntil'],
  'native-account-activation': ['username', 'temporaryPassword', 'validityDays'],
  'native-code-card': ['cardId', 'issuedOn'],
  'identity-insz-linked': ['date', 'provider'],
  'identity-identity-linked': ['date', 'provider'],
  'identity-identities-joined': ['date', 'reference'],
  'identity-join-refused': ['date', 'provider'],
  'identity-insz-suspended': ['date', 'reference'],
  'identity-suspension-resolved': ['date', 'reference'],
  'identity-office-account-requested': ['date', 'reference'],
  'identity-office-account-created': ['date'],
  'identity-administrator-appointment': ['date', 'organisationName', 'reference'],
  'identity-membership-registration': ['date', 'organisationName', 'reference'],
  'identity-role-granted': ['date', 'organisationName', 'reference', 'roleName', 'validUntil'],
  'identity-role-revoked': ['date', 'organisationName', 'reference', 'roleName'],
  'identity-administrator-removal': ['date', 'organisationName', 'reference'],
} as const;

/** A template id (kebab-case). */
export type TemplateId = keyof typeof TEMPLATE_VARIABLES;

/** Every template id, in definition order. */
export const TEMPLATE_IDS = /* @__PURE__ */ Object.keys(TEMPLATE_VARIABLES) as TemplateId[];

/** The variables template `T` needs. */
export type TemplateVariable<T extends TemplateId> = (typeof TEMPLATE_VARIABLES)[T][number];

/**
 * The data template `T` needs: exactly its variables, as display-ready strings.
 * - `bisNumber`: the printed form `YY.MM.DD-SSS.CC` (`formatInsz`), only ever the recipient's own number;
 * - `validUntil`: an ISO-8601 date `YYYY-MM-DD`, unambiguous in every language;
 * - `reason`: the decision-maker's free text, shown as written (HTML-escaped in the HTML part).
 */
export type TemplateData<T extends TemplateId> = { readonly [K in TemplateVariable<T>]: string };

/** One template's copy in one locale. */
export interface LocalizedCopy {
  readonly subject: string;
  /** Body paragraphs between the greeting and the sign-off; `\n` is a line break inside a paragraph. */
  readonly paragraphs: readonly string[];
}

/** One template's copy: subject and paragraphs per locale, with `{{variable}}` placeholders. */
export type TemplateCopy = { readonly [L in Locale]: LocalizedCopy };

/** What every mail says around its own paragraphs, in one locale. */
export interface LocalizedFrame {
  readonly greeting: string;
  readonly signOff: string;
  readonly footer: string;
}

/** The frame of every mail, per locale. */
export type FrameCopy = { readonly [L in Locale]: LocalizedFrame };

/** Longest SES template name SES accepts. */
export const MAX_TEMPLATE_NAME_LENGTH = 64;

/** The SES template name of one template in one locale: `${prefix}-${id}-${locale}`. */
export function sesTemplateName(prefix: string, id: TemplateId, locale: Locale): string {
  return `${prefix}-${id}-${locale}`;
}
