#!/usr/bin/env node
// @ts-check
/**
 * Brings what the README's commands need outside node_modules, or stops before anything runs with one line
 * naming the exact command to run. Plain Node with no dependencies: `.ci/run` calls it before `npm ci`.
 *
 *   node scripts/setup/ensure-deps.mjs test       npm test: Chromium, the CJK fonts, a loadable SQLCipher driver
 *   node scripts/setup/ensure-deps.mjs demo       npm run demo: a loadable SQLCipher driver
 *   node scripts/setup/ensure-deps.mjs toolchain  before npm install/ci: python3, make, g++ (the driver's source build)
 *
 * Missing Debian packages are installed with apt-get when running as root; otherwise the script prints the
 * sudo command and exits 1. A driver that does not load (never built, or built for another Node) is rebuilt
 * with `npm rebuild`, once the toolchain a source build needs is present.
 *
 * Every mode first requires the Node of .nvmrc (24, the Node inside Electron): on an older one it stops
 * with the command that brings it (scripts/setup/node.mjs).
 *
 * For this script's own tests: ORDER_STAGER_SETUP_APT (the apt-get to run), ORDER_STAGER_SETUP_UID (the user id
 * to assume), ORDER_STAGER_SETUP_SQLITE_MODULE (the module the driver probe loads) and
 * ORDER_STAGER_SETUP_NODE_VERSION (the version to assume this Node is).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DRIVER = 'better-sqlite3-multiple-ciphers';
const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const TOOLCHAIN = ['python3', 'make', 'g++'];

/** @typedef {{ label: string, chromium: boolean, driver: boolean, toolchain: boolean }} Mode */
/** @type {Record<string, Mode>} */
const MODES = {
  test: { label: 'npm test', chromium: true, driver: true, toolchain: false },
  demo: { label: 'npm run demo', chromium: false, driver: true, toolchain: false },
  toolchain: { label: 'npm install', chromium: false, driver: false, toolchain: true },
};

/** @param {string} message @returns {never} */
function stop(message) {
  console.error(`order-stager: ${message}`);
  process.exit(1);
}

/** @param {string} path */
function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** @param {string} name */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** @param {string} name @returns {boolean | undefined} undefined where there is no dpkg to ask (not Debian) */
function debInstalled(name) {
  const dpkgQuery = onPath('dpkg-query');
  if (!dpkgQuery) return undefined;
  const r = spawnSync(dpkgQuery, ['--status', name], { encoding: 'utf8' });
  return r.status === 0 && /^Status: install ok installed$/m.test(r.stdout);
}

const chromiumPath = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
const chromiumWhat =
  process.env.CHROMIUM_PATH === undefined ? `Chromium at ${DEFAULT_CHROMIUM}` : `Chromium at CHROMIUM_PATH=${chromiumPath}`;

/**
 * What is missing, as Debian packages with what they are for. Computed again after apt-get to check it worked.
 * @param {Mode} mode @param {boolean} driverLoads
 */
function missing(mode, driverLoads) {
  /** @type {{ pkgs: string[], what: string }[]} */
  const need = [];
  if (mode.chromium) {
    if (!isExecutable(chromiumPath)) need.push({ pkgs: ['chromium'], what: chromiumWhat });
    // The renderer screenshots (test artifacts) show Japanese; without these fonts every glyph is a box.
    if (debInstalled('fonts-noto-cjk') === false) need.push({ pkgs: ['fonts-noto-cjk'], what: 'the CJK fonts' });
  }
  if (mode.toolchain || (mode.driver && !driverLoads)) {
    const absent = TOOLCHAIN.filter((tool) => !onPath(tool));
    if (absent.length) need.push({ pkgs: absent, what: `${absent.join(', ')} to build the SQLCipher driver` });
  }
  return need;
}

/** Loads the driver and opens an in-memory database in a child process, as the app does. */
function probeDriver() {
  const module = process.env.ORDER_STAGER_SETUP_SQLITE_MODULE ?? DRIVER;
  const code = `let D; try { D = require(process.argv[1]); } catch (e) { if (e.code === 'MODULE_NOT_FOUND') process.exit(3); throw e; }
new D(':memory:').close();`;
  const r = spawnSync(process.execPath, ['-e', code, module], { cwd: ROOT, encoding: 'utf8' });
  const reason = /^\w*Error: .*$/m.exec(r.stderr)?.[0] ?? `exit ${r.status}`;
  return { loads: r.status === 0, installed: r.status !== 3, reason };
}

/** @param {string[]} args */
function runNpm(args) {
  // Under `npm test` npm names itself; run the same npm rather than whichever one PATH finds first.
  const npmCli = process.env.npm_execpath;
  const command = npmCli ? process.execPath : onPath('npm');
  if (!command) stop(`npm is not on PATH: run  npm ${args.join(' ')}  yourself`);
  return spawnSync(/** @type {string} */ (command), npmCli ? [npmCli, ...args] : args, { cwd: ROOT, stdio: 'inherit' }).status;
}

/** @param {Mode} mode @param {{ pkgs: string[], what: string }[]} need */
function install(mode, need) {
  const pkgs = need.flatMap((n) => n.pkgs);
  const whats = need.map((n) => n.what).join(', ');
  const apt = process.env.ORDER_STAGER_SETUP_APT ?? onPath('apt-get');
  const chromiumHint = need.some((n) => n.pkgs.includes('chromium')) ? ' (or set CHROMIUM_PATH to a Chromium executable)' : '';
  if (!apt) stop(`${mode.label} needs ${whats}, and there is no apt-get here: install ${pkgs.join(' ')}${chromiumHint}`);
  const uid = process.env.ORDER_STAGER_SETUP_UID ?? String(process.getuid?.() ?? -1);
  if (uid !== '0') {
    const [how, sudo] = onPath('sudo') ? ['', 'sudo '] : [' as root', ''];
    stop(`${mode.label} needs ${whats}. Run this${how}, then ${mode.label} again: ${sudo}apt-get install ${pkgs.join(' ')}`);
  }
  console.error(`order-stager: ${mode.label} needs ${whats}: installing ${pkgs.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...pkgs],
  ]) {
    const r = spawnSync(/** @type {string} */ (apt), args, { env, stdio: 'inherit' });
    if (r.status !== 0) stop(`apt-get ${args[0]} failed (${r.error?.message ?? `exit ${r.status}`}); see its output above`);
  }
}

const arg = process.argv[2] ?? '';
const mode = Object.hasOwn(MODES, arg) ? MODES[arg] : undefined;
if (!mode) stop(`usage: node scripts/setup/ensure-deps.mjs ${Object.keys(MODES).join('|')}`);

const nodeWanted = Number.parseInt(readFileSync(join(ROOT, '.nvmrc'), 'utf8'), 10);
const nodeVersion = process.env.ORDER_STAGER_SETUP_NODE_VERSION ?? process.versions.node;
if (Number.parseInt(nodeVersion, 10) < nodeWanted)
  stop(
    `${mode.label} needs Node ${nodeWanted} (.nvmrc) and this is Node ${nodeVersion}: run  nvm use  or  eval "$(node scripts/setup/node.mjs)"  (installs Node ${nodeWanted} from the npm registry), then ${mode.label} again`,
  );

let driver = mode.driver ? probeDriver() : { loads: true, installed: true, reason: '' };
if (!driver.installed) stop(`${mode.label} needs node_modules with ${DRIVER}: run npm install first`);
const need = missing(mode, driver.loads);
if (need.length) {
  install(mode, need);
  const still = missing(mode, driver.loads);
  if (still.length) {
    const hint =
      still.some((n) => n.pkgs.includes('chromium')) && process.env.CHROMIUM_PATH !== undefined
        ? `; unset CHROMIUM_PATH to use Debian's at ${DEFAULT_CHROMIUM}`
        : '';
    stop(`still missing after apt-get: ${still.map((n) => n.what).join(', ')}${hint}`);
  }
}
if (!driver.loads) {
  console.error(`order-stager: the SQLCipher driver does not load (${driver.reason}): building it with npm rebuild ${DRIVER}`);
  const status = runNpm(['rebuild', DRIVER]);
  driver = probeDriver();
  if (status !== 0 || !driver.loads)
    stop(`the SQLCipher driver still does not load after npm rebuild ${DRIVER} (${driver.reason}); see the output above`);
}
