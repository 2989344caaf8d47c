import { ERROR_CODES } from './errors';
import { VALIDATION_CODES } from './validation';

/**
 * The staff guide (docs/guide/ja.md and en.md, shipped as HTML): its sections, each an anchor the app may
 * open. The app opens the guide only at one of these ids, never at a path or URL the page names.
 */
export const GUIDE_TOPICS = [
  'batches',
  'import',
  'mapping',
  'import-notices',
  'review',
  'side-panel',
  'bulk-edit',
  'declined',
  'sync',
  'sync-failures',
  'export',
  'reimport',
  'masters',
  'schedule',
  'settings',
  'lock',
  'error-codes',
] as const;

/** The kinds of sync failure (syncErrors.* in the messages): their rows are anchored as sync-<kind>. */
export const SYNC_FAILURE_KINDS = [
  'rejected',
  'declined',
  'unavailable',
  'needs_review',
  'unknown_outcome',
  'conflict',
  'order_missing',
  'bad_response',
  'retention_purged',
] as const;

/** Every code with a row in the guide's error code list: errors, validation problems, sync failures. */
export const GUIDE_CODE_ANCHORS: readonly string[] = [...ERROR_CODES, ...VALIDATION_CODES, ...SYNC_FAILURE_KINDS.map((k) => `sync-${k}`)];

const SECTIONS: ReadonlySet<string> = new Set<string>([...GUIDE_TOPICS, ...GUIDE_CODE_ANCHORS]);

/** True only for a section the guide has: a topic or a code's row. */
export function isGuideSection(value: unknown): value is string {
  return typeof value === 'string' && SECTIONS.has(value);
}

/** The guide file for a language: the only two files the app ever opens from the guide's folder. */
export function guideFileName(locale: string): 'ja.html' | 'en.html' {
  return locale === 'en' ? 'en.html' : 'ja.html';
}
