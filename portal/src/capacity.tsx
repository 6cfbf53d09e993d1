/**
 * The capacity ("hoedanigheid") a person acts in: a private person or one organisation at a time
 * (ARCHITECTURE.md section 2). The token says which (`org`, `org_name`); `GET /me` lists the
 * choices. Switching is one step: `PUT /me/capacity`, then a token refresh — no new login — and
 * everything that reads the claims re-renders.
 */
import { useCallback, useRef, useState } from 'preact/hooks';
import { describeProblem, type ProblemMessage } from './api/problem.ts';
import { ErrorSummary, StatusMessage } from './components.tsx';
import { usePortal } from './context.ts';
import { formatOrgCode } from './format.ts';

/** A capacity the person may choose: an organisation, or `null` for a private person. */
export interface CapacityOption {
  orgCode: string | null;
  name: string;
}

/** The current capacity, the choices and the switch. */
export interface CapacityState {
  current: CapacityOption;
  /** Private first, then the person's organisations by name; empty until `/me` has loaded. */
  options: CapacityOption[];
  /** Whether `/me` lists any organisation (else there is nothing to choose). */
  hasOrganisations: boolean;
  busy: boolean;
  problem: ProblemMessage | undefined;
  /** Stores the choice and refreshes the tokens. @returns whether the new tokens carry it */
  choose(orgCode: string | null): Promise<boolean>;
}

/** The capacity of the signed-in person (call only when signed in). */
export function useCapacity(): CapacityState {
  const { api, session, claims, me, t } = usePortal();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemMessage | undefined>(undefined);
  const memberships = me && me.personId === claims?.personId ? me.memberships : [];
  const privateOption: CapacityOption = { orgCode: null, name: t('capacity.private') };
  const nameOf = (orgCode: string) =>
    memberships.find((membership) => membership.orgCode === orgCode)?.name || formatOrgCode(orgCode);
  const current: CapacityOption = claims?.org
    ? { orgCode: claims.org, name: claims.orgName ?? nameOf(claims.org) }
    : privateOption;
  const options: CapacityOption[] = me
    ? [
        privateOption,
        ...memberships
          .map(({ orgCode, name }) => ({ orgCode, name: name || formatOrgCode(orgCode) }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      ]
    : [];
  const choose = useCallback(
    async (orgCode: string | null): Promise<boolean> => {
      setBusy(true);
      setProblem(undefined);
      try {
        await api.put<{ orgCode: string | null; name: string | null }>('/me/capacity', { orgCode });
        await session.idToken({ forceRefresh: true });
        const carried = (session.claims?.org ?? null) === orgCode;
        if (!carried) setProblem({ headline: t('capacity.notRefreshed'), fields: [] });
        return carried;
      } catch (error) {
        setProblem(describeProblem(error, t));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [api, session, t],
  );
  return { current, options, hasOrganisations: memberships.length > 0, busy, problem, choose };
}

/**
 * The header's capacity: the organisation's name (or "private person"), and for a person with a
 * choice a disclosure listing the other capacities, each one click away. A person with one
 * organisation acting for it sees its name only; a person without organisations sees nothing.
 */
export function CapacitySwitch() {
  const { t, claims, route, navigate } = usePortal();
  const capacity = useCapacity();
  const details = useRef<HTMLDetailsElement>(null);
  const [switched, setSwitched] = useState<string | undefined>(undefined);
  if (!claims || (!capacity.hasOrganisations && !claims.org)) return null;
  const label = t('capacity.current', { name: capacity.current.name });
  const others = capacity.options.filter((option) => option.orgCode !== capacity.current.orgCode);
  const single = capacity.options.length === 2 && capacity.current.orgCode !== null;
  if (others.length === 0 || single) {
    return (
      <p class="capacity" data-capacity={capacity.current.orgCode ?? 'private'}>
        {label}
      </p>
    );
  }
  const switchTo = async (option: CapacityOption) => {
    setSwitched(undefined);
    if (!(await capacity.choose(option.orgCode))) return;
    if (details.current) details.current.open = false;
    setSwitched(t('capacity.switched', { name: option.name }));
    // A page of the organisation left behind is not this capacity's view.
    if (route.params.orgCode && route.params.orgCode !== option.orgCode) navigate('/');
  };
  return (
    <div class="capacity" data-capacity={capacity.current.orgCode ?? 'private'}>
      <details ref={details} class="capacity-switch">
        <summary>
          {label} <span class="capacity-change">{t('capacity.change')}</span>
        </summary>
        <ul aria-label={t('capacity.choose')}>
          {others.map((option) => (
            <li key={option.orgCode ?? 'private'}>
              <button
                type="button"
                class="button small"
                disabled={capacity.busy}
                onClick={() => void switchTo(option)}
              >
                {t('capacity.actFor', { name: option.name })}
              </button>
            </li>
          ))}
        </ul>
      </details>
      <ErrorSummary problem={capacity.problem} />
      <StatusMessage message={switched} />
    </div>
  );
}
