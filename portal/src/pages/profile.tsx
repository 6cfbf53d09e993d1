/** `GET /me`: who I am, how I log in (with the evidence of each login), my organisations and my rights. */
import {
  ErrorSummary,
  Link,
  Loading,
  PageHeading,
  Table,
  useFormatDate,
  useFormatValidUntil,
  useLoad,
  withLogin,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { formatInsz, formatOrgCode } from '../format.ts';
import { identityApi } from '../identity/api.ts';
import { IdentitiesSection, SuspendedNotice } from '../identity/components.tsx';
import { useCatalogueNames } from '../names.ts';
import { pathFor } from '../router.ts';

export const ProfilePage = withLogin(Profile);

function Profile() {
  const { t, api, claims } = usePortal();
  const names = useCatalogueNames();
  const formatDate = useFormatDate();
  const formatValidUntil = useFormatValidUntil();
  const me = useLoad(() => identityApi(api).me(), []);
  const heading = <PageHeading title={t('profile.heading')}>{t('profile.heading')}</PageHeading>;
  if (me.loading && !me.data)
    return (
      <>
        {heading}
        <Loading />
      </>
    );
  if (!me.data)
    return (
      <>
        {heading}
        <ErrorSummary problem={me.problem} />
      </>
    );
  const person = me.data;
  return (
    <section aria-labelledby="page-heading">
      {heading}
      {person.suspended ? <SuspendedNotice /> : null}
      <h2>{t('profile.identity')}</h2>
      <dl class="facts">
        <dt>{t('profile.name')}</dt>
        <dd>
          {person.givenNames} {person.familyName}
        </dd>
        <dt>{t('field.birthDate')}</dt>
        <dd>{person.birthDate ? formatDate(person.birthDate) : '—'}</dd>
        <dt>{t('profile.insz')}</dt>
        <dd data-testid="insz">{person.insz ? formatInsz(person.insz) : t('profile.inszUnknown')}</dd>
        {claims && claims.groups.length > 0 ? (
          <>
            <dt>{t('profile.groups')}</dt>
            <dd>{claims.groups.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      {person.insz ? null : (
        <p class="actions">
          <Link href={pathFor('insz')} class="button">
            {t('nav.insz')}
          </Link>{' '}
          <Link href={pathFor('bis')} class="button">
            {t('bis.heading')}
          </Link>
        </p>
      )}
      <IdentitiesSection
        identities={person.identities}
        insz={person.insz}
        inszEvidence={person.inszEvidence}
      />

      <h2>{t('profile.memberships')}</h2>
      {person.memberships.length === 0 ? (
        <p>{t('profile.noMemberships')}</p>
      ) : (
        <ul class="memberships">
          {person.memberships.map((membership) => {
            const positions = [
              membership.legalRepresentative ? t('profile.legalRepresentative') : undefined,
              membership.localAdministrator ? t('profile.localAdministrator') : undefined,
            ].filter(Boolean);
            return (
              <li key={membership.orgCode}>
                <strong>{membership.name}</strong> ({formatOrgCode(membership.orgCode)}) —{' '}
                {positions.length > 0 ? positions.join(', ') : t('profile.member')}
                {membership.localAdministrator ? (
                  <>
                    {' '}
                    <Link href={pathFor('organisation', { orgCode: membership.orgCode })}>
                      {t('claim.manage', { name: membership.name })}
                    </Link>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}

      <h2>{t('profile.grants')}</h2>
      {person.grants.length === 0 ? (
        <p>{t('profile.noGrants')}</p>
      ) : (
        <Table
          class="grants"
          columns={[
            t('profile.application'),
            t('profile.role'),
            t('profile.organisation'),
            t('profile.validUntil'),
          ]}
        >
          {person.grants.map((grant) => (
            <tr key={grant.grantId}>
              <td>{names.application(grant.application)}</td>
              <td>{names.role(grant.application, grant.role)}</td>
              <td>{person.memberships.find((m) => m.orgCode === grant.orgCode)?.name ?? grant.orgCode}</td>
              <td>{formatValidUntil(grant.validUntil)}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
