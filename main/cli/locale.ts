import type { Locale } from '../shared/contract';
import { localeFromEnv } from '../shared/i18n';

const LANG_FLAG = '--lang';

/** The value given to the global --lang option (`--lang en` or `--lang=en`), if any, before a `--`. */
export function langArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return undefined;
    if (arg === LANG_FLAG) return argv[i + 1];
    if (arg.startsWith(`${LANG_FLAG}=`)) return arg.slice(LANG_FLAG.length + 1);
  }
  return undefined;
}

/**
 * The language the command line speaks, chosen before any command is parsed (help is translated too):
 * `--lang ja|en`, else ORDER_STAGER_LANG, else the POSIX locale in its own order (LC_ALL, LC_MESSAGES, LANG;
 * empty ones skipped); Japanese unless one of them says English. The desktop app's language setting lives in
 * the encrypted store, which `--help` never opens, so it is not consulted.
 */
export function cliLocale(argv: readonly string[], env: NodeJS.ProcessEnv): Locale {
  const given = langArgument(argv);
  if (given === 'ja' || given === 'en') return given;
  const posix = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value);
  return localeFromEnv(env.ORDER_STAGER_LANG || posix);
}
