import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/app/context';
import { sampleOrderRows, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { importFile } from '../../main/import/stage';
import { type Simulator, startSimulator } from '../../main/simulator/server';
import { openStore, type Store } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { writeSetting } from '../../main/store/settings';
import { tempDirsPerTest } from '../helpers/tmp';
import { openApp, type RendererSession } from './harness';

const tempDir = tempDirsPerTest();
let session: RendererSession | undefined;
let store: Store | undefined;
let sim: Simulator | undefined;
let closeSync: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeSync?.();
  await session?.close();
  await sim?.close();
  store?.close();
  session = undefined;
  store = undefined;
  sim = undefined;
  closeSync = undefined;
});

describe('a sync run that fails, in Chromium over the real handlers and the shell wiring', () => {
  it('shows the translated failure, leaves running, and the audit log closes the run (wrong client secret)', async () => {
    const dataDir = tempDir();
    store = openStore({ path: join(dataDir, 'store.db'), key: generateKey() });
    importFile(store.db, {
      fileName: '12月分.xlsx',
      bytes: workbookBytes(sampleOrderRows({ orders: 5, maxLines: 1 }), 'xlsx'),
      actor: 'sato',
    });
    // A real backend (the simulator on loopback) that refuses the stored secret.
    sim = await startSimulator({});
    writeSetting(store.db, 'backendUrl', sim.url);
    writeSetting(store.db, 'backendClientId', 'order-stager-demo');
    writeSetting(store.db, 'backendClientSecret', 'not-the-secret');
    const ctx = createAppContext({ version: '0.1.0', dataDir, store, actor: 'sato' });
    closeSync = () => ctx.sync.close();
    session = await openApp(ctx);
    const { page } = session;

    await page.getByRole('button', { name: '連携', exact: true }).click();
    await page.getByRole('button', { name: '連携を開始' }).click();
    // A configured backend is production: staff confirm the summary first.
    await page.getByRole('dialog', { name: '本番のバックエンドに連携しますか？' }).getByRole('button', { name: '連携を開始' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'バックエンドの認証に失敗しました（クライアントIDまたはシークレットが正しくありません）。設定を確認してください。',
    );
    // The failure links to its section of the staff guide, as every error message does.
    expect(await page.getByRole('button', { name: '操作ガイドで詳しく見る' }).textContent()).toBe('詳しく');
    await page.getByTestId('sync-state').filter({ hasText: 'エラーで終了しました' }).waitFor();
    // Not running any more: start is offered again, pause and cancel are not.
    expect(await page.getByRole('button', { name: '連携を開始' }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: '中止' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: '一時停止' }).isDisabled()).toBe(true);
    await session.screenshot('sync-failed-ja');

    const entries = (
      store.db.prepare("SELECT action, details FROM audit_log WHERE action LIKE 'sync.%' ORDER BY seq").all() as {
        action: string;
        details: string;
      }[]
    ).map((e) => ({ action: e.action, details: JSON.parse(e.details) as Record<string, unknown> }));
    expect(entries.map((e) => e.action)).toEqual(['sync.started', 'sync.failed']);
    expect(entries[1]?.details).toMatchObject({ code: 'SYNC_AUTH_FAILED', run_id: entries[0]?.details.run_id });
    expect(store.db.prepare('SELECT outcome FROM sync_runs').pluck().all()).toEqual(['failed']);
    // The secret is nowhere in the record.
    expect(JSON.stringify(store.db.prepare('SELECT * FROM audit_log').all())).not.toContain('not-the-secret');

    // The screen keeps the failure when staff come back to it (the status carries it).
    await page.getByRole('button', { name: 'バッチ一覧' }).click();
    await page.getByRole('button', { name: '連携', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'バックエンドの認証に失敗しました' }).waitFor();
    // The history screen tells the closing entry as a Japanese sentence, with its reason.
    await page.getByRole('button', { name: '履歴・監査' }).click();
    await page.getByTestId('audit-sentence').filter({ hasText: '連携が途中で止まりました：' }).first().waitFor();
    expect(session.problems).toEqual([]);
  });
});
