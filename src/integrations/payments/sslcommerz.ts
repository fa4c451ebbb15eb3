import { createHash, randomBytes } from 'node:crypto';
import type { CheckoutRequest, GatewaySettings, IncomingNotification, PaymentGatewayModule, RefundRequest } from '../../domain/payments/gateway.js';
import { formatDecimal } from '../../domain/shared/money.js';
import { fail, succeed } from '../../domain/shared/outcome.js';
import { apiConnectFailure, credentialsOf, forLog, isFailure, SslcommerzTransport } from './sslcommerz-client.js';
import { isEmptyReturn, readNotification } from './sslcommerz-notify.js';

/**
 * SSLCommerz (Bangladesh) through its v4 hosted checkout: we open a session, the customer pays on SSLCommerz's page,
 * and SSLCommerz posts a signed form to our IPN URL and, through the customer's browser, to the return URL. Both are
 * settled the same way (sslcommerz-notify.ts). No saved methods: SSLCommerz has no merchant-initiated charges here.
 */
export function sslcommerzGateway(opts: { apiBase?: string; timeoutMs?: number } = {}): PaymentGatewayModule {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const connect = (settings: GatewaySettings) => {
    const creds = credentialsOf(settings);
    if (isFailure(creds)) return creds;
    return { creds, transport: new SslcommerzTransport(creds, settings, opts.apiBase, timeoutMs) };
  };

  return {
    code: 'sslcommerz',
    name: 'SSLCommerz',
    credentialFields: [
      { key: 'storeId', label: 'Store ID' },
      { key: 'storePassword', label: 'Store password' },
    ],
    supports: { refunds: true, savedMethods: false },

    async startCheckout(settings, request) {
      const c = connect(settings);
      if (isFailure(c)) return c;
      const problem = checkoutProblem(request);
      if (problem) return fail('invalid', problem);

      const fields = sessionFields(request);
      const answer = await c.transport.init(fields);
      if (isFailure(answer)) return answer;
      const response = {
        status: answer.status, failedreason: answer.failedreason, sessionkey: answer.sessionkey, GatewayPageURL: answer.GatewayPageURL,
      };
      const redirectUrl = typeof answer.GatewayPageURL === 'string' ? answer.GatewayPageURL : '';
      const sessionkey = typeof answer.sessionkey === 'string' ? answer.sessionkey : '';
      if (answer.status === 'SUCCESS' && redirectUrl && sessionkey) {
        return succeed({ redirectUrl, reference: sessionkey, request: fields, response });
      }
      const reason = typeof answer.failedreason === 'string' && answer.failedreason ? answer.failedreason : 'no reason given';
      if (/credential|de-?active|inactive/i.test(reason)) {
        return fail('config', `SSLCommerz refused the store credentials ("${reason}"): check the Store ID and Store password in Payment Gateways, and that test mode matches the store (sandbox or live).`);
      }
      return fail('invalid', `SSLCommerz would not open the payment page: ${reason}.`);
    },

    async verifyNotification(settings, incoming) {
      const c = connect(settings);
      if (isFailure(c)) return c;
      return readNotification(formOf(incoming), c.creds, c.transport);
    },

    async completeReturn(settings, query) {
      if (isEmptyReturn(query)) return succeed({ event: null });
      const c = connect(settings);
      if (isFailure(c)) return c;
      return readNotification(query, c.creds, c.transport);
    },

    async refund(settings, request) {
      const c = connect(settings);
      if (isFailure(c)) return c;
      const problem = refundProblem(request);
      if (problem) return problem;

      const params = {
        bank_tran_id: request.transactionReference,
        // Mandatory since 2025-02-24, 30 characters at most, unique per refund: our idempotency key, or a digest of it.
        refund_trans_id: fitted(request.idempotencyKey, 30),
        refund_amount: formatDecimal(request.amount, 2),
        refund_remarks: (request.reason.trim() || 'Refund').slice(0, 255),
        refe_id: fitted(request.idempotencyKey, 50),
      };
      const answer = await c.transport.refund(params);
      if (isFailure(answer)) return answer;
      const refused = apiConnectFailure(answer, 'refund');
      if (refused) return refused;
      const response = forLog(answer);
      const ref = typeof answer.refund_ref_id === 'string' ? answer.refund_ref_id : '';
      if ((answer.status === 'success' || answer.status === 'processing') && ref) {
        return succeed({ refundReference: ref, status: answer.status === 'success' ? 'succeeded' : 'pending', request: params, response });
      }
      const reason = typeof answer.errorReason === 'string' && answer.errorReason ? answer.errorReason : 'no reason given';
      return fail('invalid', `SSLCommerz refused the refund: ${reason}.`);
    },

    async chargeSavedMethod() {
      return fail('unsupported', 'SSLCommerz cannot charge a saved payment method: the customer pays each invoice on the SSLCommerz page.');
    },

    async testConfiguration(settings) {
      const c = connect(settings);
      if (isFailure(c)) return c;
      // A transaction id nobody used: right credentials answer "none found", wrong ones an authentication failure.
      const answer = await c.transport.queryByTranId(`MERIDIAN-CHECK-${randomBytes(6).toString('hex')}`);
      if (isFailure(answer)) return answer;
      const refused = apiConnectFailure(answer, 'transaction query');
      if (refused) return refused;
      return succeed({ message: `SSLCommerz accepted the Store ID and Store password (${settings.testMode ? 'sandbox' : 'live'} store).` });
    },
  };
}

function checkoutProblem(r: CheckoutRequest): string | null {
  if (r.exponent !== 2) return `SSLCommerz takes amounts with two decimals; ${r.currency} cannot be paid through it.`;
  if (!Number.isSafeInteger(r.amount) || r.amount <= 0) return 'The amount to pay must be more than zero.';
  if (!/^[A-Z]{3}$/.test(r.currency)) return `"${r.currency}" is not a currency code.`;
  if (r.attemptId.length > 30) return `The payment attempt id "${r.attemptId}" is longer than the 30 characters SSLCommerz accepts as tran_id.`;
  return null;
}

function refundProblem(r: RefundRequest) {
  if (!r.transactionReference) return fail('invalid', 'The payment has no SSLCommerz bank transaction id to refund.');
  if (r.exponent !== 2 || !Number.isSafeInteger(r.amount) || r.amount <= 0) return fail('invalid', 'The refund amount must be more than zero, in a two-decimal currency.');
  // SSLCommerz settles and refunds in BDT; a payment taken in another currency cannot be refunded to the cent from here.
  if (r.currency !== 'BDT') {
    return fail('unsupported', `SSLCommerz refunds in BDT only; refund this ${r.currency} payment from the SSLCommerz merchant panel and record it manually.`);
  }
  return null;
}

/** The session fields SSLCommerz documents as mandatory, with placeholders where we know nothing (it requires them). */
function sessionFields(r: CheckoutRequest): Record<string, string> {
  const c = r.customer;
  const or = (v: string | null | undefined, max = 50) => (v && v.trim() ? v.trim().slice(0, max) : 'N/A');
  return {
    total_amount: formatDecimal(r.amount, 2),
    currency: r.currency,
    tran_id: r.attemptId,
    success_url: r.returnUrl,
    fail_url: r.returnUrl,
    cancel_url: r.cancelUrl,
    ipn_url: r.notifyUrl,
    cus_name: or(c.name),
    cus_email: or(c.email),
    cus_add1: or(c.address),
    cus_city: or(c.city),
    cus_postcode: or(c.postcode, 30),
    cus_country: or(c.country),
    cus_phone: or(c.phone, 20),
    shipping_method: 'NO',
    num_of_item: '1',
    product_name: `Invoice ${r.invoice.number}`.slice(0, 255),
    product_category: 'hosting',
    product_profile: 'non-physical-goods',
    emi_option: '0',
    value_a: String(r.invoice.id),
    value_b: r.attemptId,
  };
}

function formOf(incoming: IncomingNotification): Record<string, string> {
  if (Object.keys(incoming.form ?? {}).length) return incoming.form;
  // A caller that did not parse the body: the IPN is always application/x-www-form-urlencoded.
  return Object.fromEntries(new URLSearchParams(incoming.rawBody?.toString('utf8') ?? ''));
}

/** The key itself when it fits the field, else a stable digest of it (same key → same value on every retry). */
function fitted(key: string, max: number): string {
  if (key.length <= max && /^[A-Za-z0-9_-]+$/.test(key)) return key;
  return `R${createHash('sha256').update(key).digest('hex').slice(0, max - 1)}`;
}
