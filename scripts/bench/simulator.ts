/**
 * Simulator throughput: starts `order-stager sim` in its own process with the rate limits raised, drives
 * it from this process with concurrent keep-alive clients running the full create -> pay -> notify flow,
 * and prints requests/second. Goal (issue 3): at least 2,000 requests/second on a 2-core machine, so the
 * simulator is never the bottleneck of the app's own benchmarks.
 *
 *   npm run bench:sim -- [--seconds 10] [--concurrency 64]
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { startSimProcess } from './sim-process';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '64' } } });
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const GOAL_RPS = 2000;

/** utime + stime of a process from /proc (Linux); 0 elsewhere. */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main() {
  const unlimited = { rateLimitPerSecond: null };
  const sim = await startSimProcess({ services: { orders: unlimited, payments: unlimited, notifications: unlimited } });
  try {
    const tokenResponse = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=order-stager-demo&client_secret=demo-secret',
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    // node:http with keep-alive: undici's fetch costs more CPU per call than the simulator itself does.
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const post = (path: string, body: unknown) =>
      new Promise<{ id?: string }>((resolve, reject) => {
        const started = performance.now();
        const payload = JSON.stringify(body);
        const req = request(
          `${sim.url}${path}`,
          { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(payload) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              latencies.push(performance.now() - started);
              const status = res.statusCode ?? 0;
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: string });
            });
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let sequence = 0;
    const deadline = performance.now() + seconds * 1000;

    // Warm-up so JIT and connection set-up are not measured.
    await post('/api/v1/orders', order(`warm-${sequence}`));
    latencies.length = 0;
    statuses.clear();

    const cpuBefore = processCpuSeconds(sim.pid);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          sequence += 1;
          const created = await post('/api/v1/orders', order(`bench-${sequence}`));
          if (!created.id) continue;
          await post('/api/v1/payments', {
            order_id: created.id,
            amount: 4200,
            currency: 'JPY',
            payment_method: 'credit_card',
            card_token: 'tok_ok',
          });
          await post('/api/v1/notifications', {
            order_id: created.id,
            channel: 'email',
            recipient: 'buyer@example.jp',
            template: 'order_confirmed',
          });
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const simCpu = (processCpuSeconds(sim.pid) - cpuBefore) / elapsedS;
    agent.destroy();
    const stats = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as {
      requests: Record<string, number>;
      duplicates: Record<string, number>;
    };
    latencies.sort((a, b) => a - b);
    const total = latencies.length;
    const rps = total / elapsedS;
    const errors = [...statuses].filter(([status]) => status >= 400).reduce((sum, [, count]) => sum + count, 0);
    console.log('Simulator throughput (create -> pay -> notify, rate limits raised, sim in its own process)');
    console.log(`  concurrency          ${concurrency}`);
    console.log(`  duration             ${elapsedS.toFixed(1)} s`);
    console.log(
      `  requests             ${total} (orders ${stats.requests.orders}, payments ${stats.requests.payments}, notifications ${stats.requests.notifications})`,
    );
    console.log(`  error responses      ${errors}`);
    console.log(`  throughput           ${rps.toFixed(0)} requests/s`);
    console.log(
      `  simulator CPU        ${(simCpu * 100).toFixed(0)}% of one core (${simCpu > 0 ? (rps / simCpu).toFixed(0) : '?'} requests per CPU-second)`,
    );
    console.log(`  latency p50 / p99    ${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} ms`);
    console.log(`  duplicates           ${JSON.stringify(stats.duplicates)}`);
    console.log(
      `  goal                 >= ${GOAL_RPS} requests/s: ratio ${(rps / GOAL_RPS).toFixed(2)} -> ${rps >= GOAL_RPS ? 'MET' : 'NOT MET'}`,
    );
    process.exitCode = rps >= GOAL_RPS && errors === 0 ? 0 : 1;
  } finally {
    sim.stop();
  }
}

function order(reference: string) {
  return {
    customer_id: 'C-001',
    customer_name: 'ベンチマーク株式会社',
    items: [{ sku: 'SKU-1', quantity: 2, unit_price: 2100 }],
    total_amount: 4200,
    currency: 'JPY',
    shipping_address: '東京都千代田区1-1',
    client_reference: reference,
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
