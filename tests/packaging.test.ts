import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IMPORTABLE_EXTENSIONS } from '../main/app/import-files';
import { LICENCES_FILE } from '../main/app/licences';
import { APP_USER_MODEL_ID, TRAY_ICON, trayIconPath } from '../main/electron/resources';
import {
  debAfterInstall,
  debAfterRemove,
  generatedResources,
  LAUNCHER_DIR,
  LINUX_EXECUTABLE,
  nsisInclude,
  OPEN_WITH_EXTENSIONS,
  PROG_ID,
  posixLauncher,
  windowsLauncher,
} from '../scripts/packaging/resources';

const ROOT = join(__dirname, '..');
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const pkgInfo = pkg as unknown as { productName: string };

/** Whether electron-builder's `files` globs (later ones win, "!" excludes, as electron-builder reads them) take a path. */
function packaged(path: string): boolean {
  let taken = false;
  for (const pattern of config.files as string[]) {
    const exclude = pattern.startsWith('!');
    if (minimatch(path, exclude ? pattern.slice(1) : pattern, { dot: true })) taken = !exclude;
  }
  return taken;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/**
 * Packaging cannot run here (electron-builder needs the Electron binary, which cannot be downloaded), so
 * the configuration is checked instead: against electron-builder's own JSON schema, and for what a broken
 * package would otherwise show only on a staff laptop.
 */
describe('electron-builder configuration', () => {
  it('is valid against the schema electron-builder ships', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('keeps every native binary of the SQLCipher module out of the asar archive (rebuilt for Electron: packaging-native.test.ts)', () => {
    const binaries = filesUnder(join(ROOT, 'node_modules/better-sqlite3-multiple-ciphers')).filter((file) => file.endsWith('.node'));
    expect(binaries).toContain('node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node');
    for (const binary of binaries)
      expect(
        (config.asarUnpack as string[]).some((glob) => minimatch(binary, glob)),
        `${binary} unpacked`,
      ).toBe(true);
    expect(config.asar).toBe(true);
    // Rebuilt for Electron only if it is a runtime dependency, and Electron itself must not be shipped inside.
    expect(pkg.dependencies['better-sqlite3-multiple-ciphers']).toBeDefined();
    expect(pkg.devDependencies.electron).toBeDefined();
    expect(pkg.dependencies.electron).toBeUndefined();
  });

  it('ships as runtime dependencies exactly the packages main imports (renderer-only ones are bundled: devDependencies)', () => {
    const imported = new Set<string>();
    for (const file of filesUnder(join(ROOT, 'main')).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))) {
      for (const [, name] of readFileSync(join(ROOT, file), 'utf8').matchAll(/^(?:import|export)(?! type)[^'"]*?from '([^'.][^']*)'/gm)) {
        const pkgName = name?.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name?.split('/')[0];
        if (pkgName && !pkgName.startsWith('node:') && pkgName !== 'electron') imported.add(pkgName);
      }
    }
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...imported].sort());
  });

  it('packs the built app (main entry, preload, renderer) and none of its sources or source maps', () => {
    expect(packaged(pkg.main)).toBe(true);
    expect(packaged('package.json')).toBe(true);
    expect(packaged('out/preload/index.js')).toBe(true);
    expect(packaged('out/renderer/index.html')).toBe(true);
    // Help > About reads the build's licence lists from inside the archive.
    expect(packaged(`out/main/${LICENCES_FILE}`)).toBe(true);
    expect(packaged(`out/renderer/${LICENCES_FILE}`)).toBe(true);
    for (const source of ['main/store/database.ts', 'renderer/src/App.tsx', 'out/main/index.js.map', 'tests/e2e/flow.test.ts', 'store.key'])
      expect(packaged(source), source).toBe(false);
  });

  it('has a target for each build:<platform> script', () => {
    const platforms = Object.keys(pkg.scripts).flatMap((name) => /^build:(win|mac|linux)$/.exec(name)?.[1] ?? []);
    expect(platforms.sort()).toEqual(['linux', 'mac', 'win']);
    for (const platform of platforms) expect((config[platform] as { target?: unknown })?.target, platform).toBeTruthy();
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
  });

  it('refers only to resources that exist', () => {
    const buildResources = (config.directories as { buildResources: string }).buildResources;
    expect(existsSync(join(ROOT, buildResources))).toBe(true);
    const icon = config.icon as string;
    expect(existsSync(join(ROOT, icon))).toBe(true);
    const png = readFileSync(join(ROOT, icon));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // electron-builder needs at least 512 x 512 to make every platform's icon from one PNG.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
  });

  it('ships the tray icon where the packaged app looks for it, and the checkout has it where a dev run looks', () => {
    const resources = '/opt/Order Stager/resources';
    const wanted = relative(resources, trayIconPath(true, resources, ROOT));
    const shipped = (config.extraResources as { from: string; to: string }[]).find((entry) => entry.to === wanted);
    expect(shipped, `extraResources puts something at ${wanted}`).toBeDefined();
    expect(existsSync(join(ROOT, shipped?.from ?? 'missing'))).toBe(true);
    expect(existsSync(trayIconPath(false, resources, ROOT))).toBe(true);
    expect(wanted).toBe(TRAY_ICON);
  });

  it('offers "Open with Order Stager" on macOS and Linux for files the import accepts, never as the default handler', () => {
    expect(config.fileAssociations, 'no top-level associations: on Windows they take the default (electron-builder#7414)').toBeUndefined();
    expect((config.win as Record<string, unknown>).fileAssociations).toBeUndefined();
    for (const platform of ['mac', 'linux']) {
      const associations = (config[platform] as { fileAssociations: { ext: string; rank?: string; mimeType?: string }[] }).fileAssociations;
      const extensions = associations.map((a) => `.${a.ext}`);
      for (const extension of extensions) expect(IMPORTABLE_EXTENSIONS as readonly string[], extension).toContain(extension);
      expect(extensions.sort()).toEqual([...OPEN_WITH_EXTENSIONS].sort());
      if (platform === 'mac') for (const a of associations) expect(a.rank, a.ext).toBe('Alternate');
      else for (const a of associations) expect(a.mimeType, a.ext).toMatch(/^[a-z]+\/[\w.+-]+$/);
    }
  });

  it('registers "Open with" on Windows through the NSIS include only: a ProgID and OpenWithProgids, never an extension default', () => {
    expect((config.nsis as { include: string }).include).toBe('resources/installer.nsh');
    const nsh = nsisInclude();
    for (const extension of OPEN_WITH_EXTENSIONS) {
      expect(IMPORTABLE_EXTENSIONS as readonly string[]).toContain(extension);
      expect(nsh).toContain(`WriteRegStr SHCTX "Software\\Classes\\${extension}\\OpenWithProgids" "${PROG_ID}" ""`);
      expect(nsh).toContain(`DeleteRegValue SHCTX "Software\\Classes\\${extension}\\OpenWithProgids" "${PROG_ID}"`);
    }
    // The default value of an extension key ("" under Software\Classes\.xlsx) is what makes a default handler.
    expect(nsh).not.toMatch(/WriteRegStr \w+ "Software\\Classes\\\.\w+" ""/);
    expect(nsh).toContain(`WriteRegStr SHCTX "Software\\Classes\\${PROG_ID}\\shell\\open\\command" "" '"$appExe" "%1"'`);
    expect(nsh).toMatch(/!macro customInstall\r\n[\s\S]*!macroend\r\n\r\n!macro customUnInstall\r\n[\s\S]*!macroend/);
    // The launcher folder goes on the user's PATH once, and comes off again.
    expect(nsh).toContain('WriteRegExpandStr HKCU "Environment" "Path" "$0;$INSTDIR\\resources\\bin"');
    expect(nsh).toContain('${WordReplace} "$0" ";$INSTDIR\\resources\\bin" "" "+" $1');
  });

  it('ships the generated launchers, deb scripts and NSIS include as they are generated', () => {
    for (const file of generatedResources(pkgInfo.productName)) {
      expect(readFileSync(join(ROOT, file.path), 'utf8'), `${file.path}: run npx tsx scripts/packaging/resources.ts`).toBe(file.text);
      if (file.executable && process.platform !== 'win32') expect(statSync(join(ROOT, file.path)).mode & 0o111, file.path).not.toBe(0);
    }
    const bin = (config.extraResources as { from: string; to: string }[]).find((entry) => entry.from === `resources/${LAUNCHER_DIR}`);
    expect(bin?.to).toBe(LAUNCHER_DIR);
    expect(windowsLauncher(`${pkgInfo.productName}.exe`)).toContain(`"%~dp0..\\..\\Order Stager.exe" --cli %*\r\nexit /b %ERRORLEVEL%`);
  });

  it("links /usr/bin/order-stager to the launcher in the deb, keeping the rest of electron-builder's scripts", () => {
    expect((config.linux as { executableName: string }).executableName).toBe(LINUX_EXECUTABLE);
    expect(config.deb).toEqual({ afterInstall: 'resources/linux/after-install.sh', afterRemove: 'resources/linux/after-remove.sh' });
    const install = debAfterInstall();
    expect(install).toContain(
      "update-alternatives --install '/usr/bin/${executable}' '${executable}' '/opt/${sanitizedProductName}/resources/bin/order-stager'",
    );
    expect(install).not.toContain("'/opt/${sanitizedProductName}/${executable}'");
    expect(install).toContain('chrome-sandbox');
    expect(install).toContain('apparmor');
    expect(debAfterRemove()).toContain(
      "update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/resources/bin/order-stager'",
    );
    expect(() => debAfterInstall('#!/bin/bash\nln -s /x /usr/bin/y\n')).toThrow(/template changed/);
  });

  it.skipIf(process.platform === 'win32')(
    'runs the app with --cli first and the arguments as given, and passes on its exit status (Linux and macOS layouts)',
    () => {
      for (const layout of ['linux', 'mac'] as const) {
        const root = mkdtempSync(join(tmpdir(), 'launcher-'));
        try {
          const resources = layout === 'mac' ? join(root, 'Order Stager.app/Contents/Resources') : join(root, 'opt/Order Stager/resources');
          const exe =
            layout === 'mac' ? join(root, 'Order Stager.app/Contents/MacOS/Order Stager') : join(root, 'opt/Order Stager/order-stager');
          mkdirSync(join(resources, 'bin'), { recursive: true });
          mkdirSync(dirname(exe), { recursive: true });
          writeFileSync(join(resources, 'bin/order-stager'), posixLauncher(pkgInfo.productName), { mode: 0o755 });
          writeFileSync(exe, '#!/bin/sh\nfor a in "$@"; do printf "[%s]" "$a"; done\nexit 3\n', { mode: 0o755 });
          // Through a symlink, as /usr/bin/order-stager is.
          symlinkSync(join(resources, 'bin/order-stager'), join(root, 'order-stager'));
          const run = (env: NodeJS.ProcessEnv) =>
            spawnSync(join(root, 'order-stager'), ['sync', '--ready', 'a b.csv'], { encoding: 'utf8', env });
          const desktop = run({ PATH: process.env.PATH, DISPLAY: ':0' });
          expect(desktop.stdout, layout).toBe('[--cli][sync][--ready][a b.csv]');
          expect(desktop.status, layout).toBe(3);
          // cron: no display; on Linux Chromium gets its headless platform (a switch routeArgv drops before --cli).
          const cron = run({ PATH: process.env.PATH });
          expect(cron.stdout, layout).toBe(
            layout === 'linux' ? '[--ozone-platform=headless][--cli][sync][--ready][a b.csv]' : '[--cli][sync][--ready][a b.csv]',
          );
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }
    },
  );

  it("gives Windows notifications the installer shortcut's AppUserModelID (the appId)", () => {
    expect(APP_USER_MODEL_ID).toBe(config.appId);
  });

  it('publishes a generic update feed (the app asks it only when staff set an update URL)', () => {
    expect(config.publish).toMatchObject({ provider: 'generic' });
    expect((config.mac as { target: string[] }).target).toContain('zip');
  });

  it('sets the security fuses: no RunAsNode, no NODE_OPTIONS, no inspector, asar integrity', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});
