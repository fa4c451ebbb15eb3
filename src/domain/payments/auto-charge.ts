import type { DataSource } from 'typeorm';
import { isDuplicateKey } from '../../db/errors.js';
import { readSettings } from '../settings.js';
import { addDays, businessDate, type Clock } from '../shared/clock.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { GatewayDirectory } from './directory.js';
import { acceptsCurrency } from './directory.js';
import type { SavedMethodInfo } from './gateway.js';
import type { GatewayNotifications } from './notifications.js';
import { ATTEMPT_PREFIX, type AttemptRequest } from './attempts.js';

export interface AutoChargePolicy {
  /** Declined charges before giving up on an invoice (the customer then pays by hand). */
  attempts: number;
  /** Days between one declined attempt and the next. */
  retryDays: number;
}

export interface ChargeResult {
  invoiceId: number;
  outcome: 'paid' | 'pending' | 'declined' | 'unavailable' | 'skipped';
  message: string;
}

/** Sends the customer the payment_failed email; the caller decides the wording of what happens next. */
export type ChargeFailedNotice = (input: { invoiceId: number; clientId: number; method: string; failureMessage: string; nextAttempt: string | null }) => Promise<void>;

const DEFAULT_POLICY: AutoChargePolicy = { attempts: 3, retryDays: 3 };

interface DueRow {
  id: number;
  client_id: number;
  currency_id: number;
  balance: number | string;
}

interface MethodRow {
  id: number;
  gateway: string;
  gatewayCustomerId: string | null;
  gatewayToken: string | null;
  type: 'card' | 'bank' | 'paypal';
  brand: string | null;
  lastFour: string | null;
  expMonth: number | null;
  expYear: number | null;
  description: string;
}

/**
 * Charges saved payment methods for invoices that have come due (WHMCS "capture on due date"). Exactly one charge per
 * attempt: each attempt is first written to the gateway log under a unique id made of the invoice and the attempt
 * number (two schedulers racing insert the same id, and only one of them goes on), the provider is given that id as
 * the idempotency key (a retry after a crash reaches the same charge), and a successful charge is recorded through
 * the same exactly-once handling as a webhook, so the provider's later webhook of it changes nothing.
 */
export class AutoCharge {
  constructor(private readonly deps: { ds: DataSource; clock: Clock; timeZone: string; gateways: GatewayDirectory; notifications: GatewayNotifications; notifyFailure?: ChargeFailedNotice }) {}

  async policy(): Promise<AutoChargePolicy> {
    const s = await readSettings(this.deps.ds, 'billing.autoCharge');
    const int = (k: string, d: number, max: number) => {
      const v = Number(s.get(k));
      return Number.isInteger(v) && v >= 1 && v <= max ? v : d;
    };
    return { attempts: int('billing.autoChargeAttempts', DEFAULT_POLICY.attempts, 10), retryDays: int('billing.autoChargeRetryDays', DEFAULT_POLICY.retryDays, 30) };
  }

  /** Every unpaid invoice due today or earlier whose client has a default saved method; one attempt each at most. */
  async runDue(): Promise<ChargeResult[]> {
    const today = businessDate(this.deps.clock.now(), this.deps.timeZone);
    const due = (await this.deps.ds.query(
      `SELECT i.id, i.client_id, i.currency_id, (i.total - i.amount_paid - i.credit) AS balance FROM invoices i
        WHERE i.status = 'unpaid' AND i.due_date <= ? AND i.total - i.amount_paid - i.credit > 0
          AND EXISTS (SELECT 1 FROM payment_methods p WHERE p.client_id = i.client_id AND p.is_default = 1 AND p.status = 'active')
        ORDER BY i.due_date, i.id`,
      [today],
    )) as DueRow[];
    const policy = await this.policy();
    const results: ChargeResult[] = [];
    for (const row of due) results.push(await this.charge(row.id, { policy, manual: false }));
    return results;
  }

  /**
   * One attempt on one invoice. `manual` (staff pressed Retry charge) ignores the spacing and the limit of automatic
   * attempts, but never charges an invoice that is paid or already has a charge in flight.
   */
  async charge(invoiceId: number, opts: { policy?: AutoChargePolicy; manual?: boolean } = {}): Promise<ChargeResult> {
    const policy = opts.policy ?? (await this.policy());
    const today = businessDate(this.deps.clock.now(), this.deps.timeZone);
    const ds = this.deps.ds;
    const inv = (await ds.getRepository('Invoice').findOneBy({ id: invoiceId })) as { id: number; invoiceNumber: string | null; clientId: number; currencyId: number; status: string; total: number; amountPaid: number; credit: number } | null;
    if (!inv) return skipped(invoiceId, 'The invoice does not exist.');
    const balance = inv.total - inv.amountPaid - inv.credit;
    if (inv.status !== 'unpaid' || balance <= 0) return skipped(invoiceId, `Invoice is ${inv.status}; nothing to charge.`);
    const method = (await ds.getRepository('PaymentMethod').findOne({ where: { clientId: inv.clientId, isDefault: true, status: 'active' } })) as MethodRow | null;
    if (!method?.gatewayToken) return skipped(invoiceId, 'The client has no saved payment method.');
    const gw = await this.deps.gateways.get(method.gateway);
    const currency = (await ds.getRepository('Currency').findOneByOrFail({ id: inv.currencyId })) as { code: string; exponent: number };
    if (!gw || !gw.enabled || !gw.module.supports.savedMethods || !acceptsCurrency(gw.settings.config, currency.code)) return skipped(invoiceId, `${method.gateway} cannot charge this invoice now.`);

    const previous = (await ds.getRepository('GatewayLog').find({ where: { invoiceId, direction: 'outbound', eventType: 'charge.attempt' }, order: { id: 'ASC' } })) as Array<{
      result: string | null; createdAt: Date; request: AttemptRequest | null; response: { kind?: string } | null;
    }>;
    if (previous.some((p) => p.result === null)) return skipped(invoiceId, 'A charge of this invoice is already in progress.');
    const declined = previous.filter((p) => p.response?.kind === 'declined');
    if (!opts.manual) {
      if (declined.length >= policy.attempts) return skipped(invoiceId, `Gave up after ${declined.length} declined attempts.`);
      const last = previous.at(-1);
      const lastDate = last ? (last.request?.date ?? businessDate(new Date(last.createdAt), this.deps.timeZone)) : null;
      if (last && lastDate && addDays(lastDate, last.response?.kind === 'declined' ? policy.retryDays : 1) > today) return skipped(invoiceId, 'Not yet time for the next attempt.');
    }

    const attemptId = `ch${invoiceId}n${previous.length + 1}`;
    const request: AttemptRequest = { kind: 'charge', clientId: inv.clientId, invoiceId, amount: balance, currency: currency.code, saveMethod: false, paymentMethodId: method.id, date: today };
    let logId: number;
    try {
      const res = await ds.getRepository('GatewayLog').insert({ gateway: gw.settings.code, direction: 'outbound', eventId: `${ATTEMPT_PREFIX}${attemptId}`, eventType: 'charge.attempt', invoiceId, request });
      logId = res.identifiers[0].id as number;
    } catch (e) {
      if (isDuplicateKey(e)) return skipped(invoiceId, 'Another worker is charging this invoice.');
      throw e;
    }

    const saved: SavedMethodInfo = { providerCustomerId: method.gatewayCustomerId, token: method.gatewayToken, type: method.type, brand: method.brand, lastFour: method.lastFour, expMonth: method.expMonth, expYear: method.expYear };
    const number = inv.invoiceNumber ?? `#${inv.id}`;
    const done = await gw.module.chargeSavedMethod(gw.settings, { method: saved, amount: balance, currency: currency.code, exponent: currency.exponent, invoice: { id: inv.id, number, description: `Invoice ${number}` }, idempotencyKey: attemptId });
    const log = ds.getRepository('GatewayLog');
    if (!done.ok) {
      await log.update({ id: logId }, { result: 'failure', message: `${done.error}: ${done.message}`.slice(0, 2000), response: { kind: 'unavailable' } });
      return { invoiceId, outcome: 'unavailable', message: done.message };
    }
    await log.update({ id: logId }, { reference: done.transactionReference, response: { kind: done.status, response: done.response } as object });
    if (done.status === 'declined') {
      const message = done.declineMessage ?? 'The card was declined.';
      await log.update({ id: logId }, { result: 'failure', message: `declined: ${message}`.slice(0, 2000) });
      const attemptsLeft = opts.manual ? 0 : policy.attempts - (declined.length + 1);
      const nextAttempt = attemptsLeft > 0 ? addDays(today, policy.retryDays) : null;
      await this.deps.notifyFailure?.({ invoiceId, clientId: inv.clientId, method: method.description, failureMessage: message, nextAttempt });
      return { invoiceId, outcome: 'declined', message };
    }
    const handled = await this.deps.notifications.handle(
      gw,
      {
        eventId: `charge:${attemptId}`, eventType: 'charge.result', outcome: done.status === 'succeeded' ? 'succeeded' : 'pending', attemptId, checkoutReference: null,
        transactionReference: done.transactionReference, invoiceId, amount: balance, currency: currency.code, fees: done.fees, failureMessage: null, savedMethod: null, payload: done.response,
      },
      null,
    );
    await log.update({ id: logId }, { result: 'success', message: handled.message.slice(0, 2000) });
    const outcome = handled.invoiceStatus === 'paid' ? 'paid' : 'pending';
    return { invoiceId, outcome, message: handled.message };
  }
}

const skipped = (invoiceId: number, message: string): ChargeResult => ({ invoiceId, outcome: 'skipped', message });

/** Staff retry from the admin: the same attempt logic, answered as an Outcome. */
export async function retryCharge(auto: AutoCharge, invoiceId: number): Promise<Outcome<{ message: string }>> {
  const r = await auto.charge(invoiceId, { manual: true });
  if (r.outcome === 'paid') return succeed({ message: 'Charged: the invoice is paid.' });
  if (r.outcome === 'pending') return succeed({ message: 'Charged: the provider confirms the payment shortly.' });
  return fail(`charge_${r.outcome}`, r.message);
}
