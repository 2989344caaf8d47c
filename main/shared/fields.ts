/** The canonical fields an order sheet maps to. */
export const FIELDS = [
  'order_ref',
  'customer_id',
  'customer_name',
  'email',
  'sku',
  'quantity',
  'unit_price',
  'card_token',
  'shipping_address',
  'delivery_date',
  'notes',
  // Appended: stored lines pack their fields in this order, so a new field goes last.
  'line_amount',
] as const;
export type Field = (typeof FIELDS)[number];

/** line_amount (金額) may stand in for unit_price: the unit price is derived when it divides exactly. */
export const OPTIONAL_FIELDS: readonly Field[] = ['delivery_date', 'notes', 'line_amount'];
export const REQUIRED_FIELDS: readonly Field[] = FIELDS.filter((field) => !OPTIONAL_FIELDS.includes(field));

/** Fields that describe the order (the same on every line of it), as opposed to the line (item). */
export const ORDER_FIELDS: readonly Field[] = [
  'customer_id',
  'customer_name',
  'email',
  'card_token',
  'shipping_address',
  'delivery_date',
  'notes',
];
/** Order fields whose lines must agree: a different value on one line is CONFLICTING_LINES. */
export const AGREEING_FIELDS: readonly Field[] = ['customer_id', 'customer_name', 'email', 'card_token', 'shipping_address'];

export function isField(value: string): value is Field {
  return (FIELDS as readonly string[]).includes(value);
}

export type FieldValues = Partial<Record<Field, string>>;

/** Compact stored form of a line's field values: an array in FIELDS order, null where empty. */
export function packFields(values: FieldValues): string {
  const packed: (string | null)[] = [];
  for (const field of FIELDS) packed.push(values[field] ?? null);
  return JSON.stringify(packed);
}

export function unpackFields(text: string): FieldValues {
  const array = JSON.parse(text) as (string | null)[];
  const values: FieldValues = {};
  FIELDS.forEach((field, i) => {
    const value = array[i];
    if (value !== null && value !== undefined) values[field] = value;
  });
  return values;
}

const IS_ORDER_FIELD: ReadonlySet<Field> = new Set(ORDER_FIELDS);

/**
 * The fields a stored line keeps: its item fields, and order fields only where they differ from the order's
 * (a conflict to show). Order fields equal to the order's are stored once, on the orders row, for every
 * line, the first included; reading a line puts them back (lineFieldValues). Blank ones were the order's.
 */
export function storedLineFields(line: { fields: FieldValues }, order: FieldValues): FieldValues {
  const kept: FieldValues = {};
  for (const key in line.fields) {
    const field = key as Field;
    const value = line.fields[field];
    if (value !== undefined && (!IS_ORDER_FIELD.has(field) || value !== order[field])) kept[field] = value;
  }
  return kept;
}

/**
 * Fields that do not change an order the backend already created: the payment token (the payment is what
 * is missing) and what the backend's order never receives. An order created but not paid may change these only.
 */
export const UNPAID_FIXABLE_FIELDS: readonly Field[] = ['card_token', 'email', 'notes', 'delivery_date'];
