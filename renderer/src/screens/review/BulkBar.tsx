import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../i18n';
import { useLocale } from '../../state/app';
import { bulkActions } from '../../state/bulk';
import { useCanRedo, useCanUndo } from '../../state/history';
import { reviewActions } from '../../state/review';
import { COLUMNS, type EditableField } from './columns';
import { setField } from './ranges';

const FIELDS = COLUMNS.flatMap((c) => (c.field ? [c.field] : []));

/** Undo and redo of the last changes (also Ctrl+Z and Ctrl+Y in the grid). */
export function UndoButtons() {
  const { t } = useTranslation();
  const canUndo = useCanUndo();
  const canRedo = useCanRedo();
  return (
    <span className="undo-buttons">
      <button type="button" disabled={!canUndo} onClick={() => void bulkActions.undo(false)}>
        {t('review.bulk.undo')}
      </button>
      <button type="button" disabled={!canRedo} onClick={() => void bulkActions.undo(true)}>
        {t('review.bulk.redo')}
      </button>
    </span>
  );
}

/** "Set field to…" for the selected rows or every row under the filter, and find & replace within a field. */
export function BulkBar({ rows: selected }: { rows: readonly number[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const ids = { field: useId(), value: useId(), rfield: useId(), find: useId(), replace: useId() };
  const [field, setFieldName] = useState<EditableField>('notes');
  const [value, setValue] = useState('');
  const [rfield, setRfield] = useState<EditableField>('notes');
  const [find, setFind] = useState('');
  const [replacement, setReplacement] = useState('');
  const [matches, setMatches] = useState<number | null>(null);

  // The preview: how many cells the replacement would change, counted in main under the grid's filter.
  useEffect(() => {
    let current = true;
    setMatches(null);
    const timer = setTimeout(() => {
      bulkActions.count(rfield, find).then(
        (n) => current && setMatches(n),
        () => current && setMatches(null),
      );
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [rfield, find]);

  const fieldOptions = FIELDS.map((f) => (
    <option key={f} value={f}>
      {t(`fields.${f}`)}
    </option>
  ));
  const rows = selected.length;
  return (
    <details className="bulk-bar">
      <summary>{t('review.bulk.title')}</summary>
      <div className="bulk-forms">
        <form
          className="bulk-form"
          aria-label={t('review.bulk.setTitle')}
          onSubmit={(e) => {
            e.preventDefault();
            void bulkActions.apply('set', setField(selected, field, value, reviewActions.lineAt));
          }}
        >
          <label htmlFor={ids.field}>{t('review.bulk.field')}</label>
          <select id={ids.field} value={field} onChange={(e) => setFieldName(e.target.value as EditableField)}>
            {fieldOptions}
          </select>
          <label htmlFor={ids.value}>{t('review.bulk.value')}</label>
          <input className="bulk-input" id={ids.value} value={value} onChange={(e) => setValue(e.target.value)} />
          <button type="submit" disabled={rows === 0}>
            {t('review.bulk.setSelection', { count: rows, formatted: formatCount(rows, locale) })}
          </button>
          <button type="button" onClick={() => void bulkActions.setForFilter(field, value)}>
            {t('review.bulk.setFilter')}
          </button>
        </form>
        <form
          className="bulk-form"
          aria-label={t('review.bulk.replaceTitle')}
          onSubmit={(e) => {
            e.preventDefault();
            void bulkActions.replace(rfield, find, replacement).then(() => setFind(''));
          }}
        >
          <label htmlFor={ids.rfield}>{t('review.bulk.field')}</label>
          <select id={ids.rfield} value={rfield} onChange={(e) => setRfield(e.target.value as EditableField)}>
            {fieldOptions}
          </select>
          <label htmlFor={ids.find}>{t('review.bulk.find')}</label>
          <input className="bulk-input" id={ids.find} value={find} onChange={(e) => setFind(e.target.value)} />
          <label htmlFor={ids.replace}>{t('review.bulk.replaceWith')}</label>
          <input className="bulk-input" id={ids.replace} value={replacement} onChange={(e) => setReplacement(e.target.value)} />
          <output className="muted small" data-testid="replace-preview" aria-live="polite">
            {find && matches !== null ? t('review.bulk.matches', { count: matches, formatted: formatCount(matches, locale) }) : ''}
          </output>
          <button type="submit" disabled={!find || !matches}>
            {t('review.bulk.replace')}
          </button>
        </form>
      </div>
    </details>
  );
}
