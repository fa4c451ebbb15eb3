import { timingSafeEqual } from 'node:crypto';
import type { GatewayEvent } from '../../domain/payments/gateway.js';
import { fail, succeed, type Outcome } from '../../domain/shared/outcome.js';
import { MoneyError, parseMoney } from '../../domain/shared/money.js';
import { apiConnectFailure, forLog, isFailure, md5, type Credentials, type SslcommerzTransport } from './sslcommerz-client.js';

/**
 * The IPN and the browser's return POST carry the same signed form. The form proves nothing on its own about money:
 * its signature (verify_sign) only shows SSLCommerz produced it at some point, and it holds no signed timestamp, so a
 * replayed form cannot be told apart by age ('stale' does not apply). What makes a success is the validation API's
 * answer for the form's val_id, fetched by us with the store credentials; amounts and ids come from that answer.
 */

const FAILED_STATUSES: Record<string, string> = {
  FAILED: 'The payment was declined or failed at SSLCommerz.',
  CANCELLED: 'The payment was cancelled on the SSLCommerz page.',
  UNATTEMPTED: 'The SSLCommerz payment page was left without paying.',
  EXPIRED: 'The SSLCommerz payment session expired before payment.',
};

/** verify_sign as SSLCommerz documents it: md5 of "k=v&…" over the verify_key fields plus md5(store password), by key. */
export function signatureOf(form: Record<string, string>, storePassword: string): string {
  const data: Record<string, string> = {};
  for (const key of (form.verify_key ?? '').split(',')) {
    if (key && Object.hasOwn(form, key)) data[key] = form[key];
  }
  data.store_passwd = md5(storePassword);
  return md5(Object.keys(data).sort().map((k) => `${k}=${data[k]}`).join('&'));
}

function signatureHolds(form: Record<string, string>, storePassword: string): boolean {
  const given = Buffer.from((form.verify_sign ?? '').toLowerCase());
  const expected = Buffer.from(signatureOf(form, storePassword));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const cents = (v: unknown): number | null => {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  try {
    return parseMoney(String(v), 2);
  } catch (e) {
    if (e instanceof MoneyError) return null;
    throw e;
  }
};
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const invoiceIdOf = (v: unknown): number | null => {
  const s = text(v);
  return s && /^\d{1,15}$/.test(s) ? Number(s) : null;
};

export async function readNotification(
  form: Record<string, string>,
  creds: Credentials,
  transport: SslcommerzTransport,
): Promise<Outcome<{ event: GatewayEvent }>> {
  if (!form.verify_sign || !form.verify_key) {
    return fail('forged', 'The SSLCommerz notification is not signed (no verify_sign): ignored.');
  }
  if (!signatureHolds(form, creds.storePassword)) {
    return fail('forged', 'The SSLCommerz notification signature does not match the Store password: ignored. If every notification fails this way, check the Store password in Payment Gateways.');
  }
  const signed = new Set(form.verify_key.split(','));
  // Fields outside verify_key could have been changed in transit; the ones we act on must be inside it.
  const status = form.status ?? '';
  const needed = ['status', 'tran_id', ...(status === 'VALID' || status === 'VALIDATED' ? ['val_id'] : [])];
  const unsigned = needed.filter((k) => !signed.has(k) || !form[k]);
  if (unsigned.length) return fail('forged', `The SSLCommerz notification does not sign ${unsigned.join(', ')}: ignored.`);

  const formLog = forLog(form);
  if (FAILED_STATUSES[status]) {
    const fromSigned = (k: string) => (signed.has(k) ? form[k] : undefined);
    const reason = text(fromSigned('error'));
    return succeed({
      event: {
        eventId: `fail:${form.tran_id}:${status}`,
        eventType: `ipn.${status.toLowerCase()}`,
        outcome: 'failed',
        attemptId: form.tran_id,
        checkoutReference: text(fromSigned('sessionkey')),
        // No money moved, so no payment reference: a failed try must never look like a settled one.
        transactionReference: null,
        invoiceId: invoiceIdOf(fromSigned('value_a')),
        amount: null,
        currency: null,
        fees: null,
        failureMessage: reason ? `${FAILED_STATUSES[status]} (${reason})` : FAILED_STATUSES[status],
        savedMethod: null,
        payload: { form: formLog },
      },
    });
  }
  if (status !== 'VALID' && status !== 'VALIDATED') {
    return fail('invalid', `The SSLCommerz notification has an unknown status "${status}".`);
  }

  const answer = await transport.validate(form.val_id);
  if (isFailure(answer)) return answer;
  const refused = apiConnectFailure(answer, 'payment validation');
  if (refused) return refused;
  return eventFromValidation(form, answer, formLog);
}

function eventFromValidation(form: Record<string, string>, v: Record<string, unknown>, formLog: unknown): Outcome<{ event: GatewayEvent }> {
  const vStatus = String(v.status ?? '');
  const payload = { form: formLog, validation: forLog(v) };
  if (vStatus === 'INVALID_TRANSACTION' || vStatus === '') {
    return fail('forged', `SSLCommerz does not know the payment ${form.val_id} this notification claims: ignored.`);
  }
  if (text(v.tran_id) !== form.tran_id || (text(v.val_id) !== null && text(v.val_id) !== form.val_id)) {
    return fail('invalid', `SSLCommerz validated ${form.val_id} for transaction ${String(v.tran_id)}, not ${form.tran_id} as the notification says: ignored.`);
  }

  // Stores paid in another currency are settled in BDT: `amount`/`currency` are the BDT side, `currency_amount`/
  // `currency_type` what we asked for (SSLCommerz's own sample code checks the latter for non-BDT payments).
  const settledAmount = cents(v.amount);
  const settledCurrency = text(v.currency)?.toUpperCase() ?? null;
  const currency = text(v.currency_type)?.toUpperCase() ?? settledCurrency;
  const amount = text(v.currency_type) ? cents(v.currency_amount) : settledAmount;
  const storeAmount = cents(v.store_amount);
  const fees = settledAmount !== null && storeAmount !== null && currency === settledCurrency ? settledAmount - storeAmount : null;

  const base = {
    attemptId: form.tran_id,
    checkoutReference: null,
    transactionReference: text(v.bank_tran_id),
    invoiceId: invoiceIdOf(v.value_a),
    amount,
    currency,
    fees,
    savedMethod: null,
    payload,
  };
  if (vStatus === 'VALID' || vStatus === 'VALIDATED') {
    if (amount === null || !currency || !base.transactionReference) {
      return fail('invalid', `SSLCommerz validated ${form.val_id} without a readable amount, currency or bank transaction id.`);
    }
    return succeed({ event: { ...base, eventId: `val:${form.val_id}`, eventType: 'validation.valid', outcome: 'succeeded', failureMessage: null } });
  }
  // Not (yet) a success: a distinct event id, so the later VALID answer for the same val_id is not deduped away.
  const pending = vStatus === 'PENDING';
  return succeed({
    event: {
      ...base,
      eventId: `val:${form.val_id}:${vStatus}`,
      eventType: `validation.${vStatus.toLowerCase()}`,
      outcome: pending ? 'pending' : 'failed',
      transactionReference: pending ? base.transactionReference : null,
      failureMessage: pending ? null : `SSLCommerz reports the payment as ${vStatus.toLowerCase()}${text(v.error) ? ` (${text(v.error)})` : ''}.`,
    },
  });
}

/** The browser's return carries nothing at all when it comes back by GET: nothing to verify, nothing to report. */
export const isEmptyReturn = (form: Record<string, string>): boolean => !form.status && !form.tran_id && !form.verify_sign;
