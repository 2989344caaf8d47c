import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../i18n';
import { appActions, useLocale } from '../../state/app';
import { importActions, useImportHeaderRow, useImportOutcome } from '../../state/import';

/**
 * "見出しは N 行目": the header row when detection misses it (headers nothing in the dictionary names) or
 * picks the wrong one. Applied on Enter or when leaving the field; blank goes back to detection.
 */
export function HeaderRowInput({ detected, disabled }: { detected: number | null; disabled: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const chosen = useImportHeaderRow();
  const [draft, setDraft] = useState(chosen === undefined ? '' : String(chosen));
  useEffect(() => setDraft(chosen === undefined ? '' : String(chosen)), [chosen]);
  const apply = () => {
    const value = Number(draft);
    void importActions.setHeaderRow(draft.trim() !== '' && Number.isInteger(value) && value >= 1 ? value : undefined);
  };
  const suffix = t('import.headerRowSuffix');
  return (
    <div className="field">
      <label htmlFor={id}>{t('import.headerRowInput')}</label>
      <span>
        <input
          id={id}
          type="number"
          min={1}
          step={1}
          inputMode="numeric"
          className="narrow"
          placeholder={detected === null ? '' : String(detected)}
          value={draft}
          disabled={disabled}
          onChange={(event) => setDraft(event.target.value)}
          onBlur={apply}
          onKeyDown={(event) => {
            if (event.key === 'Enter') apply();
          }}
        />
        {suffix && ` ${suffix}`}
      </span>
    </div>
  );
}

export function Outcome() {
  const { t } = useTranslation();
  const locale = useLocale();
  const outcome = useImportOutcome();
  if (!outcome) return null;
  return (
    <div className="panel" role="status">
      <h2>{t('import.done')}</h2>
      <p data-testid="import-outcome">
        {t('import.doneSummary', {
          count: outcome.orders.total,
          total: formatCount(outcome.orders.total, locale),
          valid: formatCount(outcome.orders.valid, locale),
          invalid: formatCount(outcome.orders.invalid, locale),
          lines: formatCount(outcome.lines, locale),
          // Shown to a tenth of a second; a small file imports faster than that.
          seconds: Math.max(0.1, outcome.durationMs / 1000).toFixed(1),
        })}
      </p>
      {(['continuedLines', 'datesWithoutYear'] as const).map((note) =>
        outcome.notes[note] > 0 ? (
          <p key={note} data-testid={`import-note-${note}`}>
            {t(`import.${note}`, { count: outcome.notes[note], formatted: formatCount(outcome.notes[note], locale) })}
          </p>
        ) : null,
      )}
      {outcome.encoding && outcome.delimiter && (
        <p data-testid="import-outcome-text">
          {t('import.doneText', {
            encoding: t(`import.encodingOption.${outcome.encoding}`),
            delimiter: t(`import.delimiterOption.${outcome.delimiter}`),
          })}
        </p>
      )}
      {outcome.sheetHidden && <p className="notice">{t('import.doneHiddenSheet', { sheet: outcome.sheet })}</p>}
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => appActions.openBatch(outcome.batchId)}>
          {t('import.review')}
        </button>
        <button type="button" onClick={() => importActions.reset()}>
          {t('import.another')}
        </button>
      </div>
    </div>
  );
}
