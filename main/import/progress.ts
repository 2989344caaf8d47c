import { AppError } from '../shared/errors';

/** How far an import is; the contract's ImportProgress event carries it to the renderer. */
export interface ImportProgress {
  phase: 'reading' | 'staging';
  linesRead: number;
  linesTotal: number;
  percent: number;
}

/**
 * What an import reports to, and asks, whoever runs it (main's import worker; nobody on the command line):
 * lines read, validated and staged so far, and whether staff cancelled. Both are asked once per order.
 */
export interface ImportHooks {
  progress?(linesRead: number, linesTotal: number): void;
  cancelled?(): boolean;
}

/** Counts lines order by order for the hooks; a cancel throws IMPORT_CANCELLED, which rolls the import's transaction back. */
export class ImportSteps {
  private read = 0;

  constructor(
    private readonly hooks: ImportHooks | undefined,
    readonly total: number,
  ) {
    hooks?.progress?.(0, total);
  }

  get linesRead(): number {
    return this.read;
  }

  /** One order's lines done; throws when staff cancelled (inside the transaction: nothing of the batch stays). */
  done(lines: number): void {
    this.read += lines;
    if (this.hooks?.cancelled?.()) throw new AppError('IMPORT_CANCELLED', {});
    this.hooks?.progress?.(this.read, this.total);
  }
}

export function percentOf(read: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((read * 100) / total));
}

/**
 * Progress at most every `intervalMs` (the renderer needs a few updates a second, not one per order), always the
 * first and the last. Percent never goes back, whatever order the reports come in.
 */
export class ProgressThrottle {
  private last = Number.NEGATIVE_INFINITY;
  private percent = 0;

  constructor(
    private readonly send: (progress: ImportProgress) => void,
    private readonly intervalMs = 200,
    private readonly now: () => number = () => performance.now(),
  ) {}

  reading(): void {
    this.emit({ phase: 'reading', linesRead: 0, linesTotal: 0, percent: 0 }, true);
  }

  staging(linesRead: number, linesTotal: number): void {
    const percent = Math.max(this.percent, percentOf(linesRead, linesTotal));
    this.emit({ phase: 'staging', linesRead, linesTotal, percent }, linesRead === 0 || linesRead >= linesTotal);
  }

  private emit(progress: ImportProgress, always: boolean): void {
    const at = this.now();
    if (!always && at - this.last < this.intervalMs) return;
    this.last = at;
    this.percent = progress.percent;
    this.send(progress);
  }
}
