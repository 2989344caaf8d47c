import type { LineRow } from '@shared/contract';
import { memo, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MasterSuggestions } from '../../components/MasterSuggestions';
import { StatusBadge } from '../../components/StatusBadge';
import { formatYen } from '../../i18n';
import { useLocale } from '../../state/app';
import { reviewActions } from '../../state/review';
import { COLUMNS, canEdit, cellText, type EditableField } from './columns';
import { lineMessages } from './messages';

const EDITABLE = COLUMNS.filter((c) => c.field);

/**
 * The selected order beside the grid: every line and every problem in words with what to do, the
 * original cell text next to the value as shown, and the editable fields.
 */
/** Memoised: pages loading while the grid scrolls do not re-render it unless its order's lines changed. */
export const OrderPanel = memo(function OrderPanel({
  batchId,
  lines,
  onClose,
}: {
  batchId: number;
  lines: LineRow[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const first = lines[0];
  const headingId = useId();
  if (!first) {
    return (
      <aside className="order-panel" aria-label={t('review.panel.title')}>
        <div className="order-panel-body">
          <p className="muted">{t('review.panel.none')}</p>
        </div>
      </aside>
    );
  }
  const problems = lines.flatMap((line) =>
    line.issues.map((issue) => ({ key: `${line.lineId}-${issue.field}-${issue.code}`, row: line.row, issue })),
  );
  return (
    <aside className="order-panel" aria-labelledby={headingId} data-testid="order-panel">
      {/* The panel scrolls in a box without a background of its own: an opaque scroller becomes a composited layer,
          whose tiles cost ~4 MB (half of it in the renderer) with software compositing, for a box that rarely scrolls. */}
      <div className="order-panel-body">
        <div className="order-panel-head">
          <h2 id={headingId}>{first.orderRef}</h2>
          <StatusBadge t={t} kind="line" status={first.status} />
          <button type="button" className="link" onClick={onClose}>
            {t('review.panel.close')}
          </button>
        </div>
        {first.totalAmount !== null && (
          <p className="muted small">{t('review.panel.total', { yen: formatYen(first.totalAmount, locale) })}</p>
        )}
        {first.status === 'purged' && (
          <p className="notice" data-testid="order-purged">
            {t('review.panel.purged')}
          </p>
        )}
        <h3>{t('review.panel.problems')}</h3>
        {problems.length === 0 && !first.syncError ? (
          <p className="muted small">{t('review.panel.noProblems')}</p>
        ) : (
          <ul className="panel-problems">
            {problems.map(({ key, row, issue }) => (
              <li key={key}>
                <strong>{lineMessages({ ...first, issues: [issue], syncError: null }, t)[0]}</strong>
                <span className="muted small">
                  {t('review.panel.where', { row, field: t(`fields.${issue.field}`, { defaultValue: issue.field }) })}
                </span>
                <span>{t(`review.todo.${issue.code}`, { defaultValue: t('review.todo.default') })}</span>
                <MasterSuggestions batchId={batchId} orderRef={first.orderRef} issue={{ ...issue, row }} />
              </li>
            ))}
            {first.syncError && (
              <li>
                <strong>{lineMessages({ ...first, issues: [] }, t)[0]}</strong>
                <span>{t(`review.todo.sync_${first.syncError.kind}`, { defaultValue: t('review.todo.sync') })}</span>
              </li>
            )}
          </ul>
        )}
        {lines.map((line) => (
          <LineFields key={line.lineId} line={line} />
        ))}
      </div>
    </aside>
  );
});

function LineFields({ line }: { line: LineRow }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="panel-line" aria-label={t('review.panel.line', { row: line.row })}>
      <h3>{t('review.panel.line', { row: line.row })}</h3>
      <dl>
        {EDITABLE.map((column) => {
          const raw = line.fields[column.key] ?? '';
          const shown = cellText(line, column, locale);
          const invalid = line.issues.some((i) => i.field === column.key);
          return (
            <div key={column.key} className={invalid ? 'panel-field invalid' : 'panel-field'}>
              <dt>{t(`fields.${column.key}`)}</dt>
              <dd>
                {column.field && canEdit(line, column.field) ? (
                  <FieldEditor line={line} field={column.field} value={raw} invalid={invalid} />
                ) : (
                  <span>{shown}</span>
                )}
                {shown !== raw && <span className="muted small">{t('review.panel.original', { text: raw })}</span>}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

interface EditorProps {
  line: LineRow;
  field: EditableField;
  value: string;
  invalid: boolean;
}

function FieldEditor({ line, field, value, invalid }: EditorProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  // A reload brought a new value: show it.
  if (seen !== value) {
    setSeen(value);
    setDraft(value);
  }
  const save = () => {
    if (draft !== value) void reviewActions.edit(line, field, draft, []);
  };
  return (
    <input
      aria-label={t('review.editLabel', { field: t(`fields.${field}`), row: line.row })}
      aria-invalid={invalid || undefined}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === 'Enter') save();
      }}
    />
  );
}
