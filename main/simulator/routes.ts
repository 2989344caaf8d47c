import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { Service } from './config';
import { HttpError, parseJson, readBody } from './http';
import type { SimRuntime } from './runtime';
import type { SimOrder, SimState } from './state';

const OrderBody = z.object({
  customer_id: z.string().min(1),
  customer_name: z.string().min(1),
  items: z
    .array(z.object({ sku: z.string().min(1), quantity: z.number().int().positive(), unit_price: z.number().int().nonnegative() }))
    .min(1),
  total_amount: z.number().int().nonnegative(),
  currency: z.literal('JPY'),
  shipping_address: z.string().min(1),
  client_reference: z.string().min(1).max(200),
});
const PaymentBody = z.object({
  order_id: z.string().min(1),
  amount: z.number(),
  currency: z.string(),
  payment_method: z.literal('credit_card'),
  card_token: z.string().min(1),
});
const NotificationBody = z.object({
  order_id: z.string().min(1),
  channel: z.literal('email'),
  recipient: z.email(),
  template: z.string().min(1),
});

export function serviceFor(pathname: string): Service | null {
  if (pathname === '/api/v1/orders' || pathname.startsWith('/api/v1/orders/')) return 'orders';
  if (pathname === '/api/v1/payments' || pathname.startsWith('/api/v1/payments/')) return 'payments';
  if (pathname === '/api/v1/notifications') return 'notifications';
  return null;
}

function findOrder(state: SimState, id: string): SimOrder {
  const order = state.orders.get(id);
  if (!order) throw new HttpError(404, 'ORDER_NOT_FOUND');
  return order;
}

export interface RouteResult {
  status: number;
  body: unknown;
  /** Whether state changed. */
  committed: boolean;
}

/** Runs the business call of an authenticated, admitted request. */
export async function route(sim: SimRuntime, service: Service, req: IncomingMessage, url: URL): Promise<RouteResult> {
  const { config, state, counters } = sim;
  const method = req.method ?? 'GET';
  const parts = url.pathname.split('/').filter(Boolean); // api, v1, <service>, ...
  if (service === 'orders') {
    if (method === 'POST' && parts.length === 3) {
      const parsed = OrderBody.safeParse(parseJson(await readBody(req)));
      if (!parsed.success) throw new HttpError(422, 'INVALID_ORDER');
      const sum = parsed.data.items.reduce((total, item) => total + item.quantity * item.unit_price, 0);
      if (sum !== parsed.data.total_amount) throw new HttpError(422, 'TOTAL_MISMATCH');
      const { currency: _currency, ...input } = parsed.data;
      const order = state.createOrder(input);
      counters.created.orders += 1;
      return { status: 201, body: order, committed: true };
    }
    if (method === 'GET' && parts.length === 3) {
      const reference = url.searchParams.get('client_reference');
      if (!config.orderLookupEnabled) throw new HttpError(404, 'NOT_FOUND');
      if (!reference) throw new HttpError(400, 'CLIENT_REFERENCE_REQUIRED');
      return { status: 200, body: state.ordersByReference.get(reference) ?? [], committed: false };
    }
    if (method === 'GET' && parts.length === 4)
      return { status: 200, body: findOrder(state, decodeURIComponent(parts[3] ?? '')), committed: false };
  }
  if (service === 'payments') {
    if (method === 'POST' && parts.length === 3) {
      const parsed = PaymentBody.safeParse(parseJson(await readBody(req)));
      if (!parsed.success) throw new HttpError(422, 'INVALID_PAYMENT');
      const { amount, currency, card_token: cardToken } = parsed.data;
      if (currency !== 'JPY') throw new HttpError(422, 'CURRENCY_NOT_SUPPORTED');
      if (!Number.isInteger(amount)) throw new HttpError(422, 'AMOUNT_NOT_INTEGER_YEN');
      if (amount < config.minAmount || amount > config.maxAmount) throw new HttpError(422, 'AMOUNT_OUT_OF_RANGE');
      const order = findOrder(state, parsed.data.order_id);
      if (state.paymentsByOrder.has(order.id)) throw new HttpError(409, 'PAYMENT_EXISTS');
      if (amount !== order.total_amount) throw new HttpError(422, 'AMOUNT_MISMATCH');
      if (config.declinedTokens.includes(cardToken)) throw new HttpError(402, 'CARD_DECLINED');
      const payment = state.createPayment(order, amount);
      counters.created.payments += 1;
      return { status: 201, body: payment, committed: true };
    }
    if (method === 'GET' && parts.length === 5 && parts[3] === 'by-order') {
      const payment = state.paymentsByOrder.get(decodeURIComponent(parts[4] ?? ''))?.[0];
      if (!payment) throw new HttpError(404, 'PAYMENT_NOT_FOUND');
      return { status: 200, body: payment, committed: false };
    }
  }
  if (service === 'notifications' && method === 'POST' && parts.length === 3) {
    const parsed = NotificationBody.safeParse(parseJson(await readBody(req)));
    if (!parsed.success) throw new HttpError(422, 'INVALID_NOTIFICATION');
    const order = findOrder(state, parsed.data.order_id);
    const notification = state.createNotification(order, parsed.data.template);
    counters.created.notifications += 1;
    return { status: 202, body: { id: notification.id, order_id: order.id, status: 'QUEUED' }, committed: true };
  }
  throw new HttpError(
    method === 'GET' || method === 'POST' ? 404 : 405,
    method === 'GET' || method === 'POST' ? 'NOT_FOUND' : 'METHOD_NOT_ALLOWED',
  );
}
