/**
 * A local administrator's pages for one organisation: profile and self-registration links, the
 * inbox of right requests with approve/deny (reason, validity), members and administrators, current
 * grants with revocation, and the audit log. Every list follows `nextCursor`.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { orgPath, type Page } from '../api/client.ts';
import { describeProblem, type ProblemMessage } from '../api/problem.ts';
import {
  DecisionChoices,
  ErrorSummary,
  Field,
  formValues,
  Link,
  Loading,
  PageHeading,
  StatusMessage,
  Table,
  useFormatDate,
  useFormatValidUntil,
  useLoad,
  useSubmit,
  withLogin,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import { formatOrgCode } from '../format.ts';
import { hasMessage, type MessageKey } from '../i18n/i18n.ts';
import { useCatalogueNames } from '../names.ts';
import { reasonText } from '../reasons.ts';
import { pathFor, type RouteName } from '../router.ts';
import { type CatalogueApplication, displayName } from './request.tsx';

interface Organisation {
  orgCode: string;
  name: string;
  country?: string;
  kind?: string;
  enterpriseNumber?: string;
  registrationNumber?: string;
  administratorCount?: number;
}

interface Member {
  personId: string;
  givenNames?: string;
  familyName?: string;
  localAdministrator: boolean;
  legalRepresentative: boolean;
  since?: string;
}

interface RightRequestView {
  requestId: string;
  status: string;
  application: string;
  role: string;
  justification?: string;
  requester: { personId: string; givenNames: string; familyName: string };
  createdAt: string;
}

interface GrantView {
  grantId: string;
  personId: string;
  application: string;
  role: string;
  validFrom?: string;
  validUntil?: string | null;
}

interface AuditEntry {
  entryId: string;
  at: string;
  action: string;
  actor: string;
  actorName?: string;
  subject?: string;
  subjectName?: string;
  reason?: string;
  details?: Record<string, string>;
}

/** Loads every page of a list, following `nextCursor` on demand. */
export function usePagedList<T>(path: string, query: Record<string, string> = {}) {
  const { api, t } = usePortal();
  const [extra, setExtra] = useState<{ items: T[]; cursor?: string | undefined }>({ items: [] });
  const [moreProblem, setMoreProblem] = useState<ProblemMessage | undefined>(undefined);
  const first = useLoad(async () => {
    const page = await api.get<Page<T>>(path, query);
    setExtra({ items: [], cursor: page.nextCursor });
    return page;
  }, [path, JSON.stringify(query)]);
  const loadMore = async () => {
    if (!extra.cursor) return;
    try {
      const page = await api.get<Page<T>>(path, { ...query, cursor: extra.cursor });
      setExtra({ items: [...extra.items, ...page.items], cursor: page.nextCursor });
    } catch (error) {
      setMoreProblem(describeProblem(error, t));
    }
  };
  return {
    items: [...(first.data?.items ?? []), ...extra.items],
    loading: first.loading,
    problem: first.problem ?? moreProblem,
    hasMore: extra.cursor !== undefined,
    loadMore,
    reload: first.reload,
  };
}

const SECTIONS: readonly { route: RouteName; label: MessageKey }[] = [
  { route: 'organisation', label: 'org.heading' },
  { route: 'inbox', label: 'org.inbox' },
  { route: 'members', label: 'org.members' },
  { route: 'grants', label: 'org.grants' },
  { route: 'audit', label: 'org.audit' },
];

/** Heading, organisation sub-navigation and the section. */
function OrganisationLayout({
  orgCode,
  title,
  children,
}: {
  orgCode: string;
  title: string;
  children: ComponentChildren;
}) {
  const { t, route, api } = usePortal();
  const organisation = useLoad(() => api.get<Organisation>(orgPath(orgCode)), [orgCode]);
  const name = organisation.data?.name ?? orgCode;
  return (
    <section aria-labelledby="page-heading">
      <p class="eyebrow">
        {name} <span class="muted">({formatOrgCode(orgCode)})</span>
      </p>
      <PageHeading title={`${title} – ${name}`}>{title}</PageHeading>
      <nav class="sub-nav" aria-label={t('org.sections')}>
        <ul>
          {SECTIONS.map((section) => (
            <li key={section.route}>
              <Link
                href={pathFor(section.route, { orgCode })}
                aria-current={route.name === section.route ? 'page' : undefined}
              >
                {section.route === 'organisation' ? name : t(section.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ErrorSummary problem={organisation.problem} />
      {children}
    </section>
  );
}

/** "Show more" while the list has another page. */
export function ListFooter({ hasMore, loadMore }: { hasMore: boolean; loadMore: () => Promise<void> }) {
  const { t } = usePortal();
  return hasMore ? (
    <button type="button" class="button" onClick={() => void loadMore()}>
      {t('common.loadMore')}
    </button>
  ) : null;
}

/**
 * A list of the organisation as a table: loading, the list's problem (else the one of an action on
 * its rows), the `empty` text, a row per item and "Show more".
 */
function PagedTable<T>({
  list,
  actionProblem,
  empty,
  columns,
  testId,
  row,
}: {
  list: ReturnType<typeof usePagedList<T>>;
  actionProblem?: ProblemMessage | undefined;
  empty: string;
  columns: readonly string[];
  testId?: string;
  row: (item: T) => JSX.Element;
}) {
  return (
    <>
      {list.loading ? <Loading /> : null}
      <ErrorSummary problem={list.problem ?? actionProblem} />
      {!list.loading && list.items.length === 0 && !list.problem ? <p>{empty}</p> : null}
      {list.items.length > 0 ? (
        <Table columns={columns} testId={testId}>
          {list.items.map(row)}
        </Table>
      ) : null}
      <ListFooter hasMore={list.hasMore} loadMore={list.loadMore} />
    </>
  );
}

export const OrganisationPage = withLogin(OrganisationProfile);

function OrganisationProfile({ orgCode }: { orgCode: string }) {
  const { t, api, language } = usePortal();
  const organisation = useLoad(() => api.get<Organisation>(orgPath(orgCode)), [orgCode]);
  const catalogue = useLoad(() => api.get<{ items: CatalogueApplication[] }>('/applications'), []);
  const [application, setApplication] = useState('');
  const name = organisation.data?.name ?? orgCode;
  const link =
    application === ''
      ? undefined
      : `${window.location.origin}${pathFor('request', {}, { org: orgCode, app: application })}`;
  return (
    <OrganisationLayout orgCode={orgCode} title={t('org.heading', { name })}>
      {organisation.loading ? <Loading /> : null}
      {organisation.data ? (
        <dl class="facts">
          <dt>{t('org.code')}</dt>
          <dd>{organisation.data.orgCode}</dd>
          {organisation.data.country ? (
            <>
              <dt>{t('field.country')}</dt>
              <dd>{organisation.data.country}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <h2>{t('org.link')}</h2>
      <p>{t('org.linkHint')}</p>
      <Field
        name="linkApplication"
        label={t('org.linkApplication')}
        optional
        onInput={setApplication}
        options={[
          { value: '', label: t('request.chooseApplication') },
          ...(catalogue.data?.items ?? []).map((candidate) => ({
            value: candidate.application,
            label: displayName(candidate.displayName, language, candidate.application),
          })),
        ]}
      />
      {link ? (
        <p>
          <code class="link" data-testid="self-registration-link">
            {link}
          </code>
        </p>
      ) : null}
    </OrganisationLayout>
  );
}

export const InboxPage = withLogin(Inbox);

function Inbox({ orgCode }: { orgCode: string }) {
  const { t } = usePortal();
  const formatDate = useFormatDate();
  const list = usePagedList<RightRequestView>(orgPath(orgCode, '/right-requests'), { status: 'PENDING' });
  const [notice, setNotice] = useState<string | undefined>(undefined);
  // A decided request leaves the inbox at once; the workflow updates its status a moment later.
  const [decided, setDecided] = useState<ReadonlySet<string>>(new Set());
  const pending = list.items.filter((request) => !decided.has(request.requestId));
  return (
    <OrganisationLayout orgCode={orgCode} title={t('inbox.heading')}>
      <StatusMessage message={notice} />
      {list.loading ? <Loading /> : null}
      <ErrorSummary problem={list.problem} />
      {!list.loading && pending.length === 0 && !list.problem ? <p>{t('inbox.empty')}</p> : null}
      <ul class="requests">
        {pending.map((request) => (
          <li key={request.requestId} class="card">
            <RequestDecision
              orgCode={orgCode}
              request={request}
              formatDate={formatDate}
              onDecided={(decision) => {
                setNotice(
                  t('inbox.decided', { status: decision === 'deny' ? t('inbox.deny') : t('inbox.approve') }),
                );
                setDecided((previous) => new Set([...previous, request.requestId]));
              }}
            />
          </li>
        ))}
      </ul>
      <ListFooter hasMore={list.hasMore} loadMore={list.loadMore} />
    </OrganisationLayout>
  );
}

function RequestDecision({
  orgCode,
  request,
  formatDate,
  onDecided,
}: {
  orgCode: string;
  request: RightRequestView;
  formatDate: (value: string | null | undefined) => string;
  onDecided: (decision: string) => void;
}) {
  const { t, api } = usePortal();
  const names = useCatalogueNames();
  const name = `${request.requester.givenNames} ${request.requester.familyName}`;
  const formDecision = useRef<unknown>(undefined);
  const decision = useSubmit(
    (form) => {
      const values = formValues(form);
      formDecision.current = values.decision;
      return api.post<{ status: string; decision?: string }>(
        orgPath(orgCode, `/right-requests/${encodeURIComponent(request.requestId)}/decision`),
        values,
      );
    },
    (result) => onDecided(result.decision ?? String(formDecision.current)),
  );
  const prefix = `decision-${request.requestId}`;
  return (
    <form onSubmit={decision.onSubmit} noValidate aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`}>{t('inbox.decide', { name })}</h2>
      <dl class="facts">
        <dt>{t('inbox.requested')}</dt>
        <dd>{names.label(request.application, request.role)}</dd>
        <dt>{t('inbox.requestedAt')}</dt>
        <dd>{formatDate(request.createdAt)}</dd>
        {request.justification ? (
          <>
            <dt>{t('inbox.justification')}</dt>
            <dd>{request.justification}</dd>
          </>
        ) : null}
      </dl>
      <ErrorSummary
        problem={decision.problem}
        scope={prefix}
        labels={{
          decision: t('common.status'),
          reason: t('inbox.reason'),
          validUntil: t('inbox.validUntil'),
        }}
      />
      <DecisionChoices
        prefix={prefix}
        legend={t('agent.decision')}
        choices={[
          { value: 'approve', label: t('inbox.approve') },
          { value: 'deny', label: t('inbox.deny') },
        ]}
      />
      <div class="row">
        <Field
          scope={prefix}
          name="reason"
          label={t('inbox.reason')}
          optional
          multiline
          maxLength={1000}
          problem={decision.problem}
        />
        <Field
          scope={prefix}
          name="validUntil"
          label={t('inbox.validUntil')}
          hint={t('inbox.validUntilHint')}
          type="date"
          optional
          problem={decision.problem}
        />
      </div>
      <button type="submit" class="button primary" disabled={decision.busy}>
        {t('inbox.submit')}
      </button>
    </form>
  );
}

export const MembersPage = withLogin(Members);

function Members({ orgCode }: { orgCode: string }) {
  const { t, api, claims } = usePortal();
  const list = usePagedList<Member>(orgPath(orgCode, '/members'));
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [removeProblem, setRemoveProblem] = useState<ProblemMessage | undefined>(undefined);
  const appoint = useSubmit(
    (form) =>
      api.post<{ personId?: string; pending?: true }>(orgPath(orgCode, '/administrators'), formValues(form)),
    (result) => {
      // 202: nobody has logged in with this number yet; the appointment waits for them.
      setNotice(t(result.pending ? 'members.appointedPending' : 'members.appointed'));
      list.reload();
    },
  );
  const remove = async (member: Member) => {
    setRemoveProblem(undefined);
    try {
      await api.delete(orgPath(orgCode, `/administrators/${encodeURIComponent(member.personId)}`));
      setNotice(t('members.removed'));
      list.reload();
    } catch (error) {
      setRemoveProblem(describeProblem(error, t));
    }
  };
  const nameOf = (member: Member) =>
    [member.givenNames, member.familyName].filter(Boolean).join(' ') || member.personId;
  return (
    <OrganisationLayout orgCode={orgCode} title={t('members.heading')}>
      <StatusMessage message={notice} />
      <PagedTable
        list={list}
        actionProblem={removeProblem}
        empty={t('members.empty')}
        columns={[t('members.name'), t('members.roles'), t('common.actions')]}
        testId="members"
        row={(member) => (
          <tr key={member.personId}>
            <td>{nameOf(member)}</td>
            <td>
              {[
                member.legalRepresentative ? t('profile.legalRepresentative') : undefined,
                member.localAdministrator ? t('profile.localAdministrator') : undefined,
              ]
                .filter(Boolean)
                .join(', ') || t('profile.member')}
            </td>
            <td>
              {member.localAdministrator && member.personId !== claims?.personId ? (
                <button type="button" class="button small" onClick={() => void remove(member)}>
                  {t('members.remove', { name: nameOf(member) })}
                </button>
              ) : null}
            </td>
          </tr>
        )}
      />
      <h2>{t('members.appointHeading')}</h2>
      <p>{t('members.appointIntro')}</p>
      <form onSubmit={appoint.onSubmit} noValidate>
        <ErrorSummary problem={appoint.problem} labels={{ insz: t('members.appointInsz') }} />
        <Field
          name="insz"
          check="insz"
          label={t('members.appointInsz')}
          hint={t('insz.inszHint')}
          inputMode="numeric"
          autocomplete="off"
          maxLength={32}
          problem={appoint.problem}
        />
        <button type="submit" class="button primary" disabled={appoint.busy}>
          {t('members.appointSubmit')}
        </button>
      </form>
    </OrganisationLayout>
  );
}

export const GrantsPage = withLogin(Grants);

function Grants({ orgCode }: { orgCode: string }) {
  const { t, api } = usePortal();
  const names = useCatalogueNames();
  const formatValidUntil = useFormatValidUntil();
  const list = usePagedList<GrantView>(orgPath(orgCode, '/grants'));
  const members = usePagedList<Member>(orgPath(orgCode, '/members'));
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<ProblemMessage | undefined>(undefined);
  const holder = (personId: string) => {
    const member = members.items.find((candidate) => candidate.personId === personId);
    return member ? [member.givenNames, member.familyName].filter(Boolean).join(' ') || personId : personId;
  };
  const revoke = async (grant: GrantView) => {
    setProblem(undefined);
    try {
      await api.delete(orgPath(orgCode, `/grants/${encodeURIComponent(grant.grantId)}`));
      setNotice(t('grants.revoked'));
      list.reload();
    } catch (error) {
      setProblem(describeProblem(error, t));
    }
  };
  return (
    <OrganisationLayout orgCode={orgCode} title={t('grants.heading')}>
      <StatusMessage message={notice} />
      <PagedTable
        list={list}
        actionProblem={problem}
        empty={t('grants.empty')}
        columns={[
          t('grants.holder'),
          t('profile.application'),
          t('profile.role'),
          t('profile.validUntil'),
          t('common.actions'),
        ]}
        row={(grant) => (
          <tr key={grant.grantId}>
            <td>{holder(grant.personId)}</td>
            <td>{names.application(grant.application)}</td>
            <td>{names.role(grant.application, grant.role)}</td>
            <td>{formatValidUntil(grant.validUntil)}</td>
            <td>
              <button type="button" class="button small danger" onClick={() => void revoke(grant)}>
                {t('grants.revoke', {
                  role: names.label(grant.application, grant.role),
                  name: holder(grant.personId),
                })}
              </button>
            </td>
          </tr>
        )}
      />
    </OrganisationLayout>
  );
}

export const AuditPage = withLogin(Audit);

/** The subject of an entry about a national number nobody has logged in with yet (seed 001). */
const PENDING_SUBJECT = 'pending';

function Audit({ orgCode }: { orgCode: string }) {
  const { t } = usePortal();
  const names = useCatalogueNames();
  const formatDate = useFormatDate();
  const list = usePagedList<AuditEntry>(orgPath(orgCode, '/audit'));
  return (
    <OrganisationLayout orgCode={orgCode} title={t('audit.heading')}>
      <PagedTable
        list={list}
        empty={t('audit.empty')}
        columns={[t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.reason')]}
        row={(entry) => (
          <tr key={entry.entryId}>
            <td>
              <time dateTime={entry.at}>{formatDate(entry.at)}</time>
            </td>
            <td>
              {entry.actor === 'system' ? t('audit.system') : (entry.actorName ?? t('audit.unknownPerson'))}
            </td>
            <td>
              {hasMessage(`audit.action.${entry.action}`)
                ? t(`audit.action.${entry.action}` as MessageKey)
                : entry.action}
              {entry.details?.application && entry.details.role
                ? `: ${names.label(entry.details.application, entry.details.role)}`
                : ''}
              {entry.subject && entry.subject !== entry.actor
                ? ` (${t('audit.concerning', {
                    name:
                      entry.subject === PENDING_SUBJECT
                        ? t('audit.pendingPerson')
                        : (entry.subjectName ?? t('audit.unknownPerson')),
                  })})`
                : ''}
            </td>
            <td>{entry.reason ? reasonText(t, entry.reason) : ''}</td>
          </tr>
        )}
      />
    </OrganisationLayout>
  );
}
