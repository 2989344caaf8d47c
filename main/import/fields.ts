import { FIELDS, type Field } from '../shared/fields';

export { FIELDS, type Field };

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
