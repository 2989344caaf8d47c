import type { ImportPreview } from '@shared/contract';
import { ENCODING_OPTIONS } from '@shared/encodings';
import { FIELDS } from '@shared/fields';
import { type DragEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { ScrollRegion } from '../components/ScrollRegion';
import { formatCount } from '../i18n';
import { appActions, useLocale } from '../state/app';
import {
  importActions,
  useImportEncoding,
  useImportError,
  useImportFile,
  useImportHeaderRow,
  useImportNotice,
  useImportOutcome,
  useImportPhase,
  useImportPreview,
  useImportTemplateName,
} from '../state/import';

const OPTIONAL = new Set(['delivery_date', 'notes', 'line_amount']);

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

function DropZone() {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) void importActions.drop(file);
  };
  return (
    <section
      className={`dropzone ${over ? 'dropzone-over' : ''}`}
      aria-label={t('import.drop')}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="dropzone-title">{t('import.drop')}</p>
      <p className="muted small">{t('import.dropHint')}</p>
      <button type="button" className="primary" onClick={() => void importActions.pick()}>
        {t('import.pick')}
      </button>
    </section>
  );
}

function MappingTable({ preview, disabled }: { preview: ImportPreview; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <table className="table mapping">
      <caption className="visually-hidden">{t('import.mapping')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('import.field')}</th>
          <th scope="col">{t('import.column')}</th>
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
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function PreviewTable({ preview }: { preview: ImportPreview }) {
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

/**
 * "見出しは N 行目": the header row when detection misses it (headers nothing in the dictionary names) or
 * picks the wrong one. Applied on Enter or when leaving the field; blank goes back to detection.
 */
function HeaderRowInput({ detected, disabled }: { detected: number | null; disabled: boolean }) {
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

function Outcome() {
  const { t } = useTranslation();
  const locale = useLocale();
  const outcome = useImportOutcome();
  if (!outcome) return null;
  return (
    <div className="panel" role="status">
      <h2>{t('import.done')}</h2>
      <p data-testid="import-outcome">
        {t('import.doneSummary', {
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

export function ImportScreen() {
  const { t } = useTranslation();
  const locale = useLocale();
  const file = useImportFile();
  const preview = useImportPreview();
  const phase = useImportPhase();
  const error = useImportError();
  const notice = useImportNotice();
  const encoding = useImportEncoding();
  const templateName = useImportTemplateName();
  const busy = phase === 'previewing' || phase === 'importing';
  const ids = { encoding: useId(), sheet: useId(), template: useId(), save: useId() };

  return (
    <section aria-labelledby="screen-title">
      <div className="screen-header">
        <h1 id="screen-title">{t('import.title')}</h1>
      </div>
      {notice && <p className="notice">{t(notice)}</p>}
      <ErrorMessage error={error} />
      {phase === 'done' ? (
        <Outcome />
      ) : !file ? (
        <DropZone />
      ) : (
        <>
          <div className="panel">
            <dl className="facts">
              <dt>{t('import.file')}</dt>
              <dd data-testid="import-file">{file.fileName}</dd>
              {preview && (
                <>
                  <dt>{t('import.kind')}</dt>
                  <dd>{preview.kind.toUpperCase()}</dd>
                  {preview.delimiter && (
                    <>
                      <dt>{t('import.delimiter')}</dt>
                      <dd>{t(`import.delimiterOption.${preview.delimiter}`)}</dd>
                    </>
                  )}
                  <dt>{t('import.headerRow')}</dt>
                  <dd>{t('import.headerRowValue', { row: preview.headerRow })}</dd>
                  <dt>{t('import.dataRows')}</dt>
                  <dd>{formatCount(preview.dataRows, locale)}</dd>
                </>
              )}
            </dl>
            <div className="toolbar">
              {preview && preview.sheets.length > 0 && (
                <div className="field">
                  <label htmlFor={ids.sheet}>{t('import.sheet')}</label>
                  <select
                    id={ids.sheet}
                    value={preview.sheet ?? ''}
                    disabled={busy}
                    onChange={(e) => void importActions.setSheet(e.target.value)}
                  >
                    {preview.sheets.map((name) => (
                      <option key={name} value={name}>
                        {preview.hiddenSheets.includes(name) ? t('import.sheetHiddenOption', { name }) : name}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              {(preview === null || preview.kind === 'csv' || preview.kind === 'tsv') && (
                <div className="field">
                  <label htmlFor={ids.encoding}>{t('import.encoding')}</label>
                  <select
                    id={ids.encoding}
                    value={encoding}
                    disabled={busy}
                    onChange={(e) => void importActions.setEncoding(e.target.value as typeof encoding)}
                  >
                    {ENCODING_OPTIONS.map((value) => (
                      <option key={value} value={value}>
                        {t(`import.encodingOption.${value}`)}
                      </option>
                    ))}
                  </select>
                  {preview?.encoding && encoding === 'auto' && (
                    <span className="muted small">
                      {t('import.detected', { encoding: t(`import.encodingOption.${preview.encoding}`) })}
                    </span>
                  )}
                </div>
              )}
              <HeaderRowInput detected={preview?.headerRow ?? null} disabled={busy} />
              {preview && preview.templates.length > 0 && (
                <div className="field">
                  <label htmlFor={ids.template}>{t('import.template')}</label>
                  <select
                    id={ids.template}
                    value={preview.template ?? ''}
                    disabled={busy}
                    onChange={(e) => void importActions.setTemplate(e.target.value)}
                  >
                    <option value="">{t('import.templateAuto')}</option>
                    {preview.templates.map((name) => (
                      <option key={name} value={name}>
                        {name}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </div>
          </div>
          {preview?.sheet && preview.hiddenSheets.includes(preview.sheet) && (
            <p className="notice" role="status">
              {t('import.sheetHiddenNotice', { sheet: preview.sheet })}
            </p>
          )}
          {preview && (
            <>
              <h2>{t('import.mapping')}</h2>
              <p className="muted">{t('import.mappingHint')}</p>
              {preview.template && <p className="muted">{t('import.templateUsed', { name: preview.template })}</p>}
              {preview.missingRequired.length > 0 && (
                <p className="error" role="alert">
                  {t('import.missing', { fields: preview.missingRequired.map((f) => t(`fields.${f}`)).join('、') })}
                </p>
              )}
              <div className="columns">
                <MappingTable preview={preview} disabled={busy} />
                <div>
                  <h2>{t('import.preview')}</h2>
                  <PreviewTable preview={preview} />
                </div>
              </div>
              <div className="toolbar">
                <div className="field">
                  <label htmlFor={ids.save}>{t('import.saveTemplate')}</label>
                  <input
                    id={ids.save}
                    type="text"
                    placeholder={t('import.templateName')}
                    value={templateName}
                    disabled={busy}
                    onChange={(e) => importActions.setSaveTemplateAs(e.target.value)}
                  />
                </div>
                <button
                  type="button"
                  className="primary"
                  disabled={busy || preview.missingRequired.length > 0}
                  onClick={() => void importActions.run()}
                >
                  {t('import.run')}
                </button>
                <button type="button" disabled={busy} onClick={() => importActions.reset()}>
                  {t('common.cancel')}
                </button>
              </div>
            </>
          )}
          {phase === 'importing' && (
            <div className="busy" role="status">
              <progress aria-label={t('import.running')} />
              <span>{t('import.running')}</span>
            </div>
          )}
        </>
      )}
    </section>
  );
}
