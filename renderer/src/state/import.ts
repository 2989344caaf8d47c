import type { ImportFile, ImportPreview, Input, Output } from '@shared/contract';
import type { EncodingOption } from '@shared/encodings';
import type { ErrorInfo } from '@shared/errors';
import { create } from 'zustand';
import { call, errorInfo, registerDroppedFile } from '../ipc';
import { appActions } from './app';

type Encoding = EncodingOption;
type FieldName = keyof ImportPreview['mapping'];

interface ImportState {
  file: ImportFile | null;
  preview: ImportPreview | null;
  encoding: Encoding;
  sheet: string | undefined;
  /** The header's row number staff gave; undefined: detected. */
  headerRow: number | undefined;
  template: string | undefined;
  /** Staff's mapping choices: field -> 1-based column number, '' = unmapped. */
  overrides: Partial<Record<FieldName, string>>;
  saveTemplateAs: string;
  phase: 'idle' | 'previewing' | 'ready' | 'importing' | 'done';
  outcome: Output<'runImport'> | null;
  error: ErrorInfo | null;
  /** An i18n key for a notice that is not an error from main (e.g. a drop whose path is unknown). */
  notice: string | null;
}

const initial = {
  file: null,
  preview: null,
  encoding: 'auto' as Encoding,
  sheet: undefined,
  headerRow: undefined,
  template: undefined,
  overrides: {},
  saveTemplateAs: '',
  phase: 'idle' as const,
  outcome: null,
  error: null,
  notice: null,
};

const useImportStore = create<ImportState>()(() => ({ ...initial }));

function settings(): Input<'previewImport'> {
  const s = useImportStore.getState();
  if (!s.file) throw new Error('no file');
  return {
    fileId: s.file.fileId,
    encoding: s.encoding,
    ...(s.sheet ? { sheet: s.sheet } : {}),
    ...(s.headerRow ? { headerRow: s.headerRow } : {}),
    ...(s.template ? { template: s.template } : {}),
    ...(Object.keys(s.overrides).length ? { overrides: s.overrides } : {}),
  };
}

async function refreshPreview(): Promise<void> {
  useImportStore.setState({ phase: 'previewing', error: null });
  try {
    const preview = await call('previewImport', settings());
    useImportStore.setState({ preview, phase: 'ready' });
  } catch (error) {
    useImportStore.setState({ phase: 'ready', error: errorInfo(error) });
  }
}

async function open(file: ImportFile | null): Promise<void> {
  if (!file) return;
  useImportStore.setState({ ...initial, file });
  await refreshPreview();
}

export const useImportFile = () => useImportStore((s) => s.file);
export const useImportPreview = () => useImportStore((s) => s.preview);
export const useImportPhase = () => useImportStore((s) => s.phase);
export const useImportError = () => useImportStore((s) => s.error);
export const useImportNotice = () => useImportStore((s) => s.notice);
export const useImportOutcome = () => useImportStore((s) => s.outcome);
export const useImportEncoding = () => useImportStore((s) => s.encoding);
export const useImportOverrides = () => useImportStore((s) => s.overrides);
export const useImportHeaderRow = () => useImportStore((s) => s.headerRow);
export const useImportTemplateName = () => useImportStore((s) => s.saveTemplateAs);

export const importActions = {
  async pick(): Promise<void> {
    try {
      const { file } = await call('pickImportFile');
      await open(file);
    } catch (error) {
      useImportStore.setState({ error: errorInfo(error) });
    }
  },
  async drop(dropped: File): Promise<void> {
    try {
      const file = await registerDroppedFile(dropped);
      if (!file) {
        useImportStore.setState({ notice: 'import.dropUnavailable' });
        return;
      }
      await open(file);
    } catch (error) {
      useImportStore.setState({ error: errorInfo(error) });
    }
  },
  /** A file the OS opened with the app (main already holds it). */
  requested: (file: ImportFile) => open(file),
  setEncoding(encoding: Encoding) {
    useImportStore.setState({ encoding, overrides: {} });
    return refreshPreview();
  },
  setSheet(sheet: string) {
    useImportStore.setState({ sheet, headerRow: undefined, overrides: {} });
    return refreshPreview();
  },
  /** A header row number, or undefined to detect it; the mapping starts over from the new headers. */
  setHeaderRow(headerRow: number | undefined) {
    if (useImportStore.getState().headerRow === headerRow) return Promise.resolve();
    useImportStore.setState({ headerRow, overrides: {} });
    return refreshPreview();
  },
  setTemplate(template: string) {
    useImportStore.setState({ template: template || undefined, overrides: {} });
    return refreshPreview();
  },
  /** column: 0-based index, or null to unmap. */
  setMapping(field: FieldName, column: number | null) {
    useImportStore.setState((s) => ({ overrides: { ...s.overrides, [field]: column === null ? '' : String(column + 1) } }));
    return refreshPreview();
  },
  setSaveTemplateAs: (name: string) => useImportStore.setState({ saveTemplateAs: name }),
  async run(): Promise<void> {
    const name = useImportStore.getState().saveTemplateAs.trim();
    useImportStore.setState({ phase: 'importing', error: null });
    try {
      const outcome = await call('runImport', { ...settings(), ...(name ? { saveTemplateAs: name } : {}) });
      useImportStore.setState({ phase: 'done', outcome });
      await appActions.refreshBatches();
    } catch (error) {
      useImportStore.setState({ phase: 'ready', error: errorInfo(error) });
    }
  },
  /** Back to the start; a file still open in main (wizard left without importing) is released there. */
  reset(): void {
    const { file, phase } = useImportStore.getState();
    if (file && phase !== 'done') void call('closeImportFile', { fileId: file.fileId }).catch(() => undefined);
    useImportStore.setState({ ...initial });
  },
};
