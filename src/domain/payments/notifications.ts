import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { isDuplicateKey } from '../../db/errors.js';
import { inTransaction } from '../../db/transaction.js';
import type { Clock } from '../shared/clock.js';
import type { InvoiceRow, PaymentService } from '../billing/payments.js';
import type { ConfiguredGateway, GatewayDirectory } from './directory.js';
import type { GatewayEvent, IncomingNotification } from './gateway.js';
import { findAttempt, type Attempt } from './attempts.js';
import { saveMethodFromEvent } from './saved-methods.js';

/** What handling an event came to, as stored on its gateway-log row. 'flagged': money or state a person must look at. */
export type HandledResult = 'success' | 'failure' | 'ignored' | 'duplicate' | 'flagged';

export interface Handled {
  logId: number;
  result: HandledResult;
  message: string;
  invoiceId: number | null;
  /** The invoice's status afterwards, when the event concerned one. */
  invoiceStatus: string | null;
  /** True when this event (or this payment) had already been handled before: nothing changed now. */
  repeated: boolean;
}

export interface NotificationAnswer {
  /** HTTP status for the provider: 2xx stops its retries; 5xx asks for a retry; 4xx says "this is not genuine". */
  status: number;
  body: string;
  handled: Handled | null;
}

const PAYABLE = new Set(['unpaid', 'payment_pending', 'collections']);
const MAX_RAW = 64_000;

/**
 * Gateway notifications (webhooks, IPNs, and what a provider answers when the customer returns), handled exactly once:
 *
 * 1. The provider module verifies it (signature on the raw body, or the provider's validation API). Anything not
 *    proven genuine is logged as a failure and answered 400: nothing else happens.
 * 2. The event is stored in the gateway log before anything is done with it; the unique (gateway, eventId) key means
 *    the same event delivered ten times gives one row.
 * 3. It is then handled in one database transaction that locks that row, applies the payment (itself unique by
 *    gateway + transaction id) and writes the row's result. Deliveries racing each other wait on the lock and find
 *    the result written; a crash between 2 and 3 leaves the row without a result and the next delivery handles it.
 *
 * Money is only applied when it matches what we asked the provider for (the attempt): same invoice, same amount,
 * same currency. Anything else is flagged for staff and never marks an invoice paid.
 */
export class GatewayNotifications {
  constructor(private readonly deps: { ds: DataSource; clock: Clock; payments: PaymentService; gateways: GatewayDirectory }) {}

  async receive(code: string, incoming: IncomingNotification): Promise<NotificationAnswer> {
    const gw = await this.deps.gateways.get(code);
    if (!gw) {
      await this.logRefusal(code, incoming, 'unknown_gateway: no such payment gateway is configured');
      return { status: 404, body: 'unknown gateway', handled: null };
    }
    const verified = await gw.module.verifyNotification(gw.settings, incoming);
    if (!verified.ok) {
      await this.logRefusal(code, incoming, `${verified.error}: ${verified.message}`);
      // A provider outage while verifying (validation API down) is worth a retry; a forgery is not.
      const status = verified.error === 'unavailable' ? 503 : verified.error === 'config' ? 500 : 400;
      return { status, body: verified.error, handled: null };
    }
    try {
      const handled = await this.handle(gw, verified.event, incoming.ip);
      return { status: 200, body: handled.result, handled };
    } catch (e) {
      // Nothing was applied and the event's row has no result: the provider's next delivery handles it.
      if (e instanceof RetryLater) return { status: 503, body: 'retry later', handled: null };
      throw e;
    }
  }

  /** Handles one verified event exactly once (also used for the events of a customer's return). */
  async handle(gw: ConfiguredGateway, event: GatewayEvent, ip: string | null): Promise<Handled> {
    const code = gw.settings.code;
    const logId = await this.store(code, event, ip);
    return inTransaction(this.deps.ds, async (m) => {
      const row = (await forUpdate(m.getRepository('GatewayLog').createQueryBuilder('l').where('l.id = :id', { id: logId })).getOne()) as { result: HandledResult | null; message: string | null; invoiceId: number | null } | null;
      if (row?.result) {
        const invoiceStatus = row.invoiceId ? (((await m.getRepository('Invoice').findOneBy({ id: row.invoiceId })) as { status: string } | null)?.status ?? null) : null;
        return { logId, result: row.result, message: row.message ?? '', invoiceId: row.invoiceId, invoiceStatus, repeated: true };
      }
      const out = await this.apply(m, code, event);
      await m.getRepository('GatewayLog').update({ id: logId }, { result: out.result, message: out.message.slice(0, 2000), invoiceId: out.invoiceId, transactionId: out.transactionId });
      return { logId, result: out.result, message: out.message, invoiceId: out.invoiceId, invoiceStatus: out.invoiceStatus, repeated: out.result === 'duplicate' };
    });
  }

  /** The event's log row: inserted once per (gateway, eventId); a repeat finds the first. */
  private async store(gateway: string, event: GatewayEvent, ip: string | null): Promise<number> {
    const repo = this.deps.ds.getRepository('GatewayLog');
    const eventId = event.eventId.slice(0, 191);
    try {
      const res = await repo.insert({
        gateway, direction: 'inbound', eventId, eventType: event.eventType.slice(0, 64), reference: event.transactionReference?.slice(0, 191) ?? event.checkoutReference?.slice(0, 191) ?? null,
        ipAddress: ip?.slice(0, 45) ?? null, request: event.payload,
      });
      return res.identifiers[0].id as number;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const first = (await repo.findOneOrFail({ where: { gateway, eventId }, select: { id: true } })) as { id: number };
      return first.id;
    }
  }

  private async apply(m: EntityManager, gateway: string, event: GatewayEvent): Promise<Outcome> {
    if (event.outcome === 'ignored') return outcome('ignored', `${event.eventType} needs nothing from us.`);
    const attempt = await findAttempt(m, gateway, { attemptId: event.attemptId, checkoutReference: event.checkoutReference });
    if (event.outcome === 'refunded') return this.refunded(m, gateway, event);
    if (!attempt) {
      // A payment already recorded through another event of it (say, the charge's own answer) is not news.
      const known = event.transactionReference ? ((await m.getRepository('Transaction').findOne({ where: { gateway, transactionId: event.transactionReference } })) as { id: number; invoiceId: number | null } | null) : null;
      if (known && event.outcome === 'succeeded') return outcome('duplicate', `Payment ${event.transactionReference} was already recorded.`, known.invoiceId, null, known.id);
      return outcome('flagged', `No payment attempt of ours matches this ${event.outcome} event (attempt ${event.attemptId ?? '—'}, checkout ${event.checkoutReference ?? '—'}, ${fmt(event)}). Nothing was applied: check it at ${gateway}.`, event.invoiceId);
    }
    const invoice = (await forUpdate(m.getRepository('Invoice').createQueryBuilder('i').where('i.id = :id', { id: attempt.request.invoiceId })).getOne()) as InvoiceRow | null;
    if (!invoice) return outcome('flagged', `The invoice #${attempt.request.invoiceId} of this payment no longer exists (${fmt(event)}).`, null);
    if (event.invoiceId !== null && event.invoiceId !== invoice.id) {
      return outcome('flagged', `The event names invoice #${event.invoiceId} but its payment attempt was for invoice ${label(invoice)}. Nothing was applied.`, invoice.id, invoice.status);
    }
    switch (event.outcome) {
      case 'succeeded':
        return this.succeeded(m, gateway, event, attempt, invoice);
      case 'pending':
        if (invoice.status === 'unpaid') await m.getRepository('Invoice').update({ id: invoice.id }, { status: 'payment_pending' });
        return outcome('success', `Payment of ${label(invoice)} is pending at ${gateway}; the invoice waits for the confirmation.`, invoice.id, invoice.status === 'unpaid' ? 'payment_pending' : invoice.status);
      case 'failed': {
        // A failure arriving after the payment succeeded (events out of order, or an earlier attempt) changes nothing.
        if (invoice.status === 'payment_pending') await m.getRepository('Invoice').update({ id: invoice.id }, { status: 'unpaid' });
        const status = invoice.status === 'payment_pending' ? 'unpaid' : invoice.status;
        return outcome('success', `Payment attempt for ${label(invoice)} failed${event.failureMessage ? `: ${event.failureMessage}` : ''}.`, invoice.id, status);
      }
    }
    return outcome('ignored', `${event.eventType} needs nothing from us.`, invoice.id, invoice.status);
  }

  private async succeeded(m: EntityManager, gateway: string, event: GatewayEvent, attempt: Attempt, invoice: InvoiceRow): Promise<Outcome> {
    const asked = attempt.request;
    if (!event.transactionReference) return outcome('flagged', `A successful payment without the provider's transaction id (${fmt(event)}); nothing was applied.`, invoice.id, invoice.status);
    if ((event.currency ?? '').toUpperCase() !== asked.currency.toUpperCase() || event.amount !== asked.amount) {
      return outcome(
        'flagged',
        `${gateway} reports ${fmt(event)} for ${label(invoice)} but we asked for ${asked.amount} ${asked.currency} (minor units). The invoice was not marked paid: check the payment at ${gateway} and record or refund it.`,
        invoice.id,
        invoice.status,
        null,
      );
    }
    const fees = event.fees !== null && event.fees >= 0 && event.fees <= event.amount ? event.fees : 0;
    let result: Outcome;
    if (PAYABLE.has(invoice.status) || invoice.status === 'paid') {
      const paid = await this.deps.payments.recordPaymentIn(m, { invoiceId: invoice.id, amount: event.amount, gateway, transactionId: event.transactionReference, fees, description: `Payment of ${label(invoice)} via ${gateway}` });
      if (!paid.ok) return outcome('flagged', `${gateway} payment ${event.transactionReference} could not be recorded on ${label(invoice)}: ${paid.message}`, invoice.id, invoice.status);
      if (paid.duplicate) return outcome('duplicate', `Payment ${event.transactionReference} was already recorded.`, invoice.id, paid.invoiceStatus, paid.transactionIds[0] ?? null);
      const note = paid.toCredit > 0 ? ` ${paid.toCredit} (minor units) beyond the balance went to account credit.` : '';
      result = outcome('success', `Payment ${event.transactionReference} recorded on ${label(invoice)} (now ${paid.invoiceStatus}).${note}`, invoice.id, paid.invoiceStatus, paid.transactionIds[0] ?? null);
    } else {
      // The invoice was cancelled (or refunded) while the customer paid: the money is theirs, as credit, and staff look.
      const kept = await this.deps.payments.receiveToCreditIn(m, { clientId: invoice.clientId, currencyId: invoice.currencyId, amount: event.amount, gateway, transactionId: event.transactionReference, fees, invoiceLabel: label(invoice) });
      if (!kept.ok) return outcome('flagged', `${gateway} payment ${event.transactionReference} arrived for ${label(invoice)}, which is ${invoice.status}, and could not be added to credit: ${kept.message}`, invoice.id, invoice.status);
      if (kept.duplicate) return outcome('duplicate', `Payment ${event.transactionReference} was already recorded.`, invoice.id, invoice.status, kept.transactionId);
      result = outcome('flagged', `Payment ${event.transactionReference} arrived for ${label(invoice)}, which is ${invoice.status}: added to the client's account credit. Refund it or apply it as the client wishes.`, invoice.id, invoice.status, kept.transactionId);
    }
    if (asked.saveMethod && event.savedMethod) await saveMethodFromEvent(m, { clientId: invoice.clientId, gateway, method: event.savedMethod });
    return result;
  }

  /** A refund made at the provider. Ours are recorded by the refund action; one made in the provider's dashboard is for staff to record. */
  private async refunded(m: EntityManager, gateway: string, event: GatewayEvent): Promise<Outcome> {
    const payment = event.transactionReference
      ? ((await m.getRepository('Transaction').findOne({ where: { gateway, transactionId: event.transactionReference, type: 'payment' } })) as { id: number; invoiceId: number | null; amountIn: number } | null)
      : null;
    if (!payment) return outcome('flagged', `${gateway} reports a refund (${fmt(event)}) of a payment we have no record of.`, event.invoiceId);
    const refunded = (await m
      .getRepository('Transaction')
      .createQueryBuilder('r')
      .select('COALESCE(SUM(r.amount_out), 0)', 'sum')
      .where('r.refund_of_id = :id AND r.status = :s', { id: payment.id, s: 'completed' })
      .getRawOne()) as { sum: string | number };
    if (event.amount !== null && Number(refunded.sum) >= event.amount) return outcome('success', `Refund already recorded (${refunded.sum} of ${payment.amountIn}).`, payment.invoiceId);
    // Our own refund of it may still be on its way into the books (the provider notifies as soon as it refunds).
    const inFlight = await m.getRepository('GatewayLog').count({ where: { gateway, direction: 'outbound', eventType: 'refund.create', transactionId: payment.id, result: IsNull() } });
    if (inFlight > 0) throw new RetryLater(`A refund of payment #${payment.id} is being recorded; deliver this again later.`);
    return outcome('flagged', `${gateway} reports ${fmt(event)} refunded of payment #${payment.id}, but only ${refunded.sum} is recorded here. Record the refund on the transaction.`, payment.invoiceId);
  }

  private async logRefusal(gateway: string, incoming: IncomingNotification, message: string): Promise<void> {
    const raw = incoming.rawBody.toString('utf8');
    await this.deps.ds.getRepository('GatewayLog').insert({
      gateway: gateway.slice(0, 32), direction: 'inbound', eventId: null, eventType: null, result: 'failure', message: message.slice(0, 2000), ipAddress: incoming.ip?.slice(0, 45) ?? null,
      // The body as received (it proved nothing, so it is evidence, not data) — never the signature headers' secrets, which there are none of.
      request: { body: raw.length > MAX_RAW ? `${raw.slice(0, MAX_RAW)}…` : raw, headers: publicHeaders(incoming.headers) },
    });
  }
}

/** The event cannot be decided yet (something of ours it depends on is mid-way): roll back, let the provider retry. */
export class RetryLater extends Error {}

interface Outcome {
  result: HandledResult;
  message: string;
  invoiceId: number | null;
  invoiceStatus: string | null;
  transactionId: number | null;
}

const outcome = (result: HandledResult, message: string, invoiceId: number | null = null, invoiceStatus: string | null = null, transactionId: number | null = null): Outcome => ({ result, message, invoiceId, invoiceStatus, transactionId });
const label = (i: InvoiceRow) => i.invoiceNumber ?? `invoice #${i.id}`;
const fmt = (e: GatewayEvent) => `${e.amount ?? '?'} ${e.currency ?? '?'} (minor units)`;

/** Headers worth keeping as evidence: the provider's signature and delivery headers, never cookies or auth. */
function publicHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const keep = /^(content-type|user-agent|stripe-signature|paypal-[\w-]+|x-forwarded-for)$/i;
  return Object.fromEntries(Object.entries(headers).filter(([k, v]) => keep.test(k) && typeof v === 'string')) as Record<string, string>;
}
