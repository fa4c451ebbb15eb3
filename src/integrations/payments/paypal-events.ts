import type { GatewayEvent } from '../../domain/payments/gateway.js';
import { formatDecimal, parseMoney } from '../../domain/shared/money.js';

/** PayPal's JSON (snake_case, as the API and webhooks send it); only the fields this module reads. */
export interface RawMoney { currency_code?: string; value?: string }
export interface RawLink { href?: string; rel?: string }
export interface RawCapture {
  id?: string; status?: string; status_details?: { reason?: string };
  amount?: RawMoney;
  seller_receivable_breakdown?: { gross_amount?: RawMoney; paypal_fee?: RawMoney };
  custom_id?: string; invoice_id?: string;
  supplementary_data?: { related_ids?: { order_id?: string } };
  links?: RawLink[];
}
export interface RawRefund { id?: string; status?: string; amount?: RawMoney; custom_id?: string; invoice_id?: string; links?: RawLink[] }
export interface RawOrder {
  id?: string; status?: string;
  purchase_units?: Array<{ reference_id?: string; custom_id?: string; payments?: { captures?: RawCapture[] } }>;
  links?: RawLink[];
}

/** PayPal takes (and sends) whole units for these, although ISO 4217 gives HUF and TWD two decimals. */
const PAYPAL_WHOLE_UNITS = new Set(['HUF', 'JPY', 'TWD']);
/**
 * The minor-unit exponent of amounts this module reports when it has no request to take it from (webhooks):
 * ISO 4217 for the currencies PayPal supports, all of which have 2 except JPY.
 */
export const reportExponent = (currency: string): number => (currency === 'JPY' ? 0 : 2);

/** The decimal string PayPal wants for `cents` at `exponent`, or null when PayPal cannot express it (HUF 10.50). */
export function toPaypalValue(cents: number, currency: string, exponent: number): string | null {
  const places = PAYPAL_WHOLE_UNITS.has(currency) ? 0 : 2;
  if (exponent === places) return formatDecimal(cents, places);
  if (exponent < places) return formatDecimal(cents * 10 ** (places - exponent), places);
  const step = 10 ** (exponent - places);
  return cents % step === 0 ? formatDecimal(cents / step, places) : null;
}

/** Minor units (at reportExponent) of a PayPal money object, or null when it is absent or unreadable. */
export function fromPaypalMoney(money: RawMoney | undefined): { amount: number; currency: string } | null {
  const currency = money?.currency_code?.toUpperCase();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(money?.value ?? '');
  if (!currency || !m) return null;
  const exponent = reportExponent(currency);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > exponent) return null;
  return { amount: parseMoney(frac ? `${m[1]}.${frac}` : m[1], exponent), currency };
}

export const captureOutcome = (status: string | undefined): GatewayEvent['outcome'] => {
  switch (status) {
    case 'COMPLETED':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED':
      return 'succeeded';
    case 'PENDING':
      return 'pending';
    case 'DECLINED':
    case 'FAILED':
      return 'failed';
    default:
      return 'ignored';
  }
};

export const DECLINED_MESSAGE = 'PayPal declined the payment method you chose. Please pay again with another card or bank account in PayPal, or choose another way to pay.';

export function invoiceIdOf(referenceId: string | undefined | null): number | null {
  return referenceId && /^\d{1,15}$/.test(referenceId) ? Number(referenceId) : null;
}

/** The id at the end of a link such as …/v2/payments/captures/{id} (rel 'up' of a refund, of a capture). */
export function linkedId(links: RawLink[] | undefined, kind: 'captures' | 'orders'): string | null {
  for (const l of links ?? []) {
    const m = l.rel === 'up' ? new RegExp(`/(?:payments|checkout)/${kind}/([A-Za-z0-9-]+)$`).exec(l.href ?? '') : null;
    if (m) return m[1];
  }
  return null;
}

export function captureEvent(c: RawCapture, ctx: {
  eventId: string; eventType: string; orderId: string | null; referenceId: string | null; payload: unknown; outcome?: GatewayEvent['outcome'];
}): GatewayEvent {
  const outcome = ctx.outcome ?? captureOutcome(c.status);
  const money = fromPaypalMoney(c.seller_receivable_breakdown?.gross_amount ?? c.amount);
  const fee = fromPaypalMoney(c.seller_receivable_breakdown?.paypal_fee);
  return {
    eventId: ctx.eventId,
    eventType: ctx.eventType,
    outcome,
    attemptId: c.custom_id ?? null,
    checkoutReference: ctx.orderId,
    transactionReference: c.id ?? null,
    invoiceId: invoiceIdOf(ctx.referenceId),
    amount: money?.amount ?? null,
    currency: money?.currency ?? null,
    fees: fee && fee.currency === money?.currency ? fee.amount : null,
    failureMessage: outcome === 'failed' ? DECLINED_MESSAGE : null,
    savedMethod: null,
    payload: ctx.payload,
  };
}

/** The capture an order carries (after capture), with its purchase unit's reference_id. */
export function captureOfOrder(order: RawOrder): { capture: RawCapture; referenceId: string | null } | null {
  for (const pu of order.purchase_units ?? []) {
    const capture = pu.payments?.captures?.[0];
    if (capture) return { capture, referenceId: pu.reference_id ?? null };
  }
  return null;
}

export function parseJson(body: unknown): unknown {
  if (typeof body !== 'string') return null;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}
