import type { ImportPreview } from '@shared/contract';
import { FIELDS, OPTIONAL_FIELDS } from '@shared/fields';
import { useTranslation } from 'react-i18next';
import { ScrollRegion } from '../../components/ScrollRegion';
import { importActions } from '../../state/import';
import { columnLetter, SampleValues, Suggestions } from './FieldHints';

const OPTIONAL = new Set<string>(OPTIONAL_FIELDS);

export function MappingTable({ preview, disabled }: { preview: ImportPreview; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <table className="table mapping">
      <caption className="visually-hidden">{t('import.mapping')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('import.field')}</th>
          <th scope="col">{t('import.column')}</th>
          <th scope="col">{t('import.samples')}</th>
        </tr>
      </thead>
      <tbody>
        {FIELDS.map((field) => {
          const column = preview.mapping[field];
          const missing = preview.missingRequired.includes(field);
          const id = `map-${field}`;
          return (
            <tr key={field} className={missing ? 'row-invalid' : undefined}>
              <th scope="row">
                <label htmlFor={id}>{t(`fields.${field}`)}</label>{' '}
                <span className={`tag ${OPTIONAL.has(field) ? 'tag-optional' : 'tag-required'}`}>
                  {OPTIONAL.has(field) ? t('import.optional') : t('import.required')}
                </span>
              </th>
              <td>
                <select
                  id={id}
                  value={column === null ? '' : String(column)}
                  disabled={disabled}
                  aria-invalid={missing || undefined}
                  aria-describedby={`${id}-samples`}
                  onChange={(event) => void importActions.setMapping(field, event.target.value === '' ? null : Number(event.target.value))}
                >
                  <option value="">{t('import.unmapped')}</option>
                  {preview.headers.map((header, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: columns are identified by position
                    <option key={index} value={index}>
                      {t('import.columnOption', { letter: columnLetter(index), header: header || '—' })}
                    </option>
                  ))}
                </select>
                <Suggestions preview={preview} field={field} disabled={disabled} />
              </td>
              <td>
                <SampleValues preview={preview} field={field} id={`${id}-samples`} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function PreviewTable({ preview }: { preview: ImportPreview }) {
  const { t } = useTranslation();
  const mappedBy = new Map<number, string>();
  for (const field of FIELDS) {
    const column = preview.mapping[field];
    if (column !== null) mappedBy.set(column, t(`fields.${field}`));
  }
  return (
    <ScrollRegion className="preview" label={t('import.preview')}>
      <table className="table compact">
        <caption className="visually-hidden">{t('import.preview')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('import.previewRow')}</th>
            {preview.headers.map((header, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are identified by position
              <th scope="col" key={index}>
                <div>{header || columnLetter(index)}</div>
                <div className="muted small">{mappedBy.get(index) ?? t('import.unmapped')}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row) => (
            <tr key={row.row}>
              <th scope="row" className="num">
                {row.row}
              </th>
              {row.cells.map((cell, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells are identified by position
                <td key={index}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
