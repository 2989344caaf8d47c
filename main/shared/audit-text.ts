import type { TFunction } from 'i18next';

/**
 * An audit entry as staff read it: one sentence in their language ("PO-000013のメールを修正しました（山田）"),
 * and its details as labelled values for a "詳細" disclosure. The sentence never shows a hash or a raw key;
 * an action this version does not know (a newer app wrote it) reads as its label, or as "another operation".
 */
export interface AuditEntryText {
  action: string;
  actor: string;
  batchId: number | null;
  orderRef: string | null;
  backendIdentity?: string | null;
  /** The entry's details as stored: a JSON object of ids, counts, codes and hashes. */
  details: string;
}

export interface AuditDetail {
  label: string;
  value: string;
}

type Details = Record<string, unknown>;

function parseDetails(details: string): Details {
  try {
    const parsed: unknown = JSON.parse(details);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Details) : {};
  } catch {
    return {};
  }
}

const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value) || 0);
const str = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** A translation when the key exists, else the fallback (i18next returns the key itself when it is missing). */
function known(t: TFunction, key: string, fallback: string, options: Record<string, unknown> = {}): string {
  const text = t(key, { ...options, defaultValue: '\u0000' });
  return text === '\u0000' ? fallback : text;
}

/** The action's short label ("注文の修正"), or "その他の操作" for an action this version has no words for. */
export function auditActionLabel(t: TFunction, action: string): string {
  return known(t, `auditActions.${action}`, t('audit.unknownAction'));
}

/** The parameters each sentence may use, worked out once from the entry. */
function sentenceParams(t: TFunction, entry: AuditEntryText, d: Details): Record<string, unknown> {
  const format = str(d.format);
  const kind = str(d.kind);
  const field = str(d.field);
  return {
    batch: entry.batchId ?? '',
    order: entry.orderRef ?? '',
    field: field ? known(t, `fields.${field}`, t('audit.someField')) : t('audit.someField'),
    what: known(t, `audit.exportKind.${kind}`, t('audit.exportKind.other')),
    format: known(t, `audit.format.${format}`, format.toUpperCase()),
    bulk: known(t, `audit.bulkKind.${kind}`, t('audit.bulkKind.other')),
    list: known(t, `masters.list.${str(d.list)}`, t('audit.someList')),
    setting: known(t, `audit.setting.${str(d.setting)}`, t('audit.someSetting')),
    template: str(d.template),
    reason: d.code ? known(t, `errors.${str(d.code)}`, t('audit.someError'), parseParams(d.params)) : t('audit.someError'),
    // Counts (i18next formats them with separators: {{orders, number}}).
    orders: num(d.orders),
    valid: num(d.valid),
    invalid: num(d.invalid),
    rows: num(d.rows),
    entries: num(d.entries),
    updated: num(d.updated),
    changed: num(d.changed),
    applied: num(d.applied),
    done: num(d.done),
    failed: num(d.failed),
    review: num(d.needs_review),
    remaining: num(d.remaining),
    days: num(d.days),
    removed: num(d.removed),
    becameInvalid: num(d.became_invalid),
    linesRead: num(d.lines_read),
    yen: num(d.yen_staged ?? d.yen_synced),
  };
}

function parseParams(params: unknown): Record<string, unknown> {
  return typeof params === 'string' ? parseDetails(params) : {};
}

/** Which sentence an entry reads as: most actions have one; some pick a variant from their details. */
function sentenceKey(action: string, d: Details): string {
  if (action === 'order.edited' && d.changed === false) return 'order.editedUnchanged';
  if (action === 'access') return `access.${['grid', 'search', 'detail', 'cli', 'export'].includes(str(d.what)) ? str(d.what) : 'other'}`;
  if (action === 'sync.failed' && !d.code) return 'sync.failedUnknown';
  return action;
}

/** The entry in one sentence, with who did it: "バッチ1を取り込みました（注文120件）（山田）". */
export function auditSentence(t: TFunction, entry: AuditEntryText): string {
  const d = parseDetails(entry.details);
  const params = sentenceParams(t, entry, d);
  const sentence = known(t, `audit.sentence.${sentenceKey(entry.action, d)}`, auditActionLabel(t, entry.action), params);
  return t('audit.byUser', { sentence, user: entry.actor });
}

/** Detail keys whose values are hashes: shown shortened, so the row stays readable. */
const HASHES = /_sha256$|^hash$/;

/** The details as labelled values: known keys in words, booleans as yes/no, counts with separators, hashes shortened. */
export function auditDetails(t: TFunction, entry: AuditEntryText, locale: string): AuditDetail[] {
  const d = parseDetails(entry.details);
  const rows: AuditDetail[] = [];
  if (entry.backendIdentity) rows.push({ label: t('audit.field.backend'), value: entry.backendIdentity });
  const numbers = new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'ja-JP');
  for (const [key, raw] of Object.entries(d)) {
    const label = known(t, `audit.field.${key}`, key);
    let value: string;
    if (typeof raw === 'boolean') value = t(raw ? 'audit.yes' : 'audit.no');
    else if (typeof raw === 'number') value = key === 'run_id' ? String(raw) : numbers.format(raw);
    else if (HASHES.test(key) && typeof raw === 'string') value = `${raw.slice(0, 12)}…`;
    else if (key === 'field') value = known(t, `fields.${str(raw)}`, str(raw));
    else if (key === 'fields')
      value = str(raw)
        .split(',')
        .filter(Boolean)
        .map((f) => known(t, `fields.${f}`, f))
        .join(locale === 'en' ? ', ' : '、');
    else if (key === 'setting') value = known(t, `audit.setting.${str(raw)}`, str(raw));
    else if (key === 'list') value = known(t, `masters.list.${str(raw)}`, str(raw));
    else if (key === 'code') value = known(t, `errors.${str(raw)}`, str(raw), parseParams(d.params));
    else if (key === 'params') continue;
    else if (typeof raw === 'string') value = known(t, `audit.value.${key}.${raw}`, raw);
    else value = raw === null || raw === undefined ? '—' : JSON.stringify(raw);
    rows.push({ label, value });
  }
  return rows;
}
