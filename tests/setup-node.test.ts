import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from './helpers/tmp';

const SCRIPT = join(__dirname, '..', 'scripts', 'setup', 'node.mjs');
const PKG = `node-${process.platform}-${process.arch}`;
const tempDir = tempDirsPerTest();

/**
 * A stand-in for the npm package node-<platform>-<arch>: bin/node answering a version (a shell script) and
 * the header node-gyp looks for. The npm stub "installs" it into --prefix, logging its arguments.
 */
const NPM_STUB = `
const fs = require('node:fs'), path = require('node:path');
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify(process.argv.slice(2)) + '\\n');
const prefix = process.argv[process.argv.indexOf('--prefix') + 1];
const pkg = path.join(prefix, 'node_modules', process.argv.at(-1).split('@')[0]);
fs.mkdirSync(path.join(pkg, 'bin'), { recursive: true });
fs.mkdirSync(path.join(pkg, 'include', 'node'), { recursive: true });
fs.writeFileSync(path.join(pkg, 'include', 'node', 'node_version.h'), '');
fs.writeFileSync(path.join(pkg, 'bin', 'node'), '#!/bin/sh\\necho ' + process.env.FAKE_INSTALLS_VERSION, { mode: 0o755 });`;

function runNodeSetup(nodeVersion: string, opts: { installsVersion?: string } = {}) {
  const dir = tempDir();
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'npm'), `#!${process.execPath}\n${NPM_STUB}`, { mode: 0o755 });
  const log = join(dir, 'npm.log');
  const nodeDir = join(dir, 'node-24');
  const r = spawnSync(process.execPath, [SCRIPT], {
    encoding: 'utf8',
    env: {
      PATH: `${bin}:/bin:/usr/bin`,
      HOME: dir,
      ORDER_STAGER_NODE_DIR: nodeDir,
      ORDER_STAGER_SETUP_NODE_VERSION: nodeVersion,
      FAKE_LOG: log,
      FAKE_INSTALLS_VERSION: opts.installsVersion ?? '24.22.3',
    },
  });
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as string[])
    : [];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls, pkgDir: join(nodeDir, 'node_modules', PKG) };
}

describe.skipIf(!['linux', 'darwin'].includes(process.platform))('Node 24 for development and CI (scripts/setup/node.mjs)', () => {
  it('on an older Node, installs node-<platform>-<arch>@24 into its folder and puts it first on PATH, with its headers for node-gyp', () => {
    const r = runNodeSetup('20.20.2');
    expect(r.calls).toEqual([
      [
        'install',
        '--prefix',
        dirname(dirname(r.pkgDir)),
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        `${PKG}@24`,
      ],
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`export PATH='${r.pkgDir}/bin':"$PATH"\nexport npm_config_nodedir='${r.pkgDir}'\n`);
    // What it prints is for the shell: evaluated, the Node first on PATH is the installed one.
    const shell = spawnSync('sh', ['-c', `${r.stdout}\ncommand -v node; echo "$npm_config_nodedir"`], { encoding: 'utf8' });
    expect(shell.stdout).toBe(`${r.pkgDir}/bin/node\n${r.pkgDir}\n`);
  });

  it('installs once: a second run reuses the folder', () => {
    const first = runNodeSetup('20.20.2');
    expect(first.calls).toHaveLength(1);
    const dir = dirname(dirname(dirname(first.pkgDir)));
    const again = spawnSync(process.execPath, [SCRIPT], {
      encoding: 'utf8',
      // No npm on this PATH: a second install would fail the run.
      env: { PATH: join(dir, 'none'), ORDER_STAGER_NODE_DIR: join(dir, 'node-24'), ORDER_STAGER_SETUP_NODE_VERSION: '20.20.2' },
    });
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(first.stdout);
  });

  it('stops when what was installed is not Node 24', () => {
    const r = runNodeSetup('20.20.2', { installsVersion: '22.1.0' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${PKG}@24 did not bring a working Node 24`);
    expect(r.stdout).toBe('');
  });

  it('on Node 24 installs nothing and points node-gyp at this Node’s own headers (not a machine-wide nodedir)', () => {
    const r = runNodeSetup('24.22.3');
    expect(r.calls).toEqual([]);
    expect(r.status).toBe(0);
    const home = dirname(dirname(process.execPath));
    const expected = existsSync(join(home, 'include', 'node', 'node_version.h')) ? `export npm_config_nodedir='${home}'\n` : '';
    expect(r.stdout).toBe(expected);
  });
});
