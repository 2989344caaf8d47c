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
] as const;
export type Field = (typeof FIELDS)[number];
