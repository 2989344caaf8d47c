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
