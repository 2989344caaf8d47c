import { type Argument, type Command, Help, type Option } from 'commander';
import type { TFunction } from 'i18next';
import stringWidth from 'string-width';

// Where a line of help may break: between words, and between any two Japanese characters, except before
// closing punctuation and small kana and after an opening bracket (the usual kinsoku rules).
const WIDE = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\u3000-\\u303F\\uFF00-\\uFFEF';
const OPEN = '[（「『【〔〈《]';
const CLOSE = '[、。，．）」』】〕〉》：；！？ー・…ぁぃぅぇぉっゃゅょァィゥェォッャュョ]';
const CHUNK = new RegExp(`\\s*${OPEN}*(?:[${WIDE}]|[^\\s${WIDE}]+)${CLOSE}*`, 'gu');
const MIN_WIDTH_TO_WRAP = 40;

/** Wraps help text to `width` terminal columns (a Japanese character takes two), keeping its own line breaks. */
export function wrapHelp(text: string, width: number): string {
  if (width < MIN_WIDTH_TO_WRAP) return text;
  const wrapped: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const chunks = line.match(CHUNK) ?? [];
    let current = '';
    let used = 0;
    for (const chunk of chunks) {
      const chunkWidth = stringWidth(chunk);
      if (current && used + chunkWidth > width) {
        wrapped.push(current);
        current = chunk.trimStart();
        used = stringWidth(current);
      } else {
        current += chunk;
        used += chunkWidth;
      }
    }
    wrapped.push(current);
  }
  return wrapped.join('\n');
}

type Described = Pick<Option, 'description' | 'defaultValue' | 'defaultValueDescription' | 'argChoices'>;

/** A description with its default value and choices, said in the help's language (commander says them in English). */
function withFacts(t: TFunction, item: Described, showDefault: boolean): string {
  const facts: string[] = [];
  if (item.argChoices) facts.push(t('cli.help.choices', { values: item.argChoices.join(', ') }));
  const empty = Array.isArray(item.defaultValue) && item.defaultValue.length === 0;
  if (showDefault && item.defaultValue !== undefined && !empty)
    facts.push(t('cli.help.default', { value: item.defaultValueDescription ?? JSON.stringify(item.defaultValue) }));
  if (facts.length === 0) return item.description ?? '';
  return t('cli.help.withFacts', { description: item.description ?? '', facts: facts.join(t('cli.help.factSeparator')) }).trim();
}

/**
 * The program's help in the chosen language, through commander's own hooks: the built-in help option and
 * command described in that language, the section titles translated, defaults and choices said in it, and
 * widths measured as a terminal draws them. Called before any command is added: subcommands inherit it.
 */
export function localizeHelp(program: Command, t: TFunction): Command {
  const titles: Record<string, string> = {
    'Usage:': t('cli.help.title.usage'),
    'Arguments:': t('cli.help.title.arguments'),
    'Options:': t('cli.help.title.options'),
    'Global Options:': t('cli.help.title.globalOptions'),
    'Commands:': t('cli.help.title.commands'),
  };
  return program
    .helpOption('-h, --help', t('cli.help.helpOption'))
    .helpCommand('help [command]', t('cli.help.helpCommand'))
    .configureHelp({
      // A full-width colon ends the usage title in Japanese: no space after it ("使い方：order-stager …").
      formatHelp: (command, helper) => Help.prototype.formatHelp.call(helper, command, helper).replace(/^(\S*：) /, '$1'),
      styleTitle: (title) => titles[title] ?? title,
      displayWidth: (text) => stringWidth(text),
      boxWrap: (text, width) => wrapHelp(text, width),
      optionDescription: (option: Option) =>
        withFacts(t, option, option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean')),
      argumentDescription: (argument: Argument) => withFacts(t, argument, true),
    });
}
