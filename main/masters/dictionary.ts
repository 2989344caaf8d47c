import { normaliseHeader } from '../import/mapping';
import type { MasterList } from '../store/masters';

/**
 * The columns of each master list and the header names ERP exports give them. Matching is exact after
 * normalising the header (as for order sheets: NFKC, case, spaces and punctuation), never fuzzy.
 */
export const MASTER_FIELDS = {
  products: ['sku', 'jan', 'name', 'unit_price', 'active', 'discontinued', 'valid_from', 'valid_to'],
  customers: ['customer_id', 'name', 'email', 'address', 'active', 'discontinued'],
  prices: ['customer_id', 'sku', 'unit_price'],
} as const;

export type MasterField<L extends MasterList> = (typeof MASTER_FIELDS)[L][number];
export type AnyMasterField = MasterField<MasterList>;

/** The fields a list's file must have (the others are optional). */
export const MASTER_REQUIRED: { [L in MasterList]: readonly MasterField<L>[] } = {
  products: ['sku'],
  customers: ['customer_id'],
  prices: ['customer_id', 'sku', 'unit_price'],
};

const SKU = ['品番', '商品コード', '品目コード', '商品番号', '型番', 'SKU', 'Item Code', 'Product Code', 'Item No', 'Part No'];
const CUSTOMER_ID = [
  '得意先コード',
  '顧客コード',
  '顧客ID',
  '顧客番号',
  '得意先ID',
  '得意先番号',
  '取引先コード',
  'Customer ID',
  'Customer Code',
];
const ACTIVE = ['有効', '有効フラグ', '有効区分', '状態', 'ステータス', '取扱区分', 'Active', 'Status', 'Enabled'];

const DICTIONARIES: { [L in MasterList]: Record<MasterField<L>, readonly string[]> } = {
  products: {
    sku: SKU,
    jan: ['JAN', 'JANコード', 'JAN CODE', 'EAN', 'GTIN', 'バーコード', 'Barcode'],
    name: ['商品名', '品名', '商品名称', '品目名', '品目名称', 'Product Name', 'Item Name', 'Name', 'Description'],
    unit_price: ['標準単価', '販売単価', '単価', '定価', '標準価格', '価格', 'Unit Price', 'Price', 'Standard Price', 'List Price'],
    active: ACTIVE,
    discontinued: ['廃番', '廃番フラグ', '廃番区分', '販売終了', '生産終了', 'Discontinued'],
    valid_from: ['有効開始日', '適用開始日', '販売開始日', '開始日', 'Valid From', 'Start Date', 'Available From'],
    valid_to: ['有効終了日', '適用終了日', '販売終了日', '終了日', 'Valid To', 'End Date', 'Available To'],
  },
  customers: {
    customer_id: CUSTOMER_ID,
    name: ['得意先名', '顧客名', '取引先名', '会社名', '得意先名称', '顧客名称', 'Customer Name', 'Company Name', 'Name'],
    email: ['メール', 'メールアドレス', 'Eメール', 'E-mail', 'Email'],
    address: ['住所', '所在地', '得意先住所', '納品先住所', 'Address'],
    active: ACTIVE,
    discontinued: ['取引停止', '取引中止', '停止', '廃止', 'Suspended', 'Inactive'],
  },
  prices: {
    customer_id: CUSTOMER_ID,
    sku: SKU,
    unit_price: ['単価', '販売単価', '契約単価', '得意先単価', '特価', '特別単価', '価格', 'Unit Price', 'Price', 'Customer Price'],
  },
};

const LOOKUPS = new Map<MasterList, ReadonlyMap<string, string>>();

function lookup(list: MasterList): ReadonlyMap<string, string> {
  let found = LOOKUPS.get(list);
  if (!found) {
    const dictionary = DICTIONARIES[list] as Record<string, readonly string[]>;
    const map = new Map(
      Object.entries(dictionary).flatMap(([field, aliases]) => aliases.map((alias) => [normaliseHeader(alias), field] as const)),
    );
    // A field's own name (`unit_price`) names it too, as in --map.
    for (const field of MASTER_FIELDS[list]) if (!map.has(normaliseHeader(field))) map.set(normaliseHeader(field), field);
    LOOKUPS.set(list, map);
    found = map;
  }
  return found;
}

/** The list field a header names, if any. */
export function matchMasterHeader(list: MasterList, header: string): string | undefined {
  return lookup(list).get(normaliseHeader(header));
}
