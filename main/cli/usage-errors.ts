import { Command, type ErrorOptions } from 'commander';
import type { TFunction } from 'i18next';

// Commander's own usage errors, by code, said in the chosen language: the message's quoted names (a command,
// an option's flags) are kept, the English around them is not.
const USAGE_ERROR_KEY: Record<string, string> = {
  'commander.unknownCommand': 'cli.usage.unknownCommand',
  'commander.unknownOption': 'cli.usage.unknownOption',
  'commander.missingArgument': 'cli.usage.missingArgument',
  'commander.optionMissingArgument': 'cli.usage.optionMissingArgument',
  'commander.missingMandatoryOptionValue': 'cli.usage.missingOption',
  'commander.excessArguments': 'cli.usage.excessArguments',
};

/** A commander usage error in the language of `t` (unknown ones as commander wrote them). */
export function usageErrorText(t: TFunction, message: string, code: string | undefined): string {
  const key = code ? USAGE_ERROR_KEY[code] : undefined;
  if (!key) return message;
  const name = message.match(/'([^']*)'/)?.[1] ?? '';
  const given = message.match(/but got \d+: (.*)\.$/)?.[1] ?? '';
  const similar = message.match(/\(Did you mean (?:one of )?(.+)\?\)/)?.[1];
  const text = t('cli.usage.error', { message: t(key, { name, given }) });
  return similar ? `${text}\n${t('cli.usage.didYouMean', { similar })}` : text;
}

/** A commander Command (and every subcommand made from it) whose usage errors are translated. */
export function localizedCommand(name: string, t: TFunction): Command {
  class LocalizedCommand extends Command {
    override createCommand(subName?: string): Command {
      return new LocalizedCommand(subName);
    }

    override error(message: string, errorOptions?: ErrorOptions): never {
      return super.error(usageErrorText(t, message, errorOptions?.code), errorOptions);
    }
  }
  return new LocalizedCommand(name);
}
