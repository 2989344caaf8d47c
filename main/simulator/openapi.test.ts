import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import spec from './openapi.json';
import { type Simulator, startSimulator } from './server';
import { simClient } from '../../tests/helpers/simulator';

type Json = Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'openapi', components: spec.components }, 'openapi');

function resolveRef(value: Json): Json {
  const ref = value.$ref;
  if (typeof ref !== 'string') return value;
  const path = ref.replace(/^#\//, '').split('/');
  let node: unknown = spec;
  for (const part of path) node = (node as Json)[part];
  return node as Json;
}

/** Finds the documented response for a call and checks status, headers and body against it. */
function conforms(method: string, pathTemplate: string, status: number, body: unknown, headers?: Headers): string[] {
  const operation = (spec.paths as Record<string, Record<string, Json>>)[pathTemplate]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${pathTemplate} is not documented`];
  const response = (operation.responses as Record<string, Json>)[String(status)];
  if (!response) return [`${method} ${pathTemplate} does not document status ${status}`];
  const resolved = resolveRef(response);
  const problems: string[] = [];
  for (const [name, header] of Object.entries((resolved.headers as Record<string, Json> | undefined) ?? {})) {
    if (header.required && !headers?.get(name)) problems.push(`missing header ${name}`);
  }
  const schema = ((resolved.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;
  if (!schema) return problems;
  const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));
  const validate = ajv.compile(rewritten);
  if (!validate(body)) problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
  return problems;
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ config: { declinedTokens: ['tok_declined'], services: { notifications: { rateLimitPerSecond: 2 } } } });
});
afterAll(() => sim.close());

describe('simulator responses conform to openapi.json', () => {
  it('for every documented success and error', async () => {
    const client = simClient(sim);
    const checks: [string, string, { status: number; body: unknown; headers?: Headers }][] = [];
    const check = (method: string, path: string, result: { status: number; body: unknown; headers?: Headers }) =>
      checks.push([method, path, result]);

    check('POST', '/oauth/token', await client.login('order-stager-demo', 'nope'));
    const login = await client.login();
    check('POST', '/oauth/token', login);
    check('POST', '/api/v1/orders', await client.createOrder('R-1', 12_000));
    const order = await client.createOrder('R-2', 5_000);
    check('POST', '/api/v1/orders', order);
    const id = String(order.body?.id);
    check('POST', '/api/v1/orders', await client.createOrder('R-3', 5_000, { total_amount: 1 }));
    check('GET', '/api/v1/orders', await client.call('GET', '/api/v1/orders?client_reference=R-2'));
    check('GET', '/api/v1/orders/{id}', await client.call('GET', `/api/v1/orders/${id}`));
    check('GET', '/api/v1/orders/{id}', await client.call('GET', '/api/v1/orders/ord_none'));
    check('POST', '/api/v1/payments', await client.pay(id, 5_000, { card_token: 'tok_declined' }));
    check('POST', '/api/v1/payments', await client.pay(id, 99));
    check('POST', '/api/v1/payments', await client.pay(id, 5_000));
    check('POST', '/api/v1/payments', await client.pay(id, 5_000));
    check('GET', '/api/v1/payments/by-order/{order_id}', await client.call('GET', `/api/v1/payments/by-order/${id}`));
    check('GET', '/api/v1/payments/by-order/{order_id}', await client.call('GET', '/api/v1/payments/by-order/ord_none'));
    for (let i = 0; i < 3; i += 1) check('POST', '/api/v1/notifications', await client.notify(id));
    client.setToken('bad.token.value');
    check('POST', '/api/v1/orders', await client.createOrder('R-4'));

    const statuses = checks.map(([, , r]) => r.status);
    expect(new Set(statuses)).toEqual(new Set([200, 201, 202, 401, 402, 404, 409, 422, 429]));
    for (const [method, path, result] of checks)
      expect(conforms(method, path, result.status, result.body, result.headers), `${method} ${path} ${result.status}`).toEqual([]);
  });

  it('and the checker itself rejects a non-conforming body', () => {
    expect(
      conforms('POST', '/api/v1/payments', 201, {
        id: 'x',
        order_id: 'y',
        transaction_id: 'not-a-uuid',
        amount: 5,
        currency: 'USD',
        status: 'COMPLETED',
      }),
    ).not.toEqual([]);
    expect(conforms('POST', '/api/v1/payments', 418, {})).toEqual(['POST /api/v1/payments does not document status 418']);
  });
});
