import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../tests/helpers/tmp';
import { handlerApp, scriptedDialogs } from '../../tests/helpers/handlers';
import {
  SAMPLE_HEADERS,
  type SampleRow,
  sampleLine,
  sampleOrderRows,
  textBytes,
  workbookBytes,
} from '../../scripts/fixtures/sample-sheets';

const tempDir = tempDirsPerTest();

const { setup, importedBatch } = handlerApp(tempDir);

describe('import wizard channels', () => {
  it('previews a messy Japanese workbook, lets staff fix the mapping, and imports it with a saved template', async () => {
    const dir = tempDir();
    // Headers a client renamed: "お客様メール" is in no dictionary, so email starts unmapped.
    const rows = sampleOrderRows({ orders: 30, maxLines: 2, withErrors: true, messy: true });
    const header = rows[2] as string[];
    rows[2] = header.map((h) => (h === 'メール' ? 'お客様メール' : h));
    // A card number typed, in full-width digits, into the first order's token cell (which the preview shows).
    (rows[3] as SampleRow)[7] = '４１１１ １１１１ １１１１ １１１１';
    const path = join(dir, '11月 発注一覧.xlsx');
    writeFileSync(path, workbookBytes(rows, 'xlsx', '受注', { 表紙: [['社外秘']] }));
    const dialogs = scriptedDialogs([path], []);
    const { call, failure, changed, store } = setup(dialogs);

    const { file } = await call('pickImportFile');
    expect(file).toMatchObject({ fileName: '11月 発注一覧.xlsx' });
    if (!file) throw new Error('no file');
    const preview = await call('previewImport', { fileId: file.fileId });
    expect(preview).toMatchObject({ kind: 'xlsx', sheets: ['表紙', '受注'], sheet: '受注', headerRow: 3, missingRequired: ['email'] });
    expect(preview.mapping).toMatchObject({ order_ref: 0, quantity: 5, unit_price: 6, email: null });
    // The renamed header ends with a dictionary name of email: proposed for it (its values are not all emails).
    expect(preview.suggestions).toEqual([{ field: 'email', column: 3, reason: 'header' }]);
    expect(preview.rows[0]?.cells[0]).toBe('PO-000001');
    // Full-width digits normalised; the card number is masked in the preview as it would be in the store.
    expect(preview.rows[0]?.cells[5]).toMatch(/^\d+$/);
    expect(preview.rows[0]?.cells[7]).toBe('************1111');
    expect(JSON.stringify(preview)).not.toMatch(/4111 ?1111 ?1111 ?1111|４１１１/);

    // Importing with email unmapped is refused; nothing staged.
    expect((await failure('runImport', { fileId: file.fileId })).code).toBe('IMPORT_MAPPING_INCOMPLETE');
    expect(await call('listBatches')).toEqual([]);

    const fixed = await call('previewImport', { fileId: file.fileId, overrides: { email: '4' } });
    expect(fixed.missingRequired).toEqual([]);
    const outcome = await call('runImport', { fileId: file.fileId, overrides: { email: '4' }, saveTemplateAs: 'さくら商事' });
    // Invalid, and why: the typed card number (1), no email (7), a bad email (13), a quantity of 二 (21), over
    // the payment limit (29); every other order is valid.
    expect(outcome.orders).toEqual({ total: 30, valid: 25, invalid: 5 });
    const invalid = await call('queryLines', { batchId: outcome.batchId, status: 'invalid', sort: SORT, offset: 0, limit: 20 });
    expect(invalid.rows.filter((r) => r.lineNo === 1).map((r) => [r.orderRef, r.issues.map((i) => i.code)])).toEqual([
      ['PO-000001', ['CARD_NUMBER']],
      ['PO-000007', ['REQUIRED']],
      ['PO-000013', ['INVALID_EMAIL']],
      ['PO-000021', ['INVALID_QUANTITY']],
      ['PO-000029', ['AMOUNT_ABOVE_MAX']],
    ]);
    expect(outcome.lines).toBe(45);
    expect(changed).toContainEqual([outcome.batchId]);
    // The file is forgotten after import: its id no longer works.
    expect((await failure('previewImport', { fileId: file.fileId })).code).toBe('IMPORT_FILE_GONE');

    // The template is used automatically for the next file with the same headers.
    const second = join(dir, '12月.xlsx');
    writeFileSync(second, workbookBytes(rows, 'xlsx'));
    const again = await call('addDroppedFile', { path: second });
    const reused = await call('previewImport', { fileId: again.fileId });
    expect(reused).toMatchObject({ template: 'さくら商事', missingRequired: [], templates: ['さくら商事'] });
    expect(reused.mapping.email).toBe(3);
    expect(store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'mapping.saved'").pluck().get()).toBe(1);
  });

  it('reads Shift_JIS text files with the encoding staff choose', async () => {
    const dir = tempDir();
    const path = join(dir, 'orders.csv');
    writeFileSync(path, textBytes([SAMPLE_HEADERS, sampleLine('A-1', { 単価: '￥1,500' })], 'shift_jis'));
    const { call, failure } = setup(scriptedDialogs([], []));
    const file = await call('addDroppedFile', { path });
    const preview = await call('previewImport', { fileId: file.fileId });
    expect(preview).toMatchObject({ kind: 'csv', encoding: 'shift_jis', sheets: [] });
    expect(preview.rows[0]?.cells[2]).toBe('株式会社テスト');
    expect(preview.rows[0]?.cells[6]).toBe('\\1,500');
    // Read as UTF-8 by mistake, the headers are garbage: a clear error, and choosing Shift_JIS again works.
    expect((await failure('previewImport', { fileId: file.fileId, encoding: 'utf-8' })).code).toBe('IMPORT_NO_HEADER');
    expect((await call('previewImport', { fileId: file.fileId, encoding: 'shift_jis' })).rows[0]?.cells[2]).toBe('株式会社テスト');
    // Leaving the wizard releases the file in main.
    expect(await call('closeImportFile', { fileId: file.fileId })).toEqual({ ok: true });
    expect((await failure('previewImport', { fileId: file.fileId })).code).toBe('IMPORT_FILE_GONE');
  });

  it('accepts only spreadsheet files, and cancelling the dialog is not an error', async () => {
    const dir = tempDir();
    const exe = join(dir, 'setup.exe');
    writeFileSync(exe, 'MZ');
    const { call, failure } = setup(scriptedDialogs([null], []));
    expect(await call('pickImportFile')).toEqual({ file: null });
    expect((await failure('addDroppedFile', { path: exe })).code).toBe('IMPORT_UNSUPPORTED_FILE');
    expect((await failure('addDroppedFile', { path: join(dir, 'missing.csv') })).code).toBe('FILE_NOT_FOUND');
    const notSheet = join(dir, 'photo.xlsx');
    writeFileSync(notSheet, Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    const file = await call('addDroppedFile', { path: notSheet });
    expect((await failure('previewImport', { fileId: file.fileId })).code).toBe('IMPORT_UNSUPPORTED_FILE');
  });
});

const SORT = { column: 'row', direction: 'asc' } as const;

describe('review grid channels', () => {
  it('pages, filters and sorts lines in SQL, with each invalid cell named', async () => {
    const { call, batchId } = await importedBatch([
      sampleLine('A-1', { 単価: 2000 }),
      sampleLine('A-2', { メール: 'not-an-email' }),
      sampleLine('A-2', { メール: 'not-an-email', 品番: 'SKU-2', 数量: 'x' }),
      sampleLine('A-3', { 得意先名: '山田商店', 単価: 5 }),
      sampleLine('A-4', { 単価: 900_000, 数量: 3 }),
    ]);
    const all = await call('queryLines', { batchId, sort: SORT, offset: 0, limit: 100 });
    expect(all.total).toBe(5);
    expect(all.rows.map((r) => [r.orderRef, r.row, r.status])).toEqual([
      ['A-1', 2, 'valid'],
      ['A-2', 3, 'invalid'],
      ['A-2', 4, 'invalid'],
      ['A-3', 5, 'invalid'],
      ['A-4', 6, 'invalid'],
    ]);
    const second = all.rows[2];
    expect(second).toMatchObject({ lineNo: 2, lineCount: 2, fields: { sku: 'SKU-2', quantity: 'x', email: 'not-an-email' } });
    expect(second?.issues).toEqual([{ field: 'quantity', code: 'INVALID_QUANTITY', value: 'x' }]);
    expect(all.rows[1]?.issues).toEqual([{ field: 'email', code: 'INVALID_EMAIL', value: 'not-an-email' }]);

    const page = await call('queryLines', { batchId, sort: { column: 'total_amount', direction: 'desc' }, offset: 1, limit: 2 });
    expect(page).toMatchObject({ total: 5, offset: 1 });
    const uncounted = await call('queryLines', { batchId, sort: SORT, offset: 2, limit: 2, withTotal: false });
    expect(uncounted).toMatchObject({ total: null, offset: 2 });
    expect(uncounted.rows.map((r) => r.row)).toEqual([4, 5]);
    expect(page.rows.map((r) => r.orderRef)).toEqual(['A-1', 'A-3']);
    const byCode = await call('queryLines', { batchId, code: 'AMOUNT_ABOVE_MAX', sort: SORT, offset: 0, limit: 10 });
    expect(byCode.rows.map((r) => r.orderRef)).toEqual(['A-4']);
    const search = await call('queryLines', { batchId, search: '山田', sort: SORT, offset: 0, limit: 10 });
    expect(search.rows.map((r) => r.orderRef)).toEqual(['A-3']);
    const valid = await call('queryLines', { batchId, status: 'valid', sort: SORT, offset: 0, limit: 10 });
    expect(valid.total).toBe(1);

    const overview = await call('batchOverview', { batchId });
    expect(overview.statuses).toEqual(
      expect.arrayContaining([
        { status: 'valid', orders: 1, lines: 1, yen: 4000 },
        { status: 'invalid', orders: 3, lines: 4, yen: 2_700_010 },
      ]),
    );
    expect(overview.codes).toEqual(
      expect.arrayContaining([
        { code: 'AMOUNT_ABOVE_MAX', orders: 1 },
        { code: 'AMOUNT_BELOW_MIN', orders: 1 },
        { code: 'INVALID_EMAIL', orders: 1 },
      ]),
    );
  });

  it('fixes a cell with immediate revalidation, excludes and includes orders, all in the audit log', async () => {
    const { call, failure, batchId, store, changed } = await importedBatch([
      sampleLine('B-1', { メール: 'broken' }),
      sampleLine('B-2', { 数量: 0 }),
      sampleLine('B-3'),
    ]);
    const fixed = await call('editField', { batchId, orderRef: 'B-1', field: 'email', value: 'ｂｕｙｅｒ@example.co.jp' });
    expect(fixed).toEqual({ valid: true, issues: [] });
    const row = (await call('queryLines', { batchId, search: 'B-1', sort: SORT, offset: 0, limit: 5 })).rows[0];
    expect(row).toMatchObject({ status: 'valid', fields: { email: 'buyer@example.co.jp' }, issues: [] });
    const still = await call('editField', { batchId, orderRef: 'B-2', field: 'quantity', value: '-1' });
    expect(still.valid).toBe(false);
    expect(still.issues.map((i) => i.code)).toEqual(['INVALID_QUANTITY']);
    // A card number typed into a cell is masked before it is stored, and the order is invalid.
    const card = await call('editField', { batchId, orderRef: 'B-3', field: 'notes', value: '4111-1111-1111-1111' });
    expect(card.issues.map((i) => i.code)).toEqual(['CARD_NUMBER']);
    expect(JSON.stringify(store.db.prepare('SELECT * FROM orders').all())).not.toContain('4111-1111-1111-1111');

    expect(await call('setExcluded', { batchId, orderRefs: ['B-2'], excluded: true })).toEqual({ changed: 1 });
    expect(
      (await call('queryLines', { batchId, status: 'excluded', sort: SORT, offset: 0, limit: 5 })).rows.map((r) => r.orderRef),
    ).toEqual(['B-2']);
    expect(await call('setExcluded', { batchId, orderRefs: ['B-2'], excluded: true })).toEqual({ changed: 0 });
    expect(await call('setExcluded', { batchId, orderRefs: ['B-2'], excluded: false })).toEqual({ changed: 1 });
    expect((await call('queryLines', { batchId, search: 'B-2', sort: SORT, offset: 0, limit: 5 })).rows[0]?.status).toBe('invalid');
    expect((await failure('setExcluded', { batchId, orderRefs: ['NOPE'], excluded: true })).code).toBe('ORDER_NOT_FOUND');
    expect(changed.filter((ids) => ids[0] === batchId).length).toBeGreaterThanOrEqual(5);

    const audit = await call('listAudit', { batchId, offset: 0, limit: 50 });
    // Without the grid's access entries (main/operations/access.test.ts checks those).
    expect(audit.rows.map((r) => r.action).filter((action) => action !== 'access')).toEqual([
      'order.included',
      'order.excluded',
      'order.edited',
      'order.edited',
      'order.edited',
      'batch.imported',
    ]);
    expect(JSON.stringify(audit)).not.toContain('buyer@example');
    const edits = await call('listAudit', { action: 'order.edited', offset: 0, limit: 2 });
    expect(edits).toMatchObject({ total: 3, rows: [{ orderRef: 'B-3' }, { orderRef: 'B-2' }] });
    expect(audit.actions).toEqual(expect.arrayContaining(['batch.imported', 'order.edited', 'order.excluded']));
    expect(await call('verifyAudit')).toMatchObject({ ok: true, entries: audit.total, firstBroken: null });
  });
});
