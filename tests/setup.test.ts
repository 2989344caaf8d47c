import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from './helpers/tmp';

const SCRIPT = join(__dirname, '..', 'scripts', 'setup', 'ensure-deps.mjs');
const tempDir = tempDirsPerTest();

/**
 * Stand-ins for Debian's tools, as Node scripts with a shebang (so not on Windows, which has no apt either).
 * apt-get "installs" by making what the package would bring appear (Chromium at CHROMIUM_PATH, the font
 * package in dpkg's list, the toolchain on PATH), so the set-up script's check after apt-get is exercised
 * too. Every call is logged; sudo must never be called.
 */
const STUBS: Record<string, string> = {
  'apt-get': `
const fs = require('node:fs');
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify(['apt-get', ...process.argv.slice(2)]) + '\\n');
if (process.argv[2] === 'install' && !process.env.FAKE_APT_INSTALLS_NOTHING) {
  for (const pkg of process.argv.slice(3).filter((a) => !a.startsWith('-'))) {
    if (pkg === 'chromium') fs.writeFileSync(process.env.CHROMIUM_PATH, '', { mode: 0o755 });
    else if (['python3', 'make', 'g++'].includes(pkg)) fs.writeFileSync(process.env.FAKE_BIN + '/' + pkg, '', { mode: 0o755 });
    else fs.appendFileSync(process.env.FAKE_DEBS, pkg + '\\n');
  }
}`,
  'dpkg-query': `
const fs = require('node:fs');
const installed = fs.existsSync(process.env.FAKE_DEBS) ? fs.readFileSync(process.env.FAKE_DEBS, 'utf8').split('\\n') : [];
if (installed.includes(process.argv.at(-1))) process.stdout.write('Package: ' + process.argv.at(-1) + '\\nStatus: install ok installed\\n');
else process.exit(1);`,
  npm: `
const fs = require('node:fs');
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify(['npm', ...process.argv.slice(2)]) + '\\n');
fs.writeFileSync(process.env.FAKE_BUILT, '');`,
  sudo: `
require('node:fs').appendFileSync(process.env.FAKE_LOG, JSON.stringify(['sudo', ...process.argv.slice(2)]) + '\\n');`,
};

/** A driver that loads once "built" (the npm stub's rebuild makes it so), like the real one after npm rebuild. */
const DRIVER = `module.exports = class {
  constructor() { if (!require('node:fs').existsSync(process.env.FAKE_BUILT)) throw new Error('Could not locate the bindings file.'); }
  close() {}
};`;

type Machine = {
  /** Tools on PATH besides dpkg-query (always there: Debian). */
  tools?: string[];
  root?: boolean;
  /** apt-get given by the environment switch instead of PATH. */
  aptSwitch?: boolean;
  chromium?: boolean;
  fonts?: boolean;
  driverBuilt?: boolean;
  toolchain?: boolean;
  aptInstallsNothing?: boolean;
  /** The Node version the script is to assume (default: the .nvmrc one). */
  node?: string;
};

/** Runs the set-up script on a machine with nothing but what `m` says, on a PATH of one folder. */
function runSetup(mode: string, m: Machine) {
  const dir = tempDir();
  const bin = join(dir, 'bin');
  const stubs = join(dir, 'stubs');
  mkdirSync(bin);
  mkdirSync(stubs);
  for (const [name, body] of Object.entries(STUBS)) writeFileSync(join(stubs, name), `#!${process.execPath}\n${body}`, { mode: 0o755 });
  const put = (name: string) => writeFileSync(join(bin, name), readFileSync(join(stubs, name)), { mode: 0o755 });
  for (const tool of ['dpkg-query', ...(m.tools ?? [])]) put(tool);
  if (m.toolchain) for (const tool of ['python3', 'make', 'g++']) writeFileSync(join(bin, tool), '', { mode: 0o755 });
  const chromiumPath = join(dir, 'chromium');
  if (m.chromium) writeFileSync(chromiumPath, '', { mode: 0o755 });
  const log = join(dir, 'calls.log');
  const debs = join(dir, 'debs');
  const built = join(dir, 'built');
  const env: Record<string, string> = {
    PATH: bin,
    CHROMIUM_PATH: chromiumPath,
    ORDER_STAGER_SETUP_UID: m.root ? '0' : '1000',
    ORDER_STAGER_SETUP_NODE_VERSION: m.node ?? '24.11.1',
    ORDER_STAGER_SETUP_SQLITE_MODULE: join(dir, 'driver.cjs'),
    FAKE_LOG: log,
    FAKE_DEBS: debs,
    FAKE_BIN: bin,
    FAKE_BUILT: built,
  };
  if (m.aptSwitch) env.ORDER_STAGER_SETUP_APT = join(stubs, 'apt-get');
  if (m.aptInstallsNothing) env.FAKE_APT_INSTALLS_NOTHING = '1';
  writeFileSync(join(dir, 'driver.cjs'), DRIVER);
  if (m.fonts) writeFileSync(debs, 'fonts-noto-cjk\n');
  if (m.driverBuilt) writeFileSync(built, '');

  const started = performance.now();
  const r = spawnSync(process.execPath, [SCRIPT, mode], { env, encoding: 'utf8' });
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as string[])
    : [];
  const lines = r.stderr.split('\n').filter(Boolean);
  return { status: r.status, stdout: r.stdout, lines, calls, ms: performance.now() - started, chromiumPath };
}

const INSTALL = ['apt-get', 'install', '-y', '-qq', '--no-install-recommends'];

describe.skipIf(process.platform === 'win32')('set-up script for npm test (scripts/setup/ensure-deps.mjs)', () => {
  it('does nothing and exits 0 at once when everything is there', () => {
    const r = runSetup('test', { tools: ['apt-get', 'sudo', 'npm'], root: true, chromium: true, fonts: true, driverBuilt: true });
    expect(r).toMatchObject({ status: 0, stdout: '', lines: [], calls: [] });
    expect(r.ms).toBeLessThan(3000);
  });

  it('as root with apt, installs Chromium and the CJK fonts with apt-get, then lets the tests run', () => {
    const r = runSetup('test', { root: true, aptSwitch: true, driverBuilt: true });
    expect(r.calls).toEqual([
      ['apt-get', 'update', '-qq'],
      [...INSTALL, 'chromium', 'fonts-noto-cjk'],
    ]);
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      `order-stager: npm test needs Chromium at CHROMIUM_PATH=${r.chromiumPath}, the CJK fonts: installing chromium fonts-noto-cjk with apt-get`,
    ]);
  });

  it('installs only what is missing', () => {
    const r = runSetup('test', { tools: ['apt-get'], root: true, chromium: true, driverBuilt: true });
    expect(r.calls.at(-1)).toEqual([...INSTALL, 'fonts-noto-cjk']);
    expect(r.status).toBe(0);
  });

  it('not as root, stops with one line giving the exact sudo command, and runs nothing', () => {
    const r = runSetup('test', { tools: ['apt-get', 'sudo', 'npm'], driverBuilt: true });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      `order-stager: npm test needs Chromium at CHROMIUM_PATH=${r.chromiumPath}, the CJK fonts. Run this, then npm test again: sudo apt-get install chromium fonts-noto-cjk`,
    ]);
    expect(r.calls).toEqual([]);
  });

  it('not as root and without sudo, says to run the apt-get command as root', () => {
    const r = runSetup('test', { tools: ['apt-get'], chromium: true, driverBuilt: true });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      'order-stager: npm test needs the CJK fonts. Run this as root, then npm test again: apt-get install fonts-noto-cjk',
    ]);
    expect(r.calls).toEqual([]);
  });

  it('without apt, stops with one line saying what to install', () => {
    const r = runSetup('test', { tools: ['sudo', 'npm'], root: true, fonts: true, driverBuilt: true });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      `order-stager: npm test needs Chromium at CHROMIUM_PATH=${r.chromiumPath}, and there is no apt-get here: install chromium (or set CHROMIUM_PATH to a Chromium executable)`,
    ]);
    expect(r.calls).toEqual([]);
  });

  it('stops when apt-get ran but Chromium is still not where the tests look', () => {
    const r = runSetup('test', { tools: ['apt-get'], root: true, fonts: true, driverBuilt: true, aptInstallsNothing: true });
    expect(r.status).toBe(1);
    expect(r.lines.at(-1)).toBe(
      `order-stager: still missing after apt-get: Chromium at CHROMIUM_PATH=${r.chromiumPath}; unset CHROMIUM_PATH to use Debian's at /usr/bin/chromium`,
    );
  });
});

describe.skipIf(process.platform === 'win32')('set-up script for the SQLCipher driver', () => {
  it('rebuilds a driver that does not load when the toolchain is there', () => {
    const r = runSetup('demo', { tools: ['npm'], toolchain: true });
    expect(r.calls).toEqual([['npm', 'rebuild', 'better-sqlite3-multiple-ciphers']]);
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      'order-stager: the SQLCipher driver does not load (Error: Could not locate the bindings file.): building it with npm rebuild better-sqlite3-multiple-ciphers',
    ]);
  });

  it('as root with apt, installs the missing toolchain first, then rebuilds', () => {
    const r = runSetup('test', { tools: ['apt-get', 'npm'], root: true, chromium: true, fonts: true });
    expect(r.calls).toEqual([
      ['apt-get', 'update', '-qq'],
      [...INSTALL, 'python3', 'make', 'g++'],
      ['npm', 'rebuild', 'better-sqlite3-multiple-ciphers'],
    ]);
    expect(r.status).toBe(0);
  });

  it('not as root, names the toolchain and the sudo command, and builds nothing', () => {
    const r = runSetup('demo', { tools: ['apt-get', 'sudo', 'npm'] });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      'order-stager: npm run demo needs python3, make, g++ to build the SQLCipher driver. Run this, then npm run demo again: sudo apt-get install python3 make g++',
    ]);
    expect(r.calls).toEqual([]);
  });

  it('before npm ci (toolchain), installs the toolchain whatever the driver', () => {
    const r = runSetup('toolchain', { tools: ['apt-get'], root: true, driverBuilt: true });
    expect(r.calls.at(-1)).toEqual([...INSTALL, 'python3', 'make', 'g++']);
    expect(r.status).toBe(0);
    expect(runSetup('toolchain', { tools: ['apt-get'], toolchain: true }).calls).toEqual([]);
  });

  it('on a Node older than .nvmrc, stops before anything with the command that brings Node 24', () => {
    for (const mode of ['test', 'toolchain']) {
      const r = runSetup(mode, { tools: ['apt-get', 'npm'], root: true, node: '20.20.2' });
      expect(r.status).toBe(1);
      expect(r.lines).toHaveLength(1);
      expect(r.lines[0]).toMatch(
        /needs Node 24 \(\.nvmrc\) and this is Node 20\.20\.2: run {2}nvm use {2}or {2}eval "\$\(node scripts\/setup\/node\.mjs\)"/,
      );
      expect(r.calls).toEqual([]);
    }
  });
});
