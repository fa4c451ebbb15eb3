import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { InvoiceRow } from '../billing/payments.js';
import type { GatewayDirectory } from './directory.js';
import { acceptsCurrency } from './directory.js';
import { ATTEMPT_PREFIX, type AttemptRequest } from './attempts.js';

const PAYABLE = new Set(['unpaid', 'payment_pending', 'collections']);

export interface CheckoutUrls {
  /** APP_URL without a trailing slash: the provider sends the customer and its notifications back here. */
  appUrl: string;
}

/**
 * Starts paying one invoice on a provider's hosted page. The attempt is written to the gateway log before the
 * provider is called (an outbound row whose eventId is `attempt:<id>`): it is what a later notification is checked
 * against — which invoice, what amount, what currency we asked for — so a notification can never pay more, less, or
 * another invoice than the customer was shown.
 */
export class GatewayCheckout {
  constructor(private readonly ds: DataSource, private readonly gateways: GatewayDirectory, private readonly urls: CheckoutUrls) {}

  async start(input: { clientId: number; invoiceId: number; gateway: string; saveMethod?: boolean; ip?: string | null }): Promise<Outcome<{ redirectUrl: string; attemptId: string }>> {
    const gw = await this.gateways.get(input.gateway);
    if (!gw || !gw.enabled) return fail('gateway_unavailable', 'That way of paying is not available. Choose another.', 'method');
    const invoice = (await this.ds.getRepository('Invoice').findOne({ where: { id: input.invoiceId, clientId: input.clientId } })) as InvoiceRow | null;
    if (!invoice || invoice.status === 'draft') return fail('invoice_not_found', 'Invoice not found.');
    if (!PAYABLE.has(invoice.status)) return fail('invoice_not_payable', 'This invoice no longer takes payments.');
    const balance = invoice.total - invoice.amountPaid - invoice.credit;
    if (balance <= 0) return fail('nothing_due', 'Nothing is due on this invoice.');
    const currency = (await this.ds.getRepository('Currency').findOneBy({ id: invoice.currencyId })) as { code: string; exponent: number } | null;
    if (!currency) return fail('invoice_not_payable', 'This invoice no longer takes payments.');
    if (!acceptsCurrency(gw.settings.config, currency.code)) return fail('currency_not_accepted', `${gw.settings.displayName} does not take payments in ${currency.code}. Choose another way to pay.`, 'method');
    const client = (await this.ds.getRepository('Client').findOneByOrFail({ id: input.clientId })) as ClientRow;
    const saveMethod = Boolean(input.saveMethod) && gw.module.supports.savedMethods;
    const providerCustomerId = saveMethod ? await this.knownCustomer(client.id, gw.settings.code) : null;

    const attemptId = randomBytes(18).toString('base64url');
    const request: AttemptRequest = { kind: 'checkout', clientId: client.id, invoiceId: invoice.id, amount: balance, currency: currency.code, saveMethod };
    const log = await this.ds.getRepository('GatewayLog').insert({
      gateway: gw.settings.code, direction: 'outbound', eventId: `${ATTEMPT_PREFIX}${attemptId}`, eventType: 'checkout.start', invoiceId: invoice.id, ipAddress: input.ip ?? null, request,
    });
    const logId = log.identifiers[0].id as number;

    const number = invoice.invoiceNumber ?? `#${invoice.id}`;
    const started = await gw.module.startCheckout(gw.settings, {
      attemptId,
      invoice: { id: invoice.id, number, description: `Invoice ${number}` },
      amount: balance,
      currency: currency.code,
      exponent: currency.exponent,
      customer: {
        clientId: client.id, email: client.email, name: [client.firstName, client.lastName].filter(Boolean).join(' ') || client.email,
        country: client.country ?? null, phone: client.phone ?? null, address: client.address1 ?? null, city: client.city ?? null, postcode: client.postcode ?? null,
      },
      providerCustomerId,
      saveMethod,
      returnUrl: `${this.urls.appUrl}/payments/return/${gw.settings.code}?attempt=${attemptId}`,
      cancelUrl: `${this.urls.appUrl}/invoices/${invoice.id}?payment=cancelled`,
      notifyUrl: `${this.urls.appUrl}/payments/webhook/${gw.settings.code}`,
    });
    if (!started.ok) {
      await this.ds.getRepository('GatewayLog').update({ id: logId }, { result: 'failure', message: `${started.error}: ${started.message}`.slice(0, 2000) });
      return fail('gateway_error', `${gw.settings.displayName} could not start the payment just now. Please try again in a few minutes or choose another way to pay.`, 'method');
    }
    await this.ds.getRepository('GatewayLog').update({ id: logId }, { result: 'success', reference: started.reference.slice(0, 191), response: { request: started.request, response: started.response } });
    return succeed({ redirectUrl: started.redirectUrl, attemptId });
  }

  private async knownCustomer(clientId: number, gateway: string): Promise<string | null> {
    const m = (await this.ds.getRepository('PaymentMethod').findOne({ where: { clientId, gateway, status: 'active' }, order: { isDefault: 'DESC', id: 'DESC' } })) as { gatewayCustomerId: string | null } | null;
    return m?.gatewayCustomerId ?? null;
  }
}

interface ClientRow {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  country: string | null;
  phone: string | null;
  address1: string | null;
  city: string | null;
  postcode: string | null;
}
