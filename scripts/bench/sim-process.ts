import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts `order-stager sim` in its own process (so it never shares a CPU core's event loop with the client). */
export async function startSimProcess(config: unknown): Promise<{ url: string; stop: () => void; pid: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sim-'));
  const configFile = join(dir, 'sim.json');
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', 'sim', '--port', '0', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LANG: 'en_US.UTF-8' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = chunk.toString().match(/http:\/\/127\.0\.0\.1:\d+/);
      if (match) resolve(match[0]);
    });
    child.on('exit', (code) => reject(new Error(`simulator exited (${code})`)));
  });
  return { url, pid: child.pid ?? 0, stop: () => child.kill('SIGTERM') };
}

export async function simStats(url: string): Promise<{
  requests: Record<string, number>;
  created: Record<string, number>;
  rate_limited: Record<string, number>;
  max_rate_per_second: Record<string, number>;
  faults: Record<string, number>;
  duplicates: Record<string, number>;
}> {
  return (await fetch(`${url}/__sim/stats`)).json() as never;
}

/**
 * The simulator stands in for a backend on its own machine: when the benchmark loads this machine (busy-loop
 * processes, several clients), the simulator must not be the one starved, or its rate limit counts requests late
 * and refuses calls the clients spaced correctly. It gets the CPU first: real-time scheduling (`chrt`, needs root or
 * CAP_SYS_NICE), else the highest nice value allowed. Says which, for the report.
 */
export function prioritise(pid: number): string {
  try {
    execFileSync('chrt', ['--all-tasks', '--fifo', '--pid', '10', String(pid)], { stdio: 'ignore' });
    return 'real-time priority';
  } catch {
    // not allowed, or no chrt: try nice
  }
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) setPriority(Number(tid), -10);
    return 'nice -10';
  } catch {
    return 'normal priority (not allowed to raise it: the loaded cases may show 429s from the simulator being starved)';
  }
}
