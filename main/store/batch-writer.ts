import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { type FieldValues, ORDER_FIELDS, packFields, storedLineFields } from '../shared/fields';
import { hasBlocking, type ImportIssue, type LineInput, type OrderValidation, type ValidationIssue } from '../shared/validation';
import type { Db } from './database';
import { orderColumnValues } from './orders';

/** A line as the import read it: its fields, and the cells of unmapped columns by column index. */
export interface LineToStore extends LineInput {
  extra: Record<number, string> | null;
}

/**
 * A client reference for the backend: unique across installations (random part) yet increasing in time
 * (timestamp and sequence first), so inserts land at the end of the unique index instead of all over it.
 * One import draws its random part once: the sequence already tells its orders apart.
 */
export function newClientReference(now: number, sequence: number, random: string = randomUUID().slice(0, 18)): string {
  return `os-${now.toString(36).padStart(9, '0')}-${sequence.toString(36).padStart(5, '0')}-${random}`;
}

/** An order ready to store: its row values and its lines' row values. */
export interface StagedOrder {
  ref: string;
  /** customer_id .. errors, as orderColumnValues gives them. */
  values: (string | number | null)[];
  /** Per line: line_no, source_row, sku, quantity, unit_price, raw_cells, fields. */
  lines: (string | number | null)[][];
  issues: ValidationIssue[];
}

/**
 * An order_lines row (after order_id): typed quantity and price from validation, the line's own field
 * values (order fields only where they differ from the order's), unmapped cells.
 */
function lineValues(line: LineToStore, index: number, result: OrderValidation, fields: FieldValues): (string | number | null)[] {
  const typed = result.lines[index];
  return [
    index + 1,
    line.row,
    line.fields.sku ?? null,
    typed?.quantity ?? null,
    typed?.unitPrice ?? null,
    line.extra ? JSON.stringify(line.extra) : '{}',
    packFields(fields),
  ];
}

export function stageOrder(ref: string, lines: readonly LineToStore[], result: OrderValidation): StagedOrder {
  return {
    ref,
    values: orderColumnValues(result),
    lines: lines.map((line, index) => lineValues(line, index, result, storedLineFields(line, result.order))),
    issues: result.issues,
  };
}

/** A multi-row INSERT for `rows` rows of `columns`, prepared once per row count. */
class ChunkedInsert {
  private readonly statements = new Map<number, Statement>();
  private pending: (string | number | bigint | null)[] = [];
  private rows = 0;

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly columns: readonly string[],
    /** Rows per statement; rows x columns stays well under SQLite's 32,766 parameters. */
    readonly chunk: number,
  ) {}

  /** Queues one row (its values in `columns` order); true once a chunk is full and should be flushed. */
  add(values: readonly (string | number | bigint | null)[]): boolean {
    for (const value of values) this.pending.push(value);
    this.rows += 1;
    return this.rows >= this.chunk;
  }

  flush(): void {
    if (this.rows === 0) return;
    let statement = this.statements.get(this.rows);
    if (!statement) {
      const row = `(${this.columns.map(() => '?').join(', ')})`;
      statement = this.db.prepare(
        `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array.from({ length: this.rows }, () => row).join(', ')}`,
      );
      this.statements.set(this.rows, statement);
    }
    statement.run(this.pending);
    this.pending = [];
    this.rows = 0;
  }
}

/** orders columns in the order BatchWriter gives them: the order's fields as orderColumnValues lists them. */
const ORDER_COLUMNS = [
  'id',
  'batch_id',
  'order_ref',
  'client_reference',
  ...ORDER_FIELDS,
  'total_amount',
  'validation_status',
  'errors',
  'created_at',
  'updated_at',
];
const LINE_COLUMNS = ['order_id', 'line_no', 'source_row', 'sku', 'quantity', 'unit_price', 'raw_cells', 'fields'] as const;

/**
 * Writes staged orders of a new batch (inside the caller's write transaction); counts what it wrote. Orders
 * and lines go 100 and 200 to an INSERT (a statement per row costs more than the row). An order's id is
 * assigned here, after the highest one in the table, as SQLite would: the write lock is held, so no other
 * writer can take it, and the lines can name their order before it is written.
 */
export class BatchWriter {
  private readonly orderRows: ChunkedInsert;
  private readonly lineRows: ChunkedInsert;
  private nextId: number;
  private sequence = 0;
  private readonly nowMs: number;
  private readonly random = randomUUID().slice(0, 18);
  readonly errors: ImportIssue[] = [];
  orders = 0;
  valid = 0;
  lines = 0;

  constructor(
    db: Db,
    private readonly batchId: number,
    private readonly now: string,
  ) {
    this.nowMs = Date.parse(now);
    this.nextId = ((db.prepare('SELECT max(id) AS id FROM orders').get() as { id: number | null }).id ?? 0) + 1;
    this.orderRows = new ChunkedInsert(db, 'orders', ORDER_COLUMNS, 100);
    this.lineRows = new ChunkedInsert(db, 'order_lines', LINE_COLUMNS, 200);
  }

  write(order: StagedOrder): void {
    this.sequence += 1;
    const orderId = this.nextId;
    this.nextId += 1;
    const clientReference = newClientReference(this.nowMs, this.sequence, this.random);
    const full = this.orderRows.add([orderId, this.batchId, order.ref, clientReference, ...order.values, this.now, this.now]);
    for (const line of order.lines) {
      line.unshift(orderId);
      // An order of thousands of lines (a long slip) fills several chunks: each is written when full.
      if (this.lineRows.add(line)) this.flush();
    }
    if (full) this.flush();
    this.orders += 1;
    this.lines += order.lines.length;
    if (!hasBlocking(order.issues)) this.valid += 1;
    for (const issue of order.issues) this.errors.push({ order_ref: order.ref, ...issue });
  }

  /** Writes what is queued (orders before their lines); call once more after the last order. */
  flush(): void {
    this.orderRows.flush();
    this.lineRows.flush();
  }
}

/** Prepares the insert of a line into an existing order (re-import); returns the new line's id and its stored fields. */
export function prepareLineInsert(
  db: Db,
): (orderId: number, index: number, line: LineToStore, result: OrderValidation) => { id: number; fields: FieldValues } {
  const statement = db.prepare(
    'INSERT INTO order_lines (order_id, line_no, source_row, sku, quantity, unit_price, raw_cells, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return (orderId, index, line, result) => {
    const fields = storedLineFields(line, result.order);
    const info = statement.run(orderId, ...lineValues(line, index, result, fields));
    return { id: Number(info.lastInsertRowid), fields };
  };
}
