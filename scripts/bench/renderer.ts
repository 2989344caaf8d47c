/**
 * Review grid with a 100,000-line batch, in Debian's Chromium over the real handlers (the test harness):
 * - first paint: from clicking "Review orders" (data already imported) to the first rows on screen, goal < 1 s;
 * - scrolling: 6 s at wheel speed, then 6 s of a fast scrollbar drag; frames counted from Chromium's performance
 *   trace (PipelineReporter: presented vs dropped) and from requestAnimationFrame gaps, goal: no dropped frames;
 * - memory: the renderer process's PSS and RSS (from /proc) and its JS heap after scrolling, goal < 300 MB
 *   judged on PSS (RSS counts in full the fonts and libraries all Chromium processes share). The first figures
 *   are read as the scroll ends (the heap then still holds garbage, so they move with GC timing); the
 *   "after GC" line forces two full collections and gives the median of a few samples of the live heap, PSS,
 *   RSS and the DOM node count, the figures to compare two builds by.
 *   BENCH_HEAP_SNAPSHOT=file.heapsnapshot also writes a heap snapshot taken after the collections.
 *
 *   npm run bench:renderer   (builds the renderer first)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext } from '../../main/app/context';
import { sampleOrderRows, textBytes } from '../fixtures/sample-sheets';
import { importFile } from '../../main/import/stage';
import { createHandlers } from '../../main/handlers';
import { openStore } from '../../main/store/database';
import { generateKey } from '../../main/store/key';
import { openRenderer } from '../../tests/e2e/harness';

const FIRST_PAINT_GOAL_MS = 1000;
const MEMORY_GOAL_MB = 300;
const SCROLL_SECONDS = 6;
/** Samples of the after-GC figures; their median is printed. */
const AFTER_GC_SAMPLES = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Memory of the page's renderer process (the largest Chromium renderer), from /proc: RSS, and PSS (shared
 * pages such as fonts and libraries divided among the processes sharing them) where the kernel reports it.
 */
function rendererMemoryMb(): { rss: number; pss: number | null } {
  let best = { rss: 0, pss: null as number | null };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer') || cmdline.includes('--extension-process')) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!rss || Number(rss[1]) / 1024 <= best.rss) continue;
      let pss: number | null = null;
      try {
        const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
        if (match) pss = Number(match[1]) / 1024;
      } catch {
        // no smaps_rollup on this kernel
      }
      best = { rss: Number(rss[1]) / 1024, pss };
    } catch {
      // the process ended while we looked
    }
  }
  return best;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid?: number;
  tid?: number;
  dur?: number;
  args?: { frame_reporter?: { state?: string } };
}

async function main(): Promise<void> {
  if (!existsSync(join(__dirname, '..', '..', 'out', 'renderer', 'index.html'))) {
    console.error('out/renderer is missing: run `npm run build` first');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-renderer-'));
  const store = openStore({ path: join(dir, 'store.db'), key: generateKey(), backgroundCheckpoints: true });
  const rows = sampleOrderRows({ orders: 50_000, maxLines: 3, withErrors: true, prefix: 'BR' });
  const imported = importFile(store.db, { fileName: 'lines-100k.csv', bytes: textBytes(rows, 'utf-8'), actor: 'bench' });
  console.log(`Data ready: ${imported.lines.toLocaleString('en-US')} lines, ${imported.orders.total.toLocaleString('en-US')} orders`);

  const ctx = createAppContext({ version: 'bench', dataDir: dir, store, actor: 'bench' });
  const session = await openRenderer(createHandlers(ctx), { locale: 'en-US' });
  const { page } = session;
  try {
    await page.locator('.topbar select').selectOption('en');
    // First paint: click to the first rows painted (two animation frames after they are in the DOM).
    const started = performance.now();
    await page.getByRole('navigation').getByRole('button', { name: 'Review orders', exact: true }).click();
    await page.locator('[data-testid="review-grid"] tr[data-order-ref]').first().waitFor();
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    const firstPaintMs = performance.now() - started;

    const cdp = await page.context().newCDPSession(page);
    /** Scrolls for SCROLL_SECONDS at a steady speed while Chromium records its frame timeline. */
    const scroll = async (pxPerFrame: number) => {
      const events: TraceEvent[] = [];
      const collect = (data: { value: unknown[] }) => {
        events.push(...(data.value as TraceEvent[]));
      };
      cdp.on('Tracing.dataCollected', collect);
      const traceDone = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      await cdp.send('Tracing.start', {
        categories: 'devtools.timeline,disabled-by-default-devtools.timeline.frame,benchmark,cc',
        transferMode: 'ReportEvents',
      });
      // A string, not a function: tsx adds helpers (__name) to functions that do not exist in the page.
      const frames = (await page.evaluate(`(async () => {
        const grid = document.querySelector('.grid-scroll');
        if (!grid) throw new Error('grid not found');
        const gaps = [];
        const from = grid.scrollTop;
        let last = performance.now();
        const end = last + ${SCROLL_SECONDS} * 1000;
        await new Promise((resolve) => {
          const step = (now) => {
            gaps.push(now - last);
            last = now;
            grid.scrollTop += ${pxPerFrame};
            if (now < end) requestAnimationFrame(step);
            else resolve();
          };
          requestAnimationFrame(step);
        });
        return { gaps, scrolled: grid.scrollTop - from };
      })()`)) as { gaps: number[]; scrolled: number };
      await cdp.send('Tracing.end');
      await traceDone;
      cdp.off('Tracing.dataCollected', collect);
      // The page's renderer process: the one that ran our animation frame callbacks (the browser has its own compositor).
      const pagePid = events.find((e) => e.name === 'AnimationFrame::Script::Execute')?.pid;
      const states = new Map<string, number>();
      for (const e of events) {
        const state = e.name === 'PipelineReporter' && e.ph === 'b' && e.pid === pagePid ? e.args?.frame_reporter?.state : undefined;
        if (state) states.set(state, (states.get(state) ?? 0) + 1);
      }
      const sorted = [...frames.gaps].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? 16.7;
      return {
        pxPerFrame,
        rows: Math.round(frames.scrolled / 34),
        presented: (states.get('STATE_PRESENTED_ALL') ?? 0) + (states.get('STATE_PRESENTED_PARTIAL') ?? 0),
        dropped: states.get('STATE_DROPPED') ?? 0,
        frames: frames.gaps.length,
        median,
        long: frames.gaps.filter((g) => g > median * 1.5 + 2).length,
        longest: Math.max(...frames.gaps),
      };
    };
    // Wheel speed (40 px a frame, ~70 rows/s), then a fast drag of the scrollbar (120 px, ~210 rows/s).
    const runs = [await scroll(40), await scroll(120)];

    const metrics = (await cdp.send('Performance.enable').then(() => cdp.send('Performance.getMetrics'))) as {
      metrics: { name: string; value: number }[];
    };
    const heapMb = (metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1048576;
    const memory = rendererMemoryMb();

    // After GC: two full collections (the second also frees what finalizers of the first released), then samples
    // of the live heap, the process's memory and the DOM, 300 ms apart (the allocator returns pages lazily).
    const afterGc = { heap: [] as number[], pss: [] as number[], rss: [] as number[], nodes: [] as number[], listeners: [] as number[] };
    for (let i = 0; i < AFTER_GC_SAMPLES; i++) {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const usage = await cdp.send('Runtime.getHeapUsage');
      const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number; jsEventListeners: number };
      const sample = rendererMemoryMb();
      afterGc.heap.push(usage.usedSize / 1048576);
      afterGc.rss.push(sample.rss);
      if (sample.pss !== null) afterGc.pss.push(sample.pss);
      afterGc.nodes.push(dom.nodes);
      afterGc.listeners.push(dom.jsEventListeners);
    }
    const snapshotFile = process.env.BENCH_HEAP_SNAPSHOT;
    if (snapshotFile) {
      const chunks: string[] = [];
      const collect = (data: { chunk: string }) => {
        chunks.push(data.chunk);
      };
      cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
      writeFileSync(snapshotFile, chunks.join(''));
    }

    console.log('Renderer benchmark: review grid, 100,000-line batch, Debian Chromium (headless, software rendering)');
    console.log(
      `first paint after click   ${firstPaintMs.toFixed(0)} ms (goal < ${FIRST_PAINT_GOAL_MS} ms: ${firstPaintMs < FIRST_PAINT_GOAL_MS ? 'met' : 'NOT met'})`,
    );
    for (const r of runs) {
      console.log(
        `scrolling ${r.pxPerFrame} px/frame for ${SCROLL_SECONDS} s (${r.rows.toLocaleString('en-US')} rows): trace ${r.presented} frames presented, ` +
          `${r.dropped} dropped (${((100 * r.dropped) / Math.max(1, r.presented + r.dropped)).toFixed(1)}%); ` +
          `rAF median ${r.median.toFixed(1)} ms, ${r.long} long, longest ${r.longest.toFixed(0)} ms (goal: none dropped: ${r.dropped === 0 ? 'met' : 'NOT met'})`,
      );
    }
    // Judged on PSS: RSS counts in full the fonts and libraries every Chromium process shares.
    const judged = memory.pss ?? memory.rss;
    console.log(
      `renderer memory           PSS ${memory.pss === null ? 'n/a' : `${memory.pss.toFixed(0)} MB`}, RSS ${memory.rss.toFixed(0)} MB, ` +
        `JS heap ${heapMb.toFixed(0)} MB (goal < ${MEMORY_GOAL_MB} MB on ${memory.pss === null ? 'RSS' : 'PSS'}: ${judged < MEMORY_GOAL_MB ? 'met' : 'NOT met'})`,
    );
    const range = (values: number[], digits = 0) =>
      `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
    console.log(
      `renderer memory after GC  PSS ${afterGc.pss.length ? `${range(afterGc.pss)} MB` : 'n/a'}, RSS ${range(afterGc.rss)} MB, ` +
        `live JS heap ${range(afterGc.heap, 1)} MB, DOM ${range(afterGc.nodes)} nodes, ${range(afterGc.listeners)} JS listeners ` +
        `(median (min–max) of ${AFTER_GC_SAMPLES} samples)`,
    );
    if (snapshotFile) console.log(`heap snapshot after GC    ${snapshotFile}`);
  } finally {
    await session.close();
    await ctx.sync.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
