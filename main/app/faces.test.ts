import { describe, expect, it, vi } from 'vitest';
import { cliFaceEnv, type FaceShell, routeArgv, startFace } from './faces';

const EXE = 'C:\\Program Files\\Order Stager\\Order Stager.exe';

function fakeShell(cliCode: number | Error = 0, lock = true) {
  const calls: string[] = [];
  const shell: FaceShell = {
    runCli: vi.fn(async (args: string[]) => {
      calls.push(`cli ${args.join(' ')}`);
      if (cliCode instanceof Error) throw cliCode;
      return cliCode;
    }),
    exit: vi.fn((code: number) => void calls.push(`exit ${code}`)),
    requestSingleInstanceLock: vi.fn(() => {
      calls.push('lock');
      return lock;
    }),
    quit: vi.fn(() => void calls.push('quit')),
    startWindow: vi.fn((files: string[]) => void calls.push(`window ${files.join(',')}`)),
  };
  return { shell, calls };
}

describe('routeArgv', () => {
  it('gives the command line everything after --cli in the packaged app', () => {
    expect(routeArgv([EXE, '--cli', 'sync', '--ready', '--json'], false)).toEqual({ face: 'cli', args: ['sync', '--ready', '--json'] });
  });

  it("skips Electron's own entries in a development run (electron . / electron out/main/index.js)", () => {
    expect(routeArgv(['/usr/bin/electron', 'out/main/index.js', '--cli', 'batches'], true)).toEqual({ face: 'cli', args: ['batches'] });
    expect(routeArgv(['/usr/bin/electron', '.'], true)).toEqual({ face: 'window', files: [] });
  });

  it('drops Chromium switches before --cli and keeps the command line arguments after it verbatim', () => {
    expect(
      routeArgv(
        [EXE, '--no-sandbox', '--enable-logging', '--original-process-start-time=1234', '--cli', '--data-dir', 'D:\\x', 'store', 'info'],
        false,
      ),
    ).toEqual({ face: 'cli', args: ['--data-dir', 'D:\\x', 'store', 'info'] });
    // A second --cli (e.g. an edited value) is the command line's, not a second switch.
    expect(routeArgv([EXE, '--cli', 'edit', '1', 'A', '--field', 'notes', '--value', '--cli'], false)).toEqual({
      face: 'cli',
      args: ['edit', '1', 'A', '--field', 'notes', '--value', '--cli'],
    });
  });

  it('finds --cli anywhere, not only first; with nothing after it the command line prints its help', () => {
    expect(routeArgv([EXE, '--disable-gpu', '--cli', '--help'], false)).toEqual({ face: 'cli', args: ['--help'] });
    expect(routeArgv([EXE, 'sync', '--cli'], false)).toEqual({ face: 'cli', args: [] });
  });

  it('is the window without --cli: a command word opens the window, spreadsheets go to the import', () => {
    expect(routeArgv([EXE, 'sync', '--ready'], false)).toEqual({ face: 'window', files: [] });
    expect(routeArgv([EXE, '--allow-file-access-from-files', 'C:\\Users\\a\\注文.xlsx', 'notes.pdf'], false)).toEqual({
      face: 'window',
      files: ['C:\\Users\\a\\注文.xlsx'],
    });
    // A file whose name merely contains "--cli" is a file.
    expect(routeArgv([EXE, '/tmp/--cli.csv'], false)).toEqual({ face: 'window', files: ['/tmp/--cli.csv'] });
  });
});

describe('startFace', () => {
  it('runs the command line with no window and no single-instance lock, and exits with its status', async () => {
    for (const code of [0, 1, 2]) {
      const { shell, calls } = fakeShell(code);
      await startFace([EXE, '--cli', 'sync', '--ready'], false, shell);
      expect(calls).toEqual(['cli sync --ready', `exit ${code}`]);
      expect(shell.startWindow).not.toHaveBeenCalled();
      expect(shell.requestSingleInstanceLock).not.toHaveBeenCalled();
    }
  });

  it('exits 1 when the command line itself throws, and still opens no window', async () => {
    const { shell, calls } = fakeShell(new Error('boom'));
    await expect(startFace([EXE, '--cli', 'batches'], false, shell)).rejects.toThrow('boom');
    expect(calls).toEqual(['cli batches', 'exit 1']);
  });

  it('takes the lock for the window; without it leaves the files to the running window', async () => {
    const first = fakeShell();
    await startFace([EXE, '/data/a.csv'], false, first.shell);
    expect(first.calls).toEqual(['lock', 'window /data/a.csv']);
    const second = fakeShell(0, false);
    await startFace([EXE, '/data/a.csv'], false, second.shell);
    expect(second.calls).toEqual(['lock', 'quit']);
  });
});

describe('cliFaceEnv', () => {
  const unwrap = vi.fn(async () => 'a'.repeat(64));

  it("uses the desktop app's keychain key when the run names no key and the CLI has no key file", async () => {
    const env = await cliFaceEnv(['sync'], { PATH: '/bin' }, { plainKeyFileExists: false, unwrapDesktopKey: unwrap });
    expect(env).toEqual({ PATH: '/bin', ORDER_STAGER_KEY: 'a'.repeat(64) });
  });

  it('leaves ORDER_STAGER_KEY, --key-file and the CLI key file in charge, without unwrapping', async () => {
    unwrap.mockClear();
    const base = { ORDER_STAGER_KEY: 'b'.repeat(64) };
    expect(await cliFaceEnv([], base, { plainKeyFileExists: false, unwrapDesktopKey: unwrap })).toBe(base);
    expect(await cliFaceEnv(['--key-file', 'k'], {}, { plainKeyFileExists: false, unwrapDesktopKey: unwrap })).toEqual({});
    expect(await cliFaceEnv(['--key-file=k'], {}, { plainKeyFileExists: false, unwrapDesktopKey: unwrap })).toEqual({});
    expect(await cliFaceEnv([], {}, { plainKeyFileExists: true, unwrapDesktopKey: unwrap })).toEqual({});
    expect(unwrap).not.toHaveBeenCalled();
  });
});
