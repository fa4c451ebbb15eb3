import type { DataSource } from 'typeorm';
import type { HtmlToPdf } from '../../integrations/pdf/invoice-pdf.js';
import { billingSettings } from '../settings.js';
import type { Clock } from '../shared/clock.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { Mail } from './notify.js';
import { renderQuotePdf } from './quote-document.js';

export interface QuoteDeliveryDeps {
  ds: DataSource;
  clock: Clock;
  timeZone: string;
  pdf: HtmlToPdf;
  email: Mail;
  appUrl: string;
}

/**
 * Staff's "Send": the quote as a PDF, attached to the quote_delivered email (with a link to accept it in the client
 * area), to the client — or to the prospect's address. A draft becomes delivered once the email is out; a failed
 * send changes nothing, and the answer says why.
 */
export async function sendQuote(deps: QuoteDeliveryDeps, quoteId: number): Promise<Outcome<{ message: string }>> {
  const { taxInclusive } = await billingSettings(deps.ds);
  const printed = await renderQuotePdf({ ds: deps.ds, renderer: deps.pdf, clock: deps.clock, timeZone: deps.timeZone, taxInclusive }, quoteId);
  if (!printed.ok) return printed.error === 'quote_not_found' ? printed : fail(printed.error, `The PDF could not be made: ${printed.message}`);
  const { quote, document } = printed;
  if (['accepted', 'lost', 'dead'].includes(quote.stage)) return fail('not_open', `Quote ${quote.quoteNumber} is ${quote.stage}; there is nothing to send.`);
  const client = quote.clientId
    ? ((await deps.ds.getRepository('Client').findOneBy({ id: quote.clientId })) as { id: number; firstName: string; lastName: string; email: string; language: string | null } | null)
    : null;
  const to = client?.email ?? quote.prospectEmail;
  if (!to) return fail('no_recipient', `Quote ${quote.quoteNumber} has neither a client nor a prospect email address to send it to.`);
  const base = deps.appUrl.replace(/\/+$/, '');
  const sent = await deps.email.sendTemplate({
    templateName: 'quote_delivered',
    to,
    language: client?.language ?? null,
    clientId: client?.id ?? null,
    related: { type: 'Quote', id: quote.id },
    context: {
      client: { firstName: client?.firstName ?? quote.prospectName ?? '', lastName: client?.lastName ?? '', email: to },
      quote: { id: quote.id, number: quote.quoteNumber, subject: quote.subject, total: document.totals.total, totalCents: quote.total, validUntil: document.validUntil ?? 'further notice', url: `${base}/quotes/${quote.id}` },
    },
    attachments: [{ filename: printed.filename, content: printed.pdf, contentType: 'application/pdf' }],
  });
  if (!sent.ok) return fail(sent.error, `Quote ${quote.quoteNumber} was not sent: ${sent.message}`);
  await deps.ds.getRepository('Quote').createQueryBuilder().update().set({ stage: 'delivered' }).where('id = :id AND stage IN (:...open)', { id: quote.id, open: ['draft', 'on_hold'] }).execute();
  return succeed({ message: `Quote ${quote.quoteNumber} sent to ${to} with its PDF.` });
}
