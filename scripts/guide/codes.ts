/**
 * The guide's "エラーコード一覧" / "Error codes", written from the app's own messages so it never goes stale:
 * every code in ERROR_CODES, every validation code and every kind of sync failure gets a row anchored by the
 * code (the app's 詳しく link opens it), with the message as staff see it and what to do.
 */
import { ERROR_CODES } from '../../main/shared/errors';
import { SYNC_FAILURE_KINDS } from '../../main/shared/guide';
import { createI18n } from '../../main/shared/i18n';
import { VALIDATION_CODES } from '../../main/shared/validation';

export const CODES_START = '<!-- codes:start (written by npm run guide:build from the app messages; do not edit by hand) -->';
export const CODES_END = '<!-- codes:end -->';

const WORDS = {
  ja: {
    blank: '○○',
    app: 'アプリのエラー',
    appIntro: '画面の上やコマンドラインに赤字で表示されるエラーです。○○の部分には、ファイル名や番号などが入ります。',
    validation: '注文の検証エラー',
    validationIntro: '注文の確認画面の「エラー内容」列と詳細パネル、エラー一覧ファイルに表示されます。',
    sync: '連携の失敗',
    syncIntro: '連携画面の「失敗・要確認の注文」に、理由として表示されます。',
    code: 'コード',
    message: '表示されるメッセージ',
    kind: '種類',
    todo: '対処',
  },
  en: {
    blank: '…',
    app: 'Application errors',
    appIntro: 'Shown in red at the top of a screen or on the command line. "…" stands for a file name, a number and the like.',
    validation: 'Order validation problems',
    validationIntro: 'Shown in the review grid’s Problems column and side panel, and in the error file.',
    sync: 'Sync failures',
    syncIntro: 'Shown as the reason in the Sync screen’s list of failed and needs-review orders.',
    code: 'Code',
    message: 'Message shown',
    kind: 'Kind',
    todo: 'What to do',
  },
} as const;

/** A table cell: one line, no pipe breaking the table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The generated part of the guide for a language, between its markers. */
export function codesSection(lng: 'ja' | 'en'): string {
  const words = WORDS[lng];
  const i18n = createI18n(lng);
  const { t } = i18n;
  // Every parameter shows as a blank (○○): the table says what the message means, not one case of it.
  const render = (key: string) => {
    const template = String(i18n.getResource(lng, 'translation', key) ?? i18n.getResource(lng, 'translation', `${key}_other`) ?? key);
    return template.replace(/\$t\([^)]*\)/g, words.blank).replace(/\{\{[^}]*\}\}/g, words.blank);
  };
  const lines: string[] = [CODES_START, ''];
  lines.push(`### ${words.app}`, '', words.appIntro, '', `| ${words.code} | ${words.message} |`, '| --- | --- |');
  for (const code of ERROR_CODES) lines.push(`| <a id="${code}"></a>\`${code}\` | ${cell(render(`errors.${code}`))} |`);
  lines.push('', `### ${words.validation}`, '', words.validationIntro, '');
  lines.push(`| ${words.code} | ${words.kind} | ${words.message} | ${words.todo} |`, '| --- | --- | --- | --- |');
  for (const code of VALIDATION_CODES) {
    const kind = t(`validationCodes.${code}`, { defaultValue: '' }) || code;
    const todo = t(`review.todo.${code}`, { defaultValue: '' }) || t('review.todo.default');
    lines.push(`| <a id="${code}"></a>\`${code}\` | ${cell(kind)} | ${cell(render(`validation.${code}`))} | ${cell(todo)} |`);
  }
  lines.push(
    '',
    `### ${words.sync}`,
    '',
    words.syncIntro,
    '',
    `| ${words.kind} | ${words.message} | ${words.todo} |`,
    '| --- | --- | --- |',
  );
  for (const kind of SYNC_FAILURE_KINDS) {
    const todo = t(`review.todo.sync_${kind}`, { defaultValue: '' }) || t('review.todo.sync');
    lines.push(`| <a id="sync-${kind}"></a>\`${kind}\` | ${cell(render(`syncErrors.${kind}`))} | ${cell(todo)} |`);
  }
  lines.push('', CODES_END);
  return lines.join('\n');
}

/** The guide with its generated part brought up to date (the markers must be there). */
export function withCodes(markdown: string, lng: 'ja' | 'en'): string {
  const start = markdown.indexOf(CODES_START);
  const end = markdown.indexOf(CODES_END);
  if (start < 0 || end < start) throw new Error(`the ${lng} guide has no ${CODES_START} … ${CODES_END} markers`);
  return markdown.slice(0, start) + codesSection(lng) + markdown.slice(end + CODES_END.length);
}
