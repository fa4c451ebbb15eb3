import type { DataSource } from 'typeorm';
import type { Logger } from '../../logger.js';
import type { EmailService } from '../notifications/email-service.js';
import { invoiceEmailContext } from '../billing/invoice-notices.js';
import type { ChargeFailedNotice } from './auto-charge.js';

/** The payment_failed email after a declined automatic charge, saying whether and when we try again. */
export function chargeFailedNotifier(ds: DataSource, email: EmailService, opts: { appUrl: string; today: () => string; logger?: Logger }): ChargeFailedNotice {
  return async ({ invoiceId, clientId, method, failureMessage, nextAttempt }) => {
    const found = await invoiceEmailContext(ds, invoiceId, clientId, opts);
    if (!found) return;
    const nextAttemptText = nextAttempt
      ? `We will try again on ${nextAttempt}. To avoid that, pay the invoice or change your card before then.`
      : 'We will not try this card again for this invoice: please pay it yourself to keep your services running.';
    const out = await email.sendTemplate({
      templateName: 'payment_failed', to: found.client.email, language: found.client.language, clientId, related: { type: 'Invoice', id: invoiceId },
      context: { ...found.context, payment: { method, failureMessage, nextAttempt, nextAttemptText } },
    });
    if (!out.ok && out.error !== 'template_disabled') opts.logger?.warn({ invoiceId, error: out.error }, `payment_failed email not sent: ${out.message}`);
  };
}
