import electronLog from 'electron-log/main';
import { createLogger, type Logger } from '../app/log';

/**
 * The shell's logger: electron-log's file in the per-user log folder (Windows %APPDATA%\Order Stager\logs,
 * macOS ~/Library/Logs/Order Stager, Linux ~/.config/Order Stager/logs), rotated at 1 MB to `<name>.old.log`,
 * info and above. Lines come only through main/app/log.ts, which writes codes, ids and counts, never free text.
 * The command line face logs to cli.log with the console transport off, so its stdout stays the command's.
 */
export function shellLogger(fileName: 'main.log' | 'cli.log', echoToConsole: boolean): { log: Logger; files: () => string[] } {
  electronLog.transports.file.fileName = fileName;
  electronLog.transports.file.maxSize = 1024 * 1024;
  electronLog.transports.file.level = 'info';
  electronLog.transports.console.level = echoToConsole ? 'info' : false;
  const log = createLogger((level, line) => electronLog[level](line));
  const files = () => {
    const current = electronLog.transports.file.getFile().path;
    return [current.replace(/\.log$/, '.old.log'), current];
  };
  return { log, files };
}
