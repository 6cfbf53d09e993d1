/** Any path the portal does not know. */
import { Link, PageHeading } from '../components.tsx';
import { usePortal } from '../context.ts';

export function NotFoundPage() {
  const { t } = usePortal();
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('common.notFound')}>{t('common.notFound')}</PageHeading>
      <p>
        <Link href="/">{t('common.goHome')}</Link>
      </p>
    </section>
  );
}
