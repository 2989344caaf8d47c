import type { Db } from '../store/database';
import { type Admission, answered, reasonOf } from './admission';
import type { BackendClient, BackendPayment, Outcome, Service } from './client';
import { backoffMs } from './limits';
import type { SyncSettings } from './settings';
import { type OrderPayloads, type Step, type SyncOrder, type SyncState, stepKey, type Transition, transition } from './state';

type Detail = NonNullable<Transition['detail']>;
const SERVICE_OF: Record<Step, Service> = { order: 'orders', payment: 'payments', notification: 'notifications' };
const IN_FLIGHT: Record<Step, SyncState> = {
  order: 'order_in_flight',
  payment: 'payment_in_flight',
  notification: 'notification_in_flight',
};
/** Outcomes after which the backend may or may not have done the call. */
const UNKNOWN = new Set(['unavailable', 'timeout', 'network']);

/**
 * The calls of one order, step by step, each leaving the order in a durable state (write-ahead: the state
 * that says a call may have happened is committed before the call). Attempts count answered calls only.
 * No order or payment is sent twice without first finding out whether the first one went through, and no
 * order ends failed or in review for an unknown outcome without a look-up at the backend.
 */
export class Steps {
  constructor(
    private readonly db: Db,
    private readonly client: BackendClient,
    private readonly admission: Admission,
    private readonly settings: SyncSettings,
  ) {}

  private save(order: SyncOrder, change: Transition): void {
    transition(this.db, order, change, new Date().toISOString());
  }

  private backoff(service: Service, order: SyncOrder): Promise<void> {
    return this.admission.backoff(service, backoffMs(order.attempts, this.settings.backoffBaseMs, this.settings.backoffCapMs));
  }

  private exhausted(order: SyncOrder): boolean {
    return order.attempts >= this.settings.maxAttempts;
  }

  /** Waits until a call sent at inFlightSince has surely ended at the backend (its timeout has passed). */
  private async settle(order: SyncOrder, service: Service): Promise<void> {
    const settleAt = (order.inFlightSince ?? 0) + this.settings.services[service].timeoutMs + 250;
    if (Date.now() < settleAt) await this.admission.pauseFor(settleAt - Date.now());
  }

  /**
   * A 2xx answer the app cannot use. For an order or a payment the backend said it did it, so sending again
   * could duplicate it: staff check (needs review; the next run looks it up). A notification is at least once:
   * failed, retried later.
   */
  private badResponse(order: SyncOrder, step: Step, outcome: Extract<Outcome<unknown>, { kind: 'bad_response' }>): void {
    this.save(order, {
      state: step === 'notification' ? 'failed' : 'needs_review',
      inFlightSince: null,
      failedStep: step,
      errorClass: 'bad_response',
      errorCode: 'BACKEND_BAD_RESPONSE',
      detail: {
        status: outcome.status,
        reason: outcome.reason,
        client_reference: order.clientReference,
        ...(order.backendOrderId ? { backend_order_id: order.backendOrderId } : {}),
      },
    });
  }

  /**
   * Sends the step's call with its Idempotency-Key, marking the order in flight first (write-ahead: from
   * then on the backend may have done it). The attempts the answer brings the order to come back with it.
   */
  private async send<T>(
    order: SyncOrder,
    step: Step,
    makeCall: (key: string) => Promise<Outcome<T>>,
  ): Promise<{ outcome: Outcome<T>; attempts: number }> {
    const service = SERVICE_OF[step];
    const outcome = await this.admission.call(
      service,
      () => makeCall(stepKey(order, step)),
      () => this.save(order, { state: IN_FLIGHT[step], inFlightSince: Date.now() }),
    );
    return { outcome, attempts: order.attempts + (answered(outcome) ? 1 : 0) };
  }

  async createOrder(order: SyncOrder, body: () => OrderPayloads): Promise<void> {
    const { outcome, attempts } = await this.send(order, 'order', (key) => this.client.createOrder(body().order, key));
    if (outcome.kind === 'ok') {
      this.admission.markDone('orders');
      this.save(order, { state: 'order_created', backendOrderId: outcome.body.id, attempts: 0, inFlightSince: null });
    } else if (outcome.kind === 'bad_response') {
      this.badResponse(order, 'order', outcome);
    } else if (outcome.kind === 'rejected') {
      this.save(order, {
        state: 'failed',
        attempts,
        inFlightSince: null,
        failedStep: 'order',
        errorClass: 'rejected',
        errorCode: outcome.code,
        detail: { status: outcome.status },
      });
    } else if (outcome.kind === 'throttled' || (outcome.kind === 'network' && !outcome.sent)) {
      // Not processed: the order was not created, so it may simply be sent again.
      this.save(order, { state: 'queued', inFlightSince: null });
      if (outcome.kind === 'network') await this.backoff('orders', order);
    } else {
      // Unknown outcome: stays order_in_flight; reconcileOrder looks it up before anything is re-sent.
      this.save(order, { state: 'order_in_flight', attempts, detail: { last: reasonOf(outcome) } });
      // A 5xx was an answer: the call has ended at the backend, the look-up need not wait for its timeout.
      if (outcome.kind === 'unavailable') order.inFlightSince = 0;
    }
  }

  /**
   * An order call with an unknown outcome (5xx, timeout, lost response, crash). Once the backend's timeout has
   * passed the outcome is settled; the order is looked up by client reference: adopted if found, re-sent if
   * not (or failed, when its attempts are used up: the backend has no such order). Without a look-up, staff
   * decide (needs review).
   */
  async reconcileOrder(order: SyncOrder): Promise<void> {
    await this.settle(order, 'orders');
    for (let failures = 1; ; failures += 1) {
      const outcome = await this.admission.call('orders', () => this.client.findOrders(order.clientReference));
      if (outcome.kind === 'ok') return this.adoptOrQueue(order, outcome.body);
      if (outcome.kind === 'bad_response') return this.badResponse(order, 'order', outcome);
      if (outcome.kind === 'rejected') {
        const noLookup = outcome.status === 404;
        this.save(order, {
          state: 'needs_review',
          failedStep: 'order',
          errorClass: 'unknown_outcome',
          errorCode: noLookup ? 'ORDER_OUTCOME_UNKNOWN' : outcome.code,
          detail: {
            reason: noLookup ? 'NO_LOOKUP' : 'LOOKUP_REFUSED',
            status: outcome.status,
            client_reference: order.clientReference,
            sent_at: order.inFlightSince ? new Date(order.inFlightSince).toISOString() : null,
            attempts: order.attempts,
          },
        });
        return;
      }
      await this.lookupFailed(order, 'order', outcome, failures, { client_reference: order.clientReference });
      if (order.state === 'needs_review') return;
    }
  }

  /** The look-up by client reference answered: the order is adopted, or (not found) sent again or failed. */
  private async adoptOrQueue(order: SyncOrder, found: { id: string }[]): Promise<void> {
    const first = found[0];
    if (first) {
      this.admission.markDone('orders');
      this.save(order, {
        state: 'order_created',
        backendOrderId: first.id,
        attempts: 0,
        inFlightSince: null,
        detail: { reconciled: true, matches: found.length },
      });
    } else if (this.exhausted(order)) {
      this.save(order, {
        state: 'failed',
        inFlightSince: null,
        failedStep: 'order',
        errorClass: 'unavailable',
        errorCode: 'ORDER_NOT_CREATED',
        detail: { attempts: order.attempts, looked_up: true, client_reference: order.clientReference },
      });
    } else {
      this.save(order, { state: 'queued', inFlightSince: null });
      await this.backoff('orders', order);
    }
  }

  /**
   * A look-up that got no answer (`failures` in a row): tried again after a backoff, or, once as many as an
   * order's attempts, left for review with the reason (the next run looks it up again).
   */
  private async lookupFailed(order: SyncOrder, step: Step, outcome: Outcome<unknown>, failures: number, detail: Detail): Promise<void> {
    const service = SERVICE_OF[step];
    if (outcome.kind === 'throttled') return;
    const wait = backoffMs(failures, this.settings.backoffBaseMs, this.settings.backoffCapMs);
    if (outcome.kind === 'network' && !outcome.sent) return this.admission.backoff(service, wait);
    if (failures < this.settings.maxAttempts) return this.admission.backoff(service, wait);
    this.save(order, {
      state: 'needs_review',
      failedStep: step,
      errorClass: 'unknown_outcome',
      errorCode: step === 'order' ? 'ORDER_OUTCOME_UNKNOWN' : 'PAYMENT_OUTCOME_UNKNOWN',
      detail: { ...detail, reason: 'LOOKUP_UNAVAILABLE', last: reasonOf(outcome), attempts: order.attempts },
    });
  }

  private paid(order: SyncOrder, payment: BackendPayment, detail?: Detail): void {
    this.admission.markDone('payments');
    this.save(order, {
      state: 'paid',
      paymentId: payment.id,
      transactionId: payment.transaction_id,
      attempts: 0,
      inFlightSince: null,
      ...(detail ? { detail } : {}),
    });
  }

  async pay(order: SyncOrder, body: () => OrderPayloads): Promise<void> {
    const orderId = order.backendOrderId as string;
    // Safe to (re)send: the backend holds at most one payment per order and answers 409 to a second.
    const { outcome, attempts } = await this.send(order, 'payment', (key) => this.client.createPayment(body().payment(orderId), key));
    if (outcome.kind === 'ok') return this.paid(order, outcome.body);
    if (outcome.kind === 'bad_response') return this.badResponse(order, 'payment', outcome);
    if (outcome.kind === 'rejected' && outcome.status === 409) return this.settlePayment(order, 'PAYMENT_EXISTS');
    if (outcome.kind === 'rejected') {
      // Declined or refused: the backend order stays PENDING; a later retry pays it without re-creating it.
      const declined = outcome.status === 402;
      this.save(order, {
        state: outcome.status === 404 ? 'needs_review' : 'failed',
        attempts,
        inFlightSince: null,
        failedStep: 'payment',
        errorClass: declined ? 'declined' : outcome.status === 404 ? 'order_missing' : 'rejected',
        errorCode: outcome.code,
        detail: { status: outcome.status, backend_order_id: orderId, backend_order_status: 'PENDING' },
      });
      return;
    }
    if (!UNKNOWN.has(outcome.kind) || (outcome.kind === 'network' && !outcome.sent)) {
      // A 429 or a refused connection: nothing reached the payment service.
      this.save(order, { state: 'order_created', inFlightSince: null });
      if (outcome.kind === 'network') await this.backoff('payments', order);
      return;
    }
    const reason = reasonOf(outcome);
    this.save(order, { state: 'payment_in_flight', attempts, detail: { last: reason, backend_order_id: orderId } });
    if (this.exhausted(order)) return this.settlePayment(order, reason);
    // Sent again after the backoff (payment_in_flight): a 409 then says the first one went through.
    await this.backoff('payments', order);
  }

  /**
   * Finds out whether the order is paid: after a 409 (an earlier call whose answer was lost went through),
   * or before giving up after unknown outcomes. Paid: the payment is adopted. Not paid: failed with the
   * reason (the order stays PENDING at the backend; a retry pays it).
   */
  async settlePayment(order: SyncOrder, reason: string): Promise<void> {
    const orderId = order.backendOrderId as string;
    if (reason === 'TIMEOUT' || reason === 'CONNECTION_LOST') await this.settle(order, 'payments');
    for (let failures = 1; ; failures += 1) {
      const outcome = await this.admission.call('payments', () => this.client.findPayment(orderId));
      if (outcome.kind === 'ok') return this.paid(order, outcome.body, { reconciled: true });
      if (outcome.kind === 'bad_response') return this.badResponse(order, 'payment', outcome);
      if (outcome.kind === 'rejected') {
        const conflict = reason === 'PAYMENT_EXISTS';
        const unpaid = outcome.status === 404 && !conflict;
        this.save(order, {
          state: unpaid ? 'failed' : 'needs_review',
          inFlightSince: null,
          failedStep: 'payment',
          errorClass: unpaid ? 'unavailable' : conflict ? 'conflict' : 'unknown_outcome',
          errorCode: unpaid ? reason : conflict ? 'PAYMENT_CONFLICT_NOT_FOUND' : outcome.code,
          detail: {
            backend_order_id: orderId,
            status: outcome.status,
            looked_up: true,
            attempts: order.attempts,
            ...(unpaid ? { backend_order_status: 'PENDING' } : { reason: conflict ? 'CONFLICT_NOT_FOUND' : 'LOOKUP_REFUSED' }),
          },
        });
        return;
      }
      await this.lookupFailed(order, 'payment', outcome, failures, { backend_order_id: orderId });
      if (order.state === 'needs_review') return;
    }
  }

  async notify(order: SyncOrder, body: () => OrderPayloads): Promise<void> {
    const orderId = order.backendOrderId as string;
    const { outcome, attempts } = await this.send(order, 'notification', (key) =>
      this.client.sendNotification(body().notification(orderId), key),
    );
    if (outcome.kind === 'ok') {
      this.admission.markDone('notifications');
      this.save(order, { state: 'done', notificationId: outcome.body.id, attempts: 0, inFlightSince: null });
      return;
    }
    if (outcome.kind === 'bad_response') return this.badResponse(order, 'notification', outcome);
    if (outcome.kind === 'rejected') {
      this.save(order, {
        state: 'failed',
        attempts,
        inFlightSince: null,
        failedStep: 'notification',
        errorClass: 'rejected',
        errorCode: outcome.code,
        detail: { status: outcome.status, backend_order_id: orderId },
      });
      return;
    }
    if (outcome.kind === 'throttled' || (outcome.kind === 'network' && !outcome.sent)) {
      this.save(order, { state: 'paid', inFlightSince: null });
      if (outcome.kind === 'network') await this.backoff('notifications', order);
      return;
    }
    // Notifications have no look-up: an unknown outcome is sent again with the same Idempotency-Key (exactly
    // once where the backend honours it, at least once otherwise; never before payment).
    const reason = reasonOf(outcome);
    if (attempts >= this.settings.maxAttempts) {
      this.save(order, {
        state: 'failed',
        attempts,
        inFlightSince: null,
        failedStep: 'notification',
        errorClass: 'unavailable',
        errorCode: reason,
        detail: { backend_order_id: orderId, attempts, reason },
      });
      return;
    }
    this.save(order, { state: 'notification_in_flight', attempts, detail: { last: reason } });
    await this.backoff('notifications', order);
  }
}
