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
  // Numbers go to the message as numbers: the message formats them in the reader's language (3,600,000). A value
  // quoted as typed («1500円») stays as typed.
  const numeric = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : text);
  const value = issue.field === 'total_amount' ? numeric(issue.value) : issue.value;
  const master = issue.master === 'inactive' ? t('masters.inactive') : (numeric(issue.master) ?? '');
  let text = t(`validation.${issue.code}`, { field, value, master });
  if (issue.suggestions?.length) text += t('masters.suggestionsText', { suggestions: issue.suggestions.join(t('masters.separator')) });
  return issue.severity === 'warning' ? t('masters.warningPrefix', { text }) : text;
}
