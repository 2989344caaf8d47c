import { useTranslation } from 'react-i18next';
import type { Screen } from '../state/app';

export function PlaceholderScreen({ screen }: { screen: Screen }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">{t(`nav.${screen}`)}</h1>
      <p className="muted">{t('screen.comingSoon')}</p>
    </section>
  );
}
