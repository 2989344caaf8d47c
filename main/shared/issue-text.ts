import type { TFunction } from 'i18next';
import type { ValidationIssue } from './validation';

/**
 * A validation issue as staff read it (the CLI, the error export, and the renderer's review grid): field names translated, totals with separators, and for a master
 * check the master's value and the suggestions. A warning says it is one.
 */
export function issueText(
  t: TFunction,
  // The code as a string: the review grid's lines carry it as the contract's plain string.
  issue: Pick<ValidationIssue, 'field' | 'value' | 'master' | 'suggestions' | 'severity'> & { code: string },
): string {
  const field = t(`fields.${issue.field}`, { defaultValue: issue.field });
  const value = issue.field === 'total_amount' ? Number(issue.value).toLocaleString('ja-JP') : issue.value;
  const master =
    issue.master === 'inactive'
      ? t('masters.inactive')
      : /^\d+$/.test(issue.master ?? '')
        ? Number(issue.master).toLocaleString('ja-JP')
        : (issue.master ?? '');
  let text = t(`validation.${issue.code}`, { field, value, master });
  if (issue.suggestions?.length) text += t('masters.suggestionsText', { suggestions: issue.suggestions.join('、') });
  return issue.severity === 'warning' ? t('masters.warningPrefix', { text }) : text;
}
