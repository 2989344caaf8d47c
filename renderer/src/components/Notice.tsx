import { useTranslation } from 'react-i18next';
import { useRecordsNotice } from '../state/records';

/** The outcome of the last completed action (export written, settings saved), announced politely. */
export function Notice() {
  const { t } = useTranslation();
  const notice = useRecordsNotice();
  return (
    <p className="notice" role="status" data-testid="notice" hidden={!notice}>
      {notice ? t(notice.key, notice.params) : ''}
    </p>
  );
}
