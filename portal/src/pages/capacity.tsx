/**
 * `<portal>/capacity?return_to=<url>`: a relying application sends a person here to choose for whom
 * they act. The choice is stored (`PUT /me/capacity`), the tokens refreshed, and the person sent back
 * to `return_to` — only when it is a callback URL a relying application registered; anything else is
 * refused on the page and nobody is redirected.
 */
import { useState } from 'preact/hooks';
import { type CapacityOption, useCapacity } from '../capacity.tsx';
import { ErrorSummary, Loading, PageHeading, RequireLogin, StatusMessage } from '../components.tsx';
import { usePortal } from '../context.ts';
import { allowedReturnTo } from '../return-to.ts';

export function CapacityPage() {
  const { t, route, config } = usePortal();
  const returnTo = route.query.get('return_to');
  const target = allowedReturnTo(returnTo, config.returnUrls);
  const refused = returnTo !== null && target === undefined;
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('capacity.heading')}>{t('capacity.heading')}</PageHeading>
      {refused ? (
        <div class="error-summary" role="alert" data-testid="return-refused">
          <p>{t('capacity.returnRefused')}</p>
        </div>
      ) : null}
      <RequireLogin>
        <ChooseCapacity target={target} />
      </RequireLogin>
    </section>
  );
}

function ChooseCapacity({ target }: { target: string | undefined }) {
  const { t, me } = usePortal();
  const capacity = useCapacity();
  const [done, setDone] = useState<string | undefined>(undefined);
  if (!me) return <Loading />;
  const pick = async (option: CapacityOption) => {
    setDone(undefined);
    // Choosing the current capacity again changes nothing: no write, no activity entry.
    const unchanged = option.orgCode === capacity.current.orgCode;
    if (!unchanged && !(await capacity.choose(option.orgCode))) return;
    if (target) {
      setDone(t('capacity.returning'));
      window.location.assign(target);
      return;
    }
    setDone(t('capacity.switched', { name: option.name }));
  };
  return (
    <>
      <p>{t('capacity.intro')}</p>
      {capacity.hasOrganisations ? null : <p>{t('capacity.noOrganisations')}</p>}
      <ErrorSummary problem={capacity.problem} />
      <ul class="capacity-options" aria-label={t('capacity.choose')}>
        {capacity.options.map((option) => {
          const current = option.orgCode === capacity.current.orgCode;
          return (
            <li key={option.orgCode ?? 'private'}>
              <button
                type="button"
                class={current ? 'button primary' : 'button'}
                disabled={capacity.busy}
                aria-describedby={current ? 'capacity-current-marker' : undefined}
                onClick={() => void pick(option)}
              >
                {t('capacity.actFor', { name: option.name })}
              </button>
              {current ? (
                <span id="capacity-current-marker" class="hint">
                  {' '}
                  ({t('capacity.currentMarker')})
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <StatusMessage message={done} />
    </>
  );
}
