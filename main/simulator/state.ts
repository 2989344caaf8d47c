import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';

export interface SimOrder {
  id: string;
  status: 'PENDING' | 'CONFIRMED';
  customer_id: string;
  customer_name: string;
  items: { sku: string; quantity: number; unit_price: number }[];
  total_amount: number;
  currency: 'JPY';
  shipping_address: string;
  client_reference: string;
  created_at: string;
}

export interface SimPayment {
  id: string;
  order_id: string;
  transaction_id: string;
  amount: number;
  currency: 'JPY';
  payment_method: 'credit_card';
  status: 'COMPLETED';
  created_at: string;
}

export interface SimNotification {
  id: string;
  order_id: string;
  channel: 'email';
  template: string;
  /** Whether the order was paid when the notification was sent (an unpaid one is a client bug). */
  order_paid: boolean;
  created_at: string;
}

export interface StoredReply {
  status: number;
  body: unknown;
}

/**
 * The backend's records. In memory by default; with a file, every record is also written to SQLite
 * (plain: the simulator holds made-up data) and loaded again on start, so a restart keeps state.
 */
export class SimState {
  readonly orders = new Map<string, SimOrder>();
  readonly ordersByReference = new Map<string, SimOrder[]>();
  readonly paymentsByOrder = new Map<string, SimPayment[]>();
  readonly paymentsById = new Map<string, SimPayment>();
  readonly notifications: SimNotification[] = [];
  /** First results by Idempotency-Key (when the simulator honours it). */
  private readonly replies = new Map<string, StoredReply>();
  private readonly db: Database.Database | null;
  private readonly persist: {
    order: Database.Statement;
    payment: Database.Statement;
    notification: Database.Statement;
    confirm: Database.Statement;
    reply: Database.Statement;
  } | null = null;

  constructor(file?: string) {
    this.db = file ? new Database(file) : null;
    if (this.db) {
      this.db.pragma('journal_mode=WAL');
      this.db.pragma('synchronous=NORMAL');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, body TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS payments (id TEXT PRIMARY KEY, order_id TEXT NOT NULL, body TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS notifications (id TEXT PRIMARY KEY, body TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, body TEXT NOT NULL);`);
      this.persist = {
        order: this.db.prepare('INSERT INTO orders (id, body) VALUES (?, ?)'),
        payment: this.db.prepare('INSERT INTO payments (id, order_id, body) VALUES (?, ?, ?)'),
        notification: this.db.prepare('INSERT INTO notifications (id, body) VALUES (?, ?)'),
        confirm: this.db.prepare('UPDATE orders SET body = ? WHERE id = ?'),
        reply: this.db.prepare('INSERT OR IGNORE INTO replies (key, body) VALUES (?, ?)'),
      };
      this.load(this.db);
    }
  }

  private load(db: Database.Database): void {
    for (const row of db.prepare('SELECT body FROM orders ORDER BY rowid').all() as { body: string }[])
      this.indexOrder(JSON.parse(row.body));
    for (const row of db.prepare('SELECT body FROM payments ORDER BY rowid').all() as { body: string }[])
      this.indexPayment(JSON.parse(row.body));
    for (const row of db.prepare('SELECT body FROM notifications ORDER BY rowid').all() as { body: string }[]) {
      this.notifications.push(JSON.parse(row.body));
    }
    for (const row of db.prepare('SELECT key, body FROM replies').all() as { key: string; body: string }[])
      this.replies.set(row.key, JSON.parse(row.body));
  }

  /** The stored first result for an idempotency key. */
  reply(key: string): StoredReply | undefined {
    return this.replies.get(key);
  }

  /** Keeps the first result for an idempotency key (a later one never replaces it). */
  remember(key: string, reply: StoredReply): void {
    if (this.replies.has(key)) return;
    this.persist?.reply.run(key, JSON.stringify(reply));
    this.replies.set(key, reply);
  }

  private indexOrder(order: SimOrder): void {
    this.orders.set(order.id, order);
    const list = this.ordersByReference.get(order.client_reference) ?? [];
    list.push(order);
    this.ordersByReference.set(order.client_reference, list);
  }

  private indexPayment(payment: SimPayment): void {
    this.paymentsById.set(payment.id, payment);
    const list = this.paymentsByOrder.get(payment.order_id) ?? [];
    list.push(payment);
    this.paymentsByOrder.set(payment.order_id, list);
  }

  createOrder(input: Omit<SimOrder, 'id' | 'status' | 'created_at' | 'currency'>): SimOrder {
    const order: SimOrder = {
      id: `ord_${randomUUID()}`,
      status: 'PENDING',
      currency: 'JPY',
      created_at: new Date().toISOString(),
      ...input,
    };
    this.persist?.order.run(order.id, JSON.stringify(order));
    this.indexOrder(order);
    return order;
  }

  createPayment(order: SimOrder, amount: number): SimPayment {
    const payment: SimPayment = {
      id: `pay_${randomUUID()}`,
      order_id: order.id,
      transaction_id: randomUUID(),
      amount,
      currency: 'JPY',
      payment_method: 'credit_card',
      status: 'COMPLETED',
      created_at: new Date().toISOString(),
    };
    const confirmed: SimOrder = { ...order, status: 'CONFIRMED' };
    const write = () => {
      this.persist?.payment.run(payment.id, payment.order_id, JSON.stringify(payment));
      this.persist?.confirm.run(JSON.stringify(confirmed), order.id);
    };
    if (this.db) this.db.transaction(write)();
    order.status = 'CONFIRMED';
    this.indexPayment(payment);
    return payment;
  }

  createNotification(order: SimOrder, template: string): SimNotification {
    const notification: SimNotification = {
      id: `ntf_${randomUUID()}`,
      order_id: order.id,
      channel: 'email',
      template,
      order_paid: order.status === 'CONFIRMED',
      created_at: new Date().toISOString(),
    };
    this.persist?.notification.run(notification.id, JSON.stringify(notification));
    this.notifications.push(notification);
    return notification;
  }

  /** Offending keys: client references with more than one order, orders with more than one payment, orders notified unpaid. */
  duplicates() {
    let ordersPerReference = 0;
    for (const list of this.ordersByReference.values()) if (list.length > 1) ordersPerReference += 1;
    let paymentsPerOrder = 0;
    for (const list of this.paymentsByOrder.values()) if (list.length > 1) paymentsPerOrder += 1;
    const unpaid = new Set(this.notifications.filter((n) => !n.order_paid).map((n) => n.order_id));
    return {
      orders_per_client_reference: ordersPerReference,
      payments_per_order: paymentsPerOrder,
      notifications_for_unpaid_orders: unpaid.size,
    };
  }

  /** Orders notified more than once (at least once without idempotency; exactly once with it). */
  notifiedMoreThanOnce(): number {
    const seen = new Map<string, number>();
    for (const n of this.notifications) seen.set(n.order_id, (seen.get(n.order_id) ?? 0) + 1);
    return [...seen.values()].filter((count) => count > 1).length;
  }

  clear(): void {
    this.replies.clear();
    this.orders.clear();
    this.ordersByReference.clear();
    this.paymentsByOrder.clear();
    this.paymentsById.clear();
    this.notifications.length = 0;
    this.db?.exec('DELETE FROM orders; DELETE FROM payments; DELETE FROM notifications; DELETE FROM replies;');
  }

  close(): void {
    this.db?.close();
  }
}
