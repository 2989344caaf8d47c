import type { Simulator } from '../../main/simulator/server';

/** A minimal client for tests and benchmarks against the simulator (not the app's backend client). */
export function simClient(sim: Simulator) {
  let token: string | undefined;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  return {
    call,
    async login(clientId = 'order-stager-demo', clientSecret = 'demo-secret') {
      const response = await fetch(`${sim.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
      });
      const body = (await response.json()) as { access_token?: string };
      token = body.access_token;
      return { status: response.status, body };
    },
    setToken(value: string | undefined) {
      token = value;
    },
    createOrder(reference: string, amount = 1500, overrides: Record<string, unknown> = {}) {
      return call('POST', '/api/v1/orders', {
        customer_id: 'C-001',
        customer_name: '株式会社テスト',
        items: [{ sku: 'SKU-1', quantity: 1, unit_price: amount }],
        total_amount: amount,
        currency: 'JPY',
        shipping_address: '東京都千代田区1-1',
        client_reference: reference,
        ...overrides,
      });
    },
    pay(orderId: string, amount: number, overrides: Record<string, unknown> = {}) {
      return call('POST', '/api/v1/payments', {
        order_id: orderId,
        amount,
        currency: 'JPY',
        payment_method: 'credit_card',
        card_token: 'tok_ok',
        ...overrides,
      });
    },
    notify(orderId: string) {
      return call('POST', '/api/v1/notifications', {
        order_id: orderId,
        channel: 'email',
        recipient: 'buyer@example.jp',
        template: 'order_confirmed',
      });
    },
  };
}
