import type { ImportPreview } from '@shared/contract';

type FieldName = keyof ImportPreview['mapping'];
import { useTranslation } from 'react-i18next';
import { importActions } from '../../state/import';

const SAMPLE_COUNT = 3;

/** Excel's column letters: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * The first different non-empty values of a column in the preview rows (an order's lines repeat its number
 * and customer; card numbers arrive masked from main).
 */
export function sampleValues(preview: ImportPreview, column: number | null, count = SAMPLE_COUNT): string[] {
  if (column === null) return [];
  const values = new Set<string>();
  for (const row of preview.rows) {
    const value = row.cells[column]?.trim() ?? '';
    if (value !== '') values.add(value);
    if (values.size === count) break;
  }
  return [...values];
}

/** Up to three values of the chosen column, beside its dropdown, so staff see what they mapped. */
export function SampleValues({ preview, field, id }: { preview: ImportPreview; field: FieldName; id: string }) {
  const { t } = useTranslation();
  const column = preview.mapping[field] ?? null;
  if (column === null) return <span id={id} />;
  const values = sampleValues(preview, column);
  return (
    <span id={id} className="samples" data-testid={`samples-${field}`}>
      <span className="visually-hidden">{t('import.samples')}: </span>
      {values.length === 0 ? (
        <span className="muted small">{t('import.noSamples')}</span>
      ) : (
        values.map((value, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: samples are identified by position
          <span key={index} className="sample" title={value}>
            {value}
          </span>
        ))
      )}
    </span>
  );
}

/** One-click suggestions for a field nothing is mapped to: the column and why it was proposed. */
export function Suggestions({ preview, field, disabled }: { preview: ImportPreview; field: FieldName; disabled: boolean }) {
  const { t } = useTranslation();
  if (preview.mapping[field] !== null) return null;
  const suggestions = preview.suggestions.filter((s) => s.field === field);
  if (suggestions.length === 0) return null;
  return (
    <div className="suggestions" data-testid={`suggestions-${field}`}>
      <span className="tag tag-suggested">{t('import.suggested')}</span>
      {suggestions.map(({ column, reason }) => (
        <span key={column} className="suggestion">
          <button type="button" className="link" disabled={disabled} onClick={() => void importActions.setMapping(field, column)}>
            {t('import.suggestUse', { letter: columnLetter(column), header: preview.headers[column] || '—' })}
          </button>
          <span className="muted small">{t('import.suggestWhy', { reason: t(`import.suggestReason.${reason}`) })}</span>
        </span>
      ))}
    </div>
  );
}
