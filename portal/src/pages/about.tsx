/**
 * The pages every public-sector portal owes its users, in every language, naming the operating
 * authority a stage configures: help and contact, the privacy notice and the accessibility statement.
 */
import { PageHeading } from '../components.tsx';
import { usePortal } from '../context.ts';

function Contact() {
  const { config, t } = usePortal();
  const { email, phone } = config.authority;
  return (
    <dl class="facts">
      <dt>{t('help.email')}</dt>
      <dd>
        <a href={`mailto:${email}`}>{email}</a>
      </dd>
      {phone ? (
        <>
          <dt>{t('help.phone')}</dt>
          <dd>
            <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

export function HelpPage() {
  const { t, config } = usePortal();
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('help.heading')}>{t('help.heading')}</PageHeading>
      <p>{t('help.intro', { authority: config.authority.name })}</p>
      <Contact />
      <p>{t('help.office')}</p>
    </section>
  );
}

export function PrivacyPage() {
  const { t, config } = usePortal();
  const params = { authority: config.authority.name, contact: config.authority.email };
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('privacy.heading')}>{t('privacy.heading')}</PageHeading>
      <p>{t('privacy.body1', params)}</p>
      <p>{t('privacy.body2', params)}</p>
    </section>
  );
}

export function AccessibilityPage() {
  const { t, config } = usePortal();
  const params = { authority: config.authority.name, contact: config.authority.email };
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('accessibility.heading')}>{t('accessibility.heading')}</PageHeading>
      <p>{t('accessibility.body1', params)}</p>
      <p>{t('accessibility.body2', params)}</p>
    </section>
  );
}
