/** The landing page: welcome (also in German) and login, or the journeys open to this person. */
import { Link, LoginButtons, PageHeading } from '../components.tsx';
import { usePortal } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { administeredOrganisations } from '../names.ts';
import { pathFor } from '../router.ts';

export function HomePage() {
  const { t, claims, language, me } = usePortal();
  if (!claims) {
    return (
      <section aria-labelledby="page-heading" class="welcome">
        <PageHeading title={t('welcome.heading')}>{t('welcome.heading')}</PageHeading>
        <p class="lead">{t('welcome.intro')}</p>
        <LoginButtons returnTo="/" />
        <p class="languages-note">{t('welcome.languages')}</p>
        {language === 'de' ? null : (
          <p class="languages-note" lang="de">
            {translate('de', 'welcome.heading')}! {translate('de', 'welcome.languages')}
          </p>
        )}
      </section>
    );
  }
  const cards: { href: string; title: string; text: string }[] = [
    { href: pathFor('profile'), title: t('nav.profile'), text: t('home.profile') },
  ];
  if (!claims.insz) {
    cards.push({ href: pathFor('insz'), title: t('nav.insz'), text: t('home.insz') });
    cards.push({ href: pathFor('bis'), title: t('nav.bis'), text: t('home.bis') });
  } else {
    cards.push({ href: pathFor('claim'), title: t('nav.claim'), text: t('home.claim') });
  }
  cards.push({ href: pathFor('foreign'), title: t('nav.foreign'), text: t('home.foreign') });
  if (claims.groups.includes('bis-agents')) {
    cards.push({ href: pathFor('agent'), title: t('nav.agent'), text: t('home.agent') });
  }
  if (claims.groups.includes('security-officers')) {
    cards.push({ href: pathFor('security'), title: t('nav.security'), text: t('home.security') });
  }
  if (claims.idp === 'native') {
    cards.push({
      href: pathFor('authenticator'),
      title: t('nav.authenticator'),
      text: t('home.authenticator'),
    });
    cards.push({ href: pathFor('codeCard'), title: t('nav.codeCard'), text: t('home.codeCard') });
  }
  for (const { orgCode, name } of administeredOrganisations(claims, me)) {
    cards.push({
      href: pathFor('organisation', { orgCode }),
      title: name,
      text: t('home.manage', { name }),
    });
  }
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('home.heading')}>{t('home.heading')}</PageHeading>
      <ul class="cards">
        {cards.map((card) => (
          <li key={card.href} class="card">
            <h2>
              <Link href={card.href}>{card.title}</Link>
            </h2>
            <p>{card.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
