import { describe, expect, it } from 'vitest';
import { CUSTOMER_HEADERS } from '../../scripts/fixtures/sample-masters';
import { SAMPLE_HEADERS, sampleLine, textBytes, workbookBytes } from '../../scripts/fixtures/sample-sheets';
import { decryptStoreFiles, valuesFound } from '../../tests/helpers/sqlcipher-pages';
import { DAY, NOW, OLD, retentionStorePerTest } from '../../tests/helpers/retention';
import { importFile } from '../import/stage';
import { importMasterList } from '../masters/replace';
import { STORE_PAGE_SIZE } from '../store/database';
import { purgeExpired, setLegalHold } from './purge';

/**
 * The customer master holds names, emails and addresses too: retention removes a customer's row once the list
 * is older than the retention days and no order still holding its personal data names that customer.
 */
const { store: current, key, path } = retentionStorePerTest();
const db = () => current().db;

const customer = (code: string) => [code, `zq-cust-${code}`, `zq-${code}@example-pii.jp`, `zq-addr-${code}`, '有効'];

function loadCustomers(codes: string[], at: Date) {
  importMasterList(db(), {
    list: 'customers',
    fileName: 'customers.csv',
    bytes: textBytes([CUSTOMER_HEADERS, ...codes.map(customer)], 'utf-8'),
    actor: 'sato',
    now: at,
  });
}

function importAt(name: string, orders: [ref: string, customerId: string][], at: Date): number {
  const rows = orders.map(([ref, id]) => sampleLine(ref, { 得意先コード: id }));
  return importFile(db(), { fileName: name, bytes: workbookBytes([SAMPLE_HEADERS, ...rows], 'xlsx'), actor: 'sato', now: at }).batchId;
}

const kept = () => db().prepare('SELECT customer_id FROM master_customers ORDER BY customer_id').pluck().all();

describe('retention of the customer master', () => {
  it('removes customers of a list older than the retention whom no kept order names, from every page of the store', () => {
    loadCustomers(['C-NEW', 'C-OLD', 'C-IDLE', 'C-HELD'], OLD);
    importAt('old.xlsx', [['O-1', 'C-OLD']], OLD);
    const held = importAt('held.xlsx', [['H-1', 'C-HELD']], OLD);
    setLegalHold(db(), held, true, 'sato');
    importAt('new.xlsx', [['N-1', 'C-NEW']], NOW);
    const gone = [...customer('C-OLD'), ...customer('C-IDLE')].filter((v) => v.startsWith('zq-'));
    expect(valuesFound(decryptStoreFiles(path(), key(), STORE_PAGE_SIZE), gone)).toEqual(gone);

    const result = purgeExpired(db(), { days: 30, actor: 'sato', now: NOW });

    expect(result).toMatchObject({ orders: 1, customers: 2 });
    // Still in use: by an order imported within the retention, and by an order on legal hold.
    expect(kept()).toEqual(['C-HELD', 'C-NEW']);
    expect(valuesFound(decryptStoreFiles(path(), key(), STORE_PAGE_SIZE), gone)).toEqual([]);
    const audit = db().prepare("SELECT details FROM audit_log WHERE action = 'retention.purged'").pluck().get() as string;
    expect(JSON.parse(audit)).toMatchObject({ customers: 2 });
    expect(audit).not.toContain('C-OLD');
    // The next purge finds nothing more to remove.
    expect(purgeExpired(db(), { days: 30, actor: 'sato', now: NOW })).toMatchObject({ customers: 0 });
  });

  it('keeps every customer of a list loaded within the retention, used or not', () => {
    loadCustomers(['C-A', 'C-B'], new Date(NOW.getTime() - 5 * DAY));
    importAt('old.xlsx', [['O-1', 'C-A']], OLD);
    expect(purgeExpired(db(), { days: 30, actor: 'sato', now: NOW })).toMatchObject({ orders: 1, customers: 0 });
    expect(kept()).toEqual(['C-A', 'C-B']);
  });
});
