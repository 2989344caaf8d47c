import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, safeStorage } from 'electron';
import { cliFaceEnv } from '../app/faces';
import { processIo, runCli } from '../cli/program';
import { defaultKeyFile, defaultPaths } from '../config/paths';
import { shellLogger } from './logging';
import { WRAPPED_KEY_FILE } from './resources';

/**
 * The packaged app's command line (`"Order Stager.exe" --cli …`): the same runCli as `npm run cli`, in
 * Electron's main process, with no window. Output goes through process.stdout / process.stderr. On Windows the
 * exe is a GUI-subsystem program: Electron attaches it to the console it was started from (unless
 * ELECTRON_NO_ATTACH_CONSOLE is set), and redirected output (`> out.json`, Task Scheduler) goes to its handles;
 * but cmd.exe does not wait for a GUI program typed at its prompt, so the prompt comes back before the output
 * and %ERRORLEVEL% is not the command's. The `order-stager.cmd` launcher runs it from a batch file, where cmd
 * waits and passes on the exit status.
 */
export async function runCliFace(args: string[]): Promise<number> {
  // No dock icon on macOS, no GPU process, and Chromium's profile data (cookies, caches) in a folder of this
  // run's own, so the command line never contends with an open window's files.
  app.dock?.hide();
  app.disableHardwareAcceleration();
  const sessionData = mkdtempSync(join(tmpdir(), 'order-stager-cli-'));
  app.setPath('sessionData', sessionData);
  const { log } = shellLogger('cli.log', false);
  await app.whenReady();
  const paths = defaultPaths();
  const env = await cliFaceEnv(args, process.env, {
    plainKeyFileExists: existsSync(defaultKeyFile(process.env.ORDER_STAGER_CONFIG_DIR ?? paths.configDir)),
    unwrapDesktopKey: async () => {
      // The desktop app's key, wrapped by the OS keychain (safeStorage). Unavailable (e.g. cron on Linux with
      // no session keyring) means the run needs ORDER_STAGER_KEY or --key-file, which the CLI then asks for.
      const wrappedFile = join(paths.configDir, WRAPPED_KEY_FILE);
      if (!existsSync(wrappedFile) || !safeStorage.isEncryptionAvailable()) return null;
      try {
        return safeStorage.decryptString(readFileSync(wrappedFile));
      } catch {
        log.warn('cli.keychain', { code: 'KEY_MISSING' });
        return null;
      }
    },
  });
  try {
    const code = await runCli(args, { ...processIo, env });
    log.info('cli.exit', { status: code });
    return code;
  } finally {
    try {
      rmSync(sessionData, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // Chromium may still hold a file there on Windows; the status is the command's, and temp is the OS's to clean.
    }
  }
}

/** Exits once what the command printed has reached its pipe or file (app.exit does not wait for stdout). */
export function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => app.exit(code)));
}
