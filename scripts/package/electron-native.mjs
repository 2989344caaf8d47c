// @ts-check
/**
 * electron-builder afterPack hook: the SQLCipher driver in the package is built for Electron's ABI in a
 * staging copy, never in the checkout. electron-builder's own `npmRebuild` rebuilds the checkout's
 * node_modules in place, after which `npm run cli` and the tests (plain Node, another ABI) cannot load the
 * driver until `npm rebuild`; so npmRebuild is off (electron-builder.yml) and this hook instead
 *   1. copies the driver's package (sources included) into a temporary app folder,
 *   2. rebuilds it there for the packaged Electron with @electron/rebuild (electron-builder's own rebuilder),
 *   3. puts the rebuilt better_sqlite3.node over the Node one in the package's app.asar.unpacked.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DRIVER = 'better-sqlite3-multiple-ciphers';
/** Where the driver's native half is, inside its package. */
export const DRIVER_BINARY = join('build', 'Release', 'better_sqlite3.node');
/** electron-builder's Arch enum (builder-util), by value. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** @param {string} file @returns {{ version: string }} */
const readPackage = (file) => JSON.parse(readFileSync(file, 'utf8'));

/**
 * Copies the checkout's driver into `stage` as the only dependency of a minimal app, without its Node build.
 * @param {string} root the checkout @param {string} stage an empty folder outside it @returns {string} the staged driver
 */
export function stageDriver(root, stage) {
  const source = join(root, 'node_modules', DRIVER);
  const staged = join(stage, 'node_modules', DRIVER);
  cpSync(source, staged, { recursive: true, filter: (path) => path !== join(source, 'build') });
  const { version } = readPackage(join(source, 'package.json'));
  writeFileSync(
    join(stage, 'package.json'),
    JSON.stringify({ name: 'order-stager-native-stage', version: '0.0.0', private: true, dependencies: { [DRIVER]: version } }),
  );
  return staged;
}

/**
 * Builds the staged driver from source for Electron (its headers are downloaded by node-gyp).
 * @param {string} stage @param {string} electronVersion @param {string} arch
 */
export async function rebuildStaged(stage, electronVersion, arch) {
  const { rebuild } = await import('@electron/rebuild');
  // A nodedir (npm config, or .ci/run's Node 24) would make node-gyp build against that Node's headers
  // instead of Electron's: the package would then hold a driver Electron cannot load.
  const saved = { lower: process.env.npm_config_nodedir, upper: process.env.NPM_CONFIG_NODEDIR };
  delete process.env.npm_config_nodedir;
  delete process.env.NPM_CONFIG_NODEDIR;
  try {
    await rebuild({ buildPath: stage, electronVersion, arch, onlyModules: [DRIVER], force: true, buildFromSource: true });
  } finally {
    if (saved.lower !== undefined) process.env.npm_config_nodedir = saved.lower;
    if (saved.upper !== undefined) process.env.NPM_CONFIG_NODEDIR = saved.upper;
  }
}

/** @param {{ appOutDir: string, arch: number, packager: { getResourcesDir(appOutDir: string): string } }} context */
export default async function afterPack(context) {
  const electronVersion = readPackage(join(ROOT, 'node_modules', 'electron', 'package.json')).version;
  const arch = ARCH_NAMES[context.arch] ?? 'x64';
  const target = join(context.packager.getResourcesDir(context.appOutDir), 'app.asar.unpacked', 'node_modules', DRIVER, DRIVER_BINARY);
  if (!existsSync(dirname(target))) throw new Error(`afterPack: ${DRIVER} is not unpacked at ${dirname(target)} (asarUnpack)`);
  const stage = mkdtempSync(join(tmpdir(), 'order-stager-native-'));
  try {
    stageDriver(ROOT, stage);
    await rebuildStaged(stage, electronVersion, arch);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(stage, 'node_modules', DRIVER, DRIVER_BINARY), target);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
