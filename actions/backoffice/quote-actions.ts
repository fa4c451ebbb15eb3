import type { ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { inTransaction } from '../../src/db/transaction.js';
import { claimNumber } from '../../src/domain/billing/numbering.js';
import { businessDate } from '../../src/domain/shared/clock.js';
import { isFormDisplay } from '../support.js';
import { QuoteDesk } from '../../src/domain/backoffice/quotes.js';
import { sendQuote } from '../../src/domain/backoffice/quote-delivery.js';
import { systemClock } from '../../src/domain/shared/clock.js';
import { param, recordAction, type BackofficeDeps } from './shared.js';

/** Send (PDF by email), Recalculate, Mark accepted (raises the invoice), Mark lost — on Quote. */
export function quoteActions(services: AdminServices, backoffice?: BackofficeDeps) {
  const desk = new QuoteDesk({ ds: services.ds, clock: systemClock, timeZone: services.timezone });
  const open = (ctx: Parameters<typeof param>[0]) => ['draft', 'delivered', 'on_hold'].includes(param(ctx, 'stage'));
  return {
    // A quote made on the admin's New form gets its number from the 'quote' sequence, as QuoteDesk.create does.
    new: {
      before: async (request: ActionRequest) => {
        if (isFormDisplay(request.method)) return request;
        const today = businessDate(systemClock.now(), services.timezone);
        const quoteNumber = await inTransaction(services.ds, (m) => claimNumber(m, 'quote', today));
        return { ...request, payload: { ...(request.payload ?? {}), quoteNumber } };
      },
    },
    sendQuote: recordAction(
      { icon: 'Send', isVisible: open, guard: 'Email this quote with its PDF to the client (or prospect)? A draft becomes delivered.' },
      async (id) => {
        if (!backoffice) return { ok: false, message: 'Quote PDFs are not set up in this installation.' };
        const out = await sendQuote({ ds: services.ds, clock: systemClock, timeZone: services.timezone, pdf: backoffice.pdf, email: services.email, appUrl: backoffice.appUrl }, id);
        return out.ok ? { ok: true, message: out.message } : out;
      },
    ),
    recalculateQuote: recordAction(
      { icon: 'RefreshCw', isVisible: open, guard: 'Recalculate the line amounts and totals (with tax) from the quote lines?' },
      async (id) => {
        const out = await desk.recompute(id);
        return out.ok ? { ok: true, message: `Totals recalculated from the lines.` } : out;
      },
    ),
    markQuoteAccepted: recordAction(
      { icon: 'CheckCircle', isVisible: open, guard: 'Mark this quote accepted and raise an invoice with the same lines?' },
      async (id) => {
        const out = await desk.accept({ quoteId: id });
        return out.ok ? { ok: true, message: out.already ? `Already accepted: invoice ${out.invoiceNumber ?? `#${out.invoiceId}`}.` : `Accepted; invoice ${out.invoiceNumber ?? `#${out.invoiceId}`} created.` } : out;
      },
    ),
    markQuoteLost: recordAction(
      { icon: 'ThumbsDown', isVisible: open, guard: 'Mark this quote lost?' },
      async (id) => {
        const out = await desk.setStage(id, 'lost');
        return out.ok ? { ok: true, message: 'Quote marked lost.' } : out;
      },
    ),
  };
}
