import { z } from 'zod';

/**
 * What the app accepts from the backend, one schema per response. Anything else is a bad response: a
 * clear failure, never an order marked done without a backend id. Unknown fields are dropped.
 */

/**
 * An id: visible ASCII (no spaces, control, bidi or NUL characters, which would end up in the store and in
 * the success report), or an integer the client keeps as its decimal text.
 */
const Id = z.union([z.string().regex(/^[\x21-\x7e]{1,200}$/), z.number().int().nonnegative().transform(String)]);

/** Token lifetime when the backend omits `expires_in` (RFC 6749 makes it optional): a 401 refreshes it earlier. */
export const DEFAULT_TOKEN_LIFETIME_S = 300;

export const TokenResponse = z.object({
  access_token: z.string().min(1).max(16_384),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z
    .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
    .pipe(z.number().positive().finite())
    .optional()
    .default(DEFAULT_TOKEN_LIFETIME_S),
});

export const OrderResponse = z.object({
  id: Id,
  status: z.string().max(64),
  client_reference: z.string().max(200).optional(),
});
export type BackendOrder = z.output<typeof OrderResponse>;

export const OrderLookupResponse = z.array(OrderResponse).max(1000);

export const PaymentResponse = z.object({
  id: Id,
  order_id: Id.optional(),
  transaction_id: z.string().trim().min(1).max(200),
  status: z.string().max(64),
});
export type BackendPayment = z.output<typeof PaymentResponse>;

export const NotificationResponse = z.object({ id: Id });
export type BackendNotification = z.output<typeof NotificationResponse>;

/** Why a response was refused (logged and kept with the order: no content of the response). */
export type BadResponseReason = 'too_large' | 'not_json' | 'schema';

/** Parses a 2xx body against its schema. */
export function parseBody<S extends z.ZodType>(
  schema: S,
  text: string,
): { ok: true; value: z.output<S> } | { ok: false; reason: BadResponseReason } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: 'schema' };
}
