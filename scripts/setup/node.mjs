#!/usr/bin/env node
// @ts-check
/**
 * Node 24 (.nvmrc; the Node inside Electron 45) for development, tests and CI, on a machine whose Node is
 * older. Plain Node with no dependencies, so it runs on the old Node. Prints shell lines to evaluate:
 *
 *   eval "$(node scripts/setup/node.mjs)"
 *
 * - This Node is already 24 or newer: prints `export npm_config_nodedir=…` pointing at its own headers when
 *   it has them (a machine's npm config may name another Node's headers, e.g. nodedir=/usr on Debian, and
 *   node-gyp would then build the SQLCipher driver silently for that Node).
 * - Older: installs the npm package node-<platform>-<arch>@24 (Node's binary in bin/node and its headers in
 *   include/node) into a folder outside the checkout, once, and prints `export PATH=<its bin>:$PATH` and
 *   `export npm_config_nodedir=<the package>` so `npm ci` builds the driver for Node 24.
 *
 * The folder: ORDER_STAGER_NODE_DIR, else $XDG_CACHE_HOME/order-stager/node-24 (~/.cache when unset).
 * For this script's own tests: ORDER_STAGER_SETUP_NODE_VERSION (the version to assume this Node is).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WANT = Number.parseInt(readFileSync(join(ROOT, '.nvmrc'), 'utf8'), 10);
/** The platforms the registry has a node-<platform>-<arch> package for, with the layout used here. */
const SUPPORTED = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'];

/** @param {string} message @returns {never} */
function stop(message) {
  console.error(`order-stager: ${message}`);
  process.exit(1);
}

/** @param {string} value a single-quoted shell word */
const sh = (value) => `'${value.replaceAll("'", "'\\''")}'`;

/** @param {string} dir a Node installation (prefix) @returns {boolean} whether it carries the headers node-gyp needs */
const hasHeaders = (dir) => existsSync(join(dir, 'include', 'node', 'node_version.h'));

/** @param {string} node @returns {number | undefined} the major version of the Node binary at that path */
function majorOf(node) {
  const r = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return r.status === 0 ? Number.parseInt(r.stdout, 10) : undefined;
}

const current = process.env.ORDER_STAGER_SETUP_NODE_VERSION ?? process.versions.node;
if (Number.parseInt(current, 10) >= WANT) {
  const home = dirname(dirname(process.execPath));
  if (hasHeaders(home)) console.log(`export npm_config_nodedir=${sh(home)}`);
  process.exit(0);
}

const platform = `${process.platform}-${process.arch}`;
if (!SUPPORTED.includes(platform))
  stop(`Node ${WANT} is needed (this is Node ${current}): install it from https://nodejs.org or run  nvm install ${WANT}`);
const pkg = `node-${platform}`;
const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
const dir = process.env.ORDER_STAGER_NODE_DIR || join(cache, 'order-stager', `node-${WANT}`);
const pkgDir = join(dir, 'node_modules', pkg);
const node = join(pkgDir, 'bin', 'node');

if (majorOf(node) !== WANT || !hasHeaders(pkgDir)) {
  console.error(`order-stager: this is Node ${current}; installing Node ${WANT} (npm package ${pkg}@${WANT}) into ${dir}`);
  const args = [
    'install',
    '--prefix',
    dir,
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
    `${pkg}@${WANT}`,
  ];
  const r = spawnSync('npm', args, { stdio: ['ignore', process.stderr, 'inherit'] });
  if (r.status !== 0) stop(`npm ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}); see its output above`);
  if (majorOf(node) !== WANT || !hasHeaders(pkgDir)) stop(`${pkg}@${WANT} did not bring a working Node ${WANT} with headers in ${pkgDir}`);
}
console.log(`export PATH=${sh(join(pkgDir, 'bin'))}:"$PATH"`);
console.log(`export npm_config_nodedir=${sh(pkgDir)}`);
