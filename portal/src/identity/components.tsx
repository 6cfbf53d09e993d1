/**
 * Building blocks of the identity-integrity pages: the identity texts in the reader's language, a
 * person's logins with their evidence, the suspension notice, and the "connect your other login"
 * hint that follows a refused "I know my Belgian number".
 */
import { useCallback } from 'preact/hooks';
import { Link, useFormatDate } from '../components.tsx';
import { usePortal } from '../context.ts';
import type { MessageParams } from '../i18n/i18n.ts';
import { pathFor } from '../router.ts';
import type { IdentityView } from './api.ts';
import {
  type IdentityMessageKey,
  type IdentityTranslate,
  isIdentityMessageKey,
  translateIdentity,
  vocabularyKey,
} from './messages.ts';

/** The identity texts bound to the portal's current language. */
export function useIdentityText(): IdentityTranslate {
  const { language } = usePortal();
  return useCallback(
    (key: IdentityMessageKey, params?: MessageParams) => translateIdentity(language, key, params),
    [language],
  );
}

/** A login provider's name (`itsme`, `eidas`, `native`, `eudi`; the hosted login's `eIDAS` too). */
export function providerName(it: IdentityTranslate, provider: string | undefined): string {
  const key = `provider.${(provider ?? '').toLowerCase()}`;
  return isIdentityMessageKey(key) ? it(key) : (provider ?? '—');
}

/** Why a link belongs to the person, as a phrase ("verified by itsme"). */
export const evidenceText = (it: IdentityTranslate, evidence: string | undefined | null): string =>
  it(vocabularyKey('evidence.', evidence, 'evidence.unknown'));

/** The person's logins as a table: provider, evidence, since when, level of assurance. */
export function IdentityTable({ identities, caption }: { identities: IdentityView[]; caption: string }) {
  const it = useIdentityText();
  const formatDate = useFormatDate();
  return (
    // Wraps instead of scrolling sideways on a phone (a scrolling region would need keyboard access).
    <div class="fitted-table">
      <table class="identities" data-testid="identities">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{it('evidence.login')}</th>
            <th scope="col">{it('evidence.why')}</th>
            <th scope="col">{it('evidence.since')}</th>
            <th scope="col">{it('evidence.loa')}</th>
          </tr>
        </thead>
        <tbody>
          {identities.map((identity, index) => (
            <tr key={`${identity.provider}-${identity.linkedAt ?? index}`} data-provider={identity.provider}>
              <th scope="row">{providerName(it, identity.provider)}</th>
              <td data-evidence={identity.evidence ?? ''}>{evidenceText(it, identity.evidence)}</td>
              <td>{identity.linkedAt ? formatDate(identity.linkedAt) : '—'}</td>
              <td>{identity.loa ? it(vocabularyKey('loa.', identity.loa, 'evidence.unknown')) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What a suspended person reads at the top of their profile: why, and what to do. */
export function SuspendedNotice() {
  const it = useIdentityText();
  return (
    <div
      class="error-summary suspended"
      role="alert"
      aria-labelledby="suspended-heading"
      data-testid="suspended"
    >
      <h2 id="suspended-heading">{it('suspended.heading')}</h2>
      <p>{it('suspended.text')}</p>
      <p>{it('suspended.action')}</p>
    </div>
  );
}

/** The profile's section on logins: each with its evidence, and the ways to connect one or look back. */
export function IdentitiesSection({
  identities,
  insz,
  inszEvidence,
}: {
  identities: IdentityView[];
  insz: string | null;
  inszEvidence?: string | null | undefined;
}) {
  const it = useIdentityText();
  return (
    <section aria-labelledby="identities-heading">
      <h2 id="identities-heading">{it('evidence.heading')}</h2>
      <p>{it('evidence.intro')}</p>
      <IdentityTable identities={identities} caption={it('evidence.heading')} />
      {insz && inszEvidence ? (
        <p data-testid="insz-evidence">{it('evidence.insz', { evidence: evidenceText(it, inszEvidence) })}</p>
      ) : null}
      <p class="actions">
        <Link href={pathFor('connect')} class="button">
          {it('nav.connect')}
        </Link>{' '}
        <Link href={pathFor('activity')} class="button">
          {it('nav.activity')}
        </Link>
      </p>
    </section>
  );
}

/** After a 409 of "I know my Belgian number": the way to prove the number is the person's own. */
export function ConnectHint() {
  const it = useIdentityText();
  return (
    <div class="notice" data-testid="connect-hint">
      <p>{it('connect.insz409')}</p>
      <p>
        <Link href={pathFor('connect')} class="button primary">
          {it('connect.insz409Action')}
        </Link>
      </p>
    </div>
  );
}
