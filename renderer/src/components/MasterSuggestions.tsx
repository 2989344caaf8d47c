import type { ErrorInfo } from '@shared/errors';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorInfo } from '../ipc';
import { formatCount } from '../i18n';
import { useLocale } from '../state/app';
import { mastersActions } from '../state/masters';
import { reviewActions } from '../state/review';
import { ErrorMessage } from './ErrorMessage';

/** The master-check part of a selected cell's issue (as the review grid holds it). */
export interface MasterIssue {
  row: number;
  code: string;
  master?: string;
  suggestions?: string[];
}

/**
 * Fix in place: for a selected UNKNOWN_SKU cell, its suggested SKUs; for a PRICE_MISMATCH cell, "use the
 * master price". Each button is one audited edit in main; the review grid's pages are then loaded again,
 * as after an edit.
 */
export function MasterSuggestions({ batchId, orderRef, issue }: { batchId: number; orderRef: string; issue: MasterIssue }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  if (issue.code !== 'UNKNOWN_SKU' && issue.code !== 'PRICE_MISMATCH') return null;
  const code = issue.code;
  const apply = async (value?: string) => {
    setBusy(true);
    setError(null);
    try {
      await mastersActions.applySuggestion({ batchId, orderRef, row: issue.row, code, value });
      // As after an edit in the grid: the pages held are loaded again (the order may be valid now).
      await reviewActions.reloadHeld();
    } catch (caught) {
      setError(errorInfo(caught));
    } finally {
      setBusy(false);
    }
  };
  const suggestions = issue.suggestions ?? [];
  return (
    <div className="master-suggestions" data-testid="master-suggestions">
      <span className="muted">{t('masters.suggestionsTitle')}</span>
      {code === 'UNKNOWN_SKU' && suggestions.length === 0 && <span className="muted">{t('masters.noSuggestions')}</span>}
      {code === 'UNKNOWN_SKU' &&
        suggestions.map((sku) => (
          <button key={sku} type="button" disabled={busy} onClick={() => void apply(sku)} title={t('masters.apply')}>
            {sku}
          </button>
        ))}
      {code === 'PRICE_MISMATCH' && issue.master !== undefined && (
        <button type="button" disabled={busy} onClick={() => void apply()}>
          {t('masters.useMasterPrice', { price: formatCount(Number(issue.master), locale) })}
        </button>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
