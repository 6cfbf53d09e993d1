/**
 * The security officers' organisation cases (`GET /security/organisation-cases`, open cases, paged
 * with `nextCursor`): the daily register check found that the last local administrator of a Belgian
 * company is no longer its legal representative. An officer closes a case once with an outcome and
 * a note (`POST /security/organisation-cases/{caseId}/resolution`); closing changes nobody's rights.
 */
import { useState } from 'preact/hooks';
import { fieldId } from '../api/problem.ts';
import {
  ErrorSummary,
  Field,
  formValues,
  Loading,
  PageHeading,
  StatusMessage,
  useFormatDate,
  useSubmit,
  withLogin,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { formatOrgCode } from '../format.ts';
import { hasMessage, type MessageKey } from '../i18n/i18n.ts';
import { ListFooter, usePagedList } from './organisation.tsx';
import { SecurityNavigation } from './security.tsx';

/** The outcomes the API accepts, in the order officers read them. */
const RESOLUTIONS = ['administrator-appointed', 'organisation-suspended', 'dismissed'] as const;

/** An open case of the queue. */
interface OrganisationCase {
  caseId: string;
  orgCode: string;
  personId: string;
  kind: string;
  status: 'OPEN' | 'RESOLVED';
  openedAt: string;
  organisationName?: string;
  givenNames?: string;
  familyName?: string;
}

export const SecurityCasesPage = withLogin(CasesQueue);

function CasesQueue() {
  const { t } = usePortal();
  const formatDate = useFormatDate();
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const list = usePagedList<OrganisationCase>('/security/organisation-cases');
  const kindLabel = (kind: string) => {
    const key = `cases.kind.${kind}`;
    return hasMessage(key) ? t(key) : kind;
  };
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('cases.heading')}>{t('cases.heading')}</PageHeading>
      <SecurityNavigation />
      <p>{t('cases.intro')}</p>
      <StatusMessage message={notice} />
      {list.loading ? <Loading /> : null}
      <ErrorSummary problem={list.problem} />
      {!list.loading && !list.problem && list.items.length === 0 ? <p>{t('cases.empty')}</p> : null}
      <ul class="requests" data-testid="organisation-cases">
        {list.items.map((item) => {
          const name = item.organisationName || formatOrgCode(item.orgCode);
          const person = [item.givenNames, item.familyName].filter(Boolean).join(' ') || item.personId;
          return (
            <li key={item.caseId} class="card">
              <h2>{name}</h2>
              <dl class="facts">
                <dt>{t('cases.enterpriseNumber')}</dt>
                <dd>{formatOrgCode(item.orgCode)}</dd>
                <dt>{t('cases.person')}</dt>
                <dd>{person}</dd>
                <dt>{t('cases.openedAt')}</dt>
                <dd>{formatDate(item.openedAt)}</dd>
                <dt>{t('cases.kind')}</dt>
                <dd>{kindLabel(item.kind)}</dd>
              </dl>
              <CaseResolution
                item={item}
                name={name}
                onResolved={(resolution) => {
                  setNotice(
                    t('cases.resolved', {
                      name,
                      resolution: t(`cases.resolution.${resolution}` as MessageKey),
                    }),
                  );
                  list.reload();
                }}
              />
            </li>
          );
        })}
      </ul>
      <ListFooter hasMore={list.hasMore} loadMore={list.loadMore} />
    </section>
  );
}

function CaseResolution({
  item,
  name,
  onResolved,
}: {
  item: OrganisationCase;
  name: string;
  onResolved: (resolution: string) => void;
}) {
  const { t, api } = usePortal();
  // Case references hold `~` and dashes: ids of their own keep the fields' ids valid and unique.
  const prefix = `case-${item.caseId.replace(/[^0-9A-Za-z_-]/g, '-')}`;
  const resolution = useSubmit(
    (form) =>
      api.post<{ resolution: string }>(
        `/security/organisation-cases/${encodeURIComponent(item.caseId)}/resolution`,
        formValues(form),
      ),
    (result) => onResolved(result.resolution),
  );
  const legend = t('cases.resolve', { name });
  return (
    <form onSubmit={resolution.onSubmit} noValidate aria-label={legend}>
      <ErrorSummary
        problem={resolution.problem}
        scope={prefix}
        labels={{ resolution: t('cases.resolution'), note: t('cases.note') }}
      />
      <fieldset>
        <legend>{legend}</legend>
        <div class="radios">
          {RESOLUTIONS.map((value) => (
            <div class="radio" key={value}>
              <input
                type="radio"
                id={value === RESOLUTIONS[0] ? fieldId(`${prefix}.resolution`) : `${prefix}-${value}`}
                name="resolution"
                value={value}
                required={value === RESOLUTIONS[0]}
              />
              <label for={value === RESOLUTIONS[0] ? fieldId(`${prefix}.resolution`) : `${prefix}-${value}`}>
                {t(`cases.resolution.${value}`)}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <Field
        scope={prefix}
        name="note"
        label={t('cases.note')}
        hint={t('cases.noteHint')}
        multiline
        maxLength={1000}
        problem={resolution.problem}
      />
      <button type="submit" class="button primary" disabled={resolution.busy}>
        {t('cases.submit')}
      </button>
    </form>
  );
}
