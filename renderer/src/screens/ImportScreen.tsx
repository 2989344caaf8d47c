import { ENCODING_OPTIONS } from '@shared/encodings';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatCount } from '../i18n';
import { useLocale } from '../state/app';
import {
  importActions,
  useImportEncoding,
  useImportError,
  useImportFile,
  useImportNotice,
  useImportPhase,
  useImportPreview,
  useImportTemplateName,
} from '../state/import';

import { DropZone } from './import/DropZone';
import { HeaderRowInput, Outcome } from './import/parts';
import { MappingTable, PreviewTable } from './import/tables';

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
              <div className="import-columns">
                <div className="mapping-wrap">
                  <MappingTable preview={preview} disabled={busy} />
                </div>
                <div className="preview-wrap">
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
