import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli } from '../../tests/helpers/cli';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { LATEST_SCHEMA_VERSION } from '../store/database';
import { generateKey } from '../store/key';
import pkg from '../../package.json';

const tempDir = tempDirsPerTest();

describe('command line', () => {
  it('lists its commands with --help and prints the version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/store/);
    expect(help.stdout).toMatch(/batches/);
    expect(help.stdout).toMatch(/--data-dir/);
    const version = await cli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('fails with a non-zero status on an unknown command', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown command/);
  });

  it('creates the store in --data-dir and its key file in the config folder, never in the data dir', async () => {
    const dataDir = join(tempDir(), 'data');
    const configDir = join(tempDir(), 'config');
    const env = { ORDER_STAGER_CONFIG_DIR: configDir };
    const first = await cli(['--data-dir', dataDir, 'store', 'info', '--json'], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      path: join(dataDir, 'order-stager.db'),
      cipher: 'sqlcipher',
      encrypted: true,
      schema_version: LATEST_SCHEMA_VERSION,
    });
    expect(first.stderr).toContain(join(configDir, 'store.key'));
    expect(statSync(join(configDir, 'store.key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir).some((f) => f.includes('key'))).toBe(false);

    const second = await cli(['--data-dir', dataDir, 'batches', '--json'], env);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(second.stdout)).toEqual([]);
  });

  it('reports a wrong key in the chosen language with its code and a non-zero status', async () => {
    const dataDir = tempDir();
    const key = generateKey();
    expect((await cli(['--data-dir', dataDir, 'store', 'info'], { ORDER_STAGER_KEY: key })).code).toBe(0);
    const ja = await cli(['--data-dir', dataDir, 'store', 'info'], { ORDER_STAGER_KEY: generateKey() });
    expect(ja.code).toBe(1);
    expect(ja.stderr).toMatch(/^エラー \[STORE_UNREADABLE\]: .*暗号鍵が違う/);
    expect(ja.stderr).not.toMatch(/at .*\.ts:\d+/);
    const en = await cli(['--data-dir', dataDir, 'store', 'info', '--json'], { ORDER_STAGER_KEY: generateKey(), LANG: 'en_US.UTF-8' });
    expect(en.code).toBe(1);
    expect(JSON.parse(en.stdout)).toMatchObject({ error: { code: 'STORE_UNREADABLE', message: expect.stringMatching(/key is wrong/) } });
  });

  it('re-keys the store: the old key stops working, the new key file opens it', async () => {
    const dataDir = tempDir();
    const keyDir = tempDir();
    const oldKey = generateKey();
    expect((await cli(['--data-dir', dataDir, 'store', 'info'], { ORDER_STAGER_KEY: oldKey })).code).toBe(0);
    const newKeyFile = join(keyDir, 'new.key');
    const rekey = await cli(['--data-dir', dataDir, 'store', 'rekey', '--new-key-file', newKeyFile, '--json'], {
      ORDER_STAGER_KEY: oldKey,
    });
    expect(rekey.code).toBe(0);
    expect(existsSync(JSON.parse(rekey.stdout).backup)).toBe(true);
    expect((await cli(['--data-dir', dataDir, 'store', 'info'], { ORDER_STAGER_KEY: oldKey })).code).toBe(1);
    const withNew = await cli(['--data-dir', dataDir, '--key-file', newKeyFile, 'store', 'info', '--json']);
    expect(withNew.code).toBe(0);
    expect(JSON.parse(withNew.stdout).key_source).toBe('key-file');
  });

  it('runs as a real process through the npm script entry', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', '--version']);
    expect(stdout.trim()).toBe(pkg.version);
    const failed = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'main/cli/index.ts', '--data-dir', tempDir(), 'store', 'info'],
      {
        env: { ...process.env, ORDER_STAGER_KEY: 'short' },
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('KEY_INVALID');
  });
});

describe('sim command', () => {
  it('starts the simulator on loopback with a config file, prints its URL and stops on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const configFile = join(tempDir(), 'sim.json');
    writeFileSync(configFile, JSON.stringify({ services: { notifications: { rateLimitPerSecond: 3 } } }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', 'sim', '--port', '0', '--config', configFile], {
      env: { ...process.env, LANG: 'en_US.UTF-8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const match = chunk.toString().match(/http:\/\/127\.0\.0\.1:\d+/);
        if (match) resolve(match[0]);
      });
      child.on('exit', (code) => reject(new Error(`sim exited early (${code})`)));
    });
    const config = (await (await fetch(`${url}/__sim/config`)).json()) as {
      services: { notifications: { rateLimitPerSecond: number } };
      clientId: string;
    };
    expect(config.services.notifications.rateLimitPerSecond).toBe(3);
    expect(config.clientId).toBe('order-stager-demo');
    expect(config).not.toHaveProperty('clientSecret');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('rejects an invalid config file with a clear error', async () => {
    const { writeFileSync } = await import('node:fs');
    const configFile = join(tempDir(), 'bad.json');
    writeFileSync(configFile, JSON.stringify({ services: { orders: { rateLimitPerSecond: 'fast' } } }));
    const result = await cli(['sim', '--port', '0', '--config', configFile], { LANG: 'en_US.UTF-8' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/SIM_CONFIG_INVALID.*not valid/);
  });
});

describe('import, orders and batches commands', () => {
  it('print the documented JSON and translate messages', async () => {
    const { writeFileSync } = await import('node:fs');
    const { sampleOrderRows, workbookBytes } = await import('../../scripts/fixtures/sample-sheets');
    const dataDir = tempDir();
    const file = join(tempDir(), '11月発注.xlsx');
    writeFileSync(file, workbookBytes(sampleOrderRows({ orders: 40, withErrors: true, messy: true }), 'xlsx'));
    const env = { ORDER_STAGER_KEY: generateKey() };
    const imported = await cli(['--data-dir', dataDir, 'import', file, '--json'], env);
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout);
    expect(result).toMatchObject({ batch_id: 1, file: '11月発注.xlsx', orders: { total: 40, valid: 35, invalid: 5 } });
    expect(result.errors).toContainEqual({
      order_ref: 'PO-000037',
      row: expect.any(Number),
      field: 'card_token',
      code: 'CARD_NUMBER',
      value: '************1111',
      message: expect.stringContaining('カード番号'),
    });
    for (const error of result.errors) expect(Object.keys(error).sort()).toEqual(['code', 'field', 'message', 'order_ref', 'row', 'value']);

    const listed = JSON.parse((await cli(['--data-dir', dataDir, 'orders', '1', '--json'], env)).stdout);
    expect(listed).toHaveLength(40);
    expect(listed[0]).toMatchObject({
      order_ref: 'PO-000001',
      status: 'valid',
      customer_id: expect.any(String),
      customer_name: expect.any(String),
      email: 'order1@example.co.jp',
      total_amount: expect.any(Number),
      items: [{ sku: expect.any(String), quantity: expect.any(Number), unit_price: expect.any(Number), row: 4 }],
      errors: [],
    });
    expect(listed.find((o: { order_ref: string }) => o.order_ref === 'PO-000013').errors).toEqual(['INVALID_EMAIL']);

    const batches = JSON.parse((await cli(['--data-dir', dataDir, 'batches', '--json'], env)).stdout);
    expect(batches).toEqual([
      expect.objectContaining({
        id: 1,
        sourceFileName: '11月発注.xlsx',
        orders: expect.objectContaining({ total: 40, valid: 35, invalid: 5 }),
      }),
    ]);

    const edited = await cli(
      ['--data-dir', dataDir, 'edit', '1', 'PO-000013', '--field', 'email', '--value', 'fixed@example.jp', '--json'],
      env,
    );
    expect(JSON.parse(edited.stdout)).toMatchObject({ status: 'valid', errors: [] });

    const missing = await cli(['--data-dir', dataDir, 'import', join(dataDir, 'nope.csv')], { ...env, LANG: 'en_US.UTF-8' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/FILE_NOT_FOUND.*nope\.csv/);
  });
});

describe('audit, export, reimport, purge, hold and backup commands', () => {
  it('work end to end from the command line', async () => {
    const { writeFileSync, readFileSync, existsSync } = await import('node:fs');
    const { sampleOrderRows, workbookBytes } = await import('../../scripts/fixtures/sample-sheets');
    const dataDir = tempDir();
    const out = tempDir();
    const file = join(out, 'orders.xlsx');
    writeFileSync(file, workbookBytes(sampleOrderRows({ orders: 15, withErrors: true, maxLines: 1 }), 'xlsx'));
    const env = { ORDER_STAGER_KEY: generateKey(), LANG: 'en_US.UTF-8' };
    const run = (...args: string[]) => cli(['--data-dir', dataDir, ...args], env);
    expect((await run('import', file)).code).toBe(0);

    const exported = await run('export', '1', '--errors', '--format', 'csv', '--out', join(out, 'errors.csv'), '--json');
    expect(JSON.parse(exported.stdout)).toMatchObject({ batch_id: 1, rows: 2 });
    const fixed = readFileSync(join(out, 'errors.csv'), 'utf8')
      .replace(',,"SKU', ',"fixed7@example.jp","SKU')
      .replace('not-an-email', 'fixed13@example.jp');
    writeFileSync(join(out, 'errors-fixed.csv'), fixed);
    const reimported = await run('reimport', '1', join(out, 'errors-fixed.csv'), '--json');
    expect(JSON.parse(reimported.stdout)).toMatchObject({ batch_id: 1, updated: 2, valid: 2, invalid: 0 });

    const audit = await run('audit', 'verify', '--json');
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true, first_broken: null });
    const listed = JSON.parse((await run('audit', 'list', '--batch', '1', '--json')).stdout) as { action: string }[];
    expect(listed.map((e) => e.action)).toEqual(['batch.imported', 'batch.exported', 'access', 'batch.reimported']);
    expect((await run('audit', 'export', '--out', join(out, 'audit.csv'))).code).toBe(0);
    expect(readFileSync(join(out, 'audit.csv'), 'utf8')).toContain('batch.reimported');

    expect((await run('hold', '1')).code).toBe(0);
    expect(JSON.parse((await run('purge', '--days', '30', '--json')).stdout)).toEqual({
      days: 30,
      orders: 0,
      batches: 0,
      held: 0,
      inSync: 0,
      walTruncated: true,
    });
    expect((await run('store', 'backup', '--out', join(out, 'backup.db'))).code).toBe(0);
    expect(existsSync(join(out, 'backup.db'))).toBe(true);
    const restored = await run('store', 'restore', '--from', join(out, 'backup.db'));
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/Restored/);
    expect(JSON.parse((await run('batches', '--json')).stdout)).toHaveLength(1);
  });
});

describe('retention and audit anchor commands', () => {
  it('purge uses the saved retention unless --days is given; the head kept by sync --ready shows a cut log', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const { sampleOrderRows, workbookBytes } = await import('../../scripts/fixtures/sample-sheets');
    const { openStore } = await import('../store/database');
    const { storePath } = await import('../config/paths');
    const dataDir = tempDir();
    const file = join(tempDir(), 'orders.xlsx');
    writeFileSync(file, workbookBytes(sampleOrderRows({ orders: 4, maxLines: 1 }), 'xlsx'));
    const key = generateKey();
    const env = { ORDER_STAGER_KEY: key, LANG: 'en_US.UTF-8' };
    const run = (...args: string[]) => cli(['--data-dir', dataDir, ...args], env);
    expect((await run('import', file)).code).toBe(0);

    const unset = await run('purge', '--json');
    expect(unset.code).toBe(1);
    expect(JSON.parse(unset.stdout).error).toMatchObject({ code: 'RETENTION_NOT_SET' });
    expect((await run('retention', 'set', '30')).stdout).toMatch(/kept for 30 days after import/);
    expect(JSON.parse((await run('retention', 'show', '--json')).stdout)).toEqual({ retention_days: 30 });
    expect(JSON.parse((await run('purge', '--json')).stdout)).toMatchObject({ days: 30, orders: 0 });
    const now = await run('purge', '--days', '0');
    expect(now.stdout).toMatch(/Retention 0 days: removed personal data of 4 orders \(1 batches\)/);
    expect(JSON.parse((await run('orders', '1', '--json')).stdout).every((o: { email: unknown }) => o.email === null)).toBe(true);

    const heads = join(tempDir(), 'heads.txt');
    const head = JSON.parse((await run('audit', 'head', '--json')).stdout) as { seq: number; hash: string };
    expect(head.hash).toMatch(/^[0-9a-f]{64}$/);
    const scheduled = await run('sync', '--ready', '--append-head', heads, '--json');
    expect(scheduled.code).toBe(0);
    expect(readFileSync(heads, 'utf8')).toMatch(new RegExp(`^\\S+ ${head.seq} ${head.hash}\n$`));
    expect((statSync(heads).mode & 0o777).toString(8)).toBe('600');
    expect((await run('audit', 'verify', '--expect-heads-file', heads)).code).toBe(0);
    expect((await run('audit', 'verify', '--expect-head', head.hash, '--json')).code).toBe(0);

    // Someone with the key cuts the last entries and puts the triggers back: only the kept head shows it.
    const store = openStore({ path: storePath(dataDir), key });
    const triggers = (
      store.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as { sql: string }[]
    )
      .map((t) => t.sql)
      .join(';\n');
    store.db.exec(
      `DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= ${head.seq - 1}; ${triggers};`,
    );
    store.close();
    expect((await run('audit', 'verify')).code).toBe(0);
    const cut = await run('audit', 'verify', '--expect-heads-file', heads);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toContain(`Problem: The hash ${head.hash.slice(0, 16)}… kept outside the store is not in the audit chain`);
    expect(cut.stderr).toContain('AUDIT_HEAD_UNKNOWN');
  });
});
