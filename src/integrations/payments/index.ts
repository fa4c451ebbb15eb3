import type { PaymentGatewayModule } from '../../domain/payments/gateway.js';
import { paypalGateway } from './paypal.js';
import { sslcommerzGateway } from './sslcommerz.js';
import { stripeGateway } from './stripe.js';

/** Provider base URLs to use instead of the real ones (tests and development point them at the fakes). */
export type PaymentApiBases = Partial<Record<'stripe' | 'paypal' | 'sslcommerz', string>>;

/** Every provider module Meridian ships; bank transfer and account credit need none. */
export function paymentModules(apiBases: PaymentApiBases = {}): PaymentGatewayModule[] {
  return [stripeGateway({ apiBase: apiBases.stripe }), paypalGateway({ apiBase: apiBases.paypal }), sslcommerzGateway({ apiBase: apiBases.sslcommerz })];
}
