import { filesFromArgv } from './open-files';

/** The flag that turns the packaged app into its command line: `"Order Stager.exe" --cli sync --ready --json`. */
export const CLI_FLAG = '--cli';

/** What one start of the binary is: the command line (no window, no single-instance lock) or the desktop app. */
export type Face = { face: 'cli'; args: string[] } | { face: 'window'; files: string[] };

/**
 * The arguments the user (or the OS) gave, without Electron's own entries: the executable, and in a
 * development run (`electron .`, `process.defaultApp`) the app's path after it.
 */
export function userArgs(argv: readonly string[], defaultApp: boolean): string[] {
  return argv.slice(defaultApp ? 2 : 1);
}

/**
 * Routes one start. `--cli` anywhere among the user's arguments chooses the command line, which gets every
 * argument after it, verbatim. What comes before it belongs to Electron and Chromium (`--no-sandbox`,
 * `--enable-logging`, `--original-process-start-time=…`, macOS's `-psn_…`) and is dropped: the command line's
 * own options go after `--cli`. Without `--cli` it is the window, with the spreadsheets the OS handed over.
 */
export function routeArgv(argv: readonly string[], defaultApp: boolean): Face {
  const args = userArgs(argv, defaultApp);
  const at = args.indexOf(CLI_FLAG);
  if (at >= 0) return { face: 'cli', args: args.slice(at + 1) };
  return { face: 'window', files: filesFromArgv(['', ...args]) };
}

/** What starting a face needs from Electron: injected, so the routing is tested under plain Node. */
export interface FaceShell {
  /** Runs the command line (`runCli`) and resolves to its exit status. */
  runCli(args: string[]): Promise<number>;
  /** Ends the process with a status once output is flushed (`app.exit`). */
  exit(code: number): void;
  /** Electron's single-instance lock: only the window takes it. */
  requestSingleInstanceLock(): boolean;
  /** Leaves quietly (another window of the app is running and gets our files). */
  quit(): void;
  /** Opens the desktop app with the files to import. */
  startWindow(files: string[]): void;
}

/**
 * Starts the face the arguments choose. The command line never takes or waits for the window's
 * single-instance lock, so a scheduled `--cli sync` runs while the window is open; two syncs on one store
 * are still kept apart by the store's sync lock. Its exit status is the command line's (0, 1 failed /
 * needs review, 2 usage); a crash of the command line itself is 1.
 */
export async function startFace(argv: readonly string[], defaultApp: boolean, shell: FaceShell): Promise<Face> {
  const face = routeArgv(argv, defaultApp);
  if (face.face === 'cli') {
    let code = 1;
    try {
      code = await shell.runCli(face.args);
    } finally {
      shell.exit(code);
    }
    return face;
  }
  if (!shell.requestSingleInstanceLock()) {
    shell.quit();
    return face;
  }
  shell.startWindow(face.files);
  return face;
}

/** Whether the command line's arguments name the store key themselves (`--key-file FILE` or `--key-file=FILE`). */
export function namesKeyFile(args: readonly string[]): boolean {
  return args.some((arg) => arg === '--key-file' || arg.startsWith('--key-file='));
}

/**
 * The environment for the command line face: when neither ORDER_STAGER_KEY nor `--key-file` is given and the
 * CLI has no key file of its own, the key is the desktop app's (the OS keychain's wrapped key file), unwrapped
 * by the shell and handed to this one run only (never written to the process environment or a file).
 */
export async function cliFaceEnv(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  desktop: { plainKeyFileExists: boolean; unwrapDesktopKey: () => Promise<string | null> },
): Promise<NodeJS.ProcessEnv> {
  if (env.ORDER_STAGER_KEY || namesKeyFile(args) || desktop.plainKeyFileExists) return env;
  const key = await desktop.unwrapDesktopKey();
  return key ? { ...env, ORDER_STAGER_KEY: key } : env;
}
