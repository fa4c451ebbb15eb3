import type { DataSource } from 'typeorm';
import type { EmailService } from '../notifications/email-service.js';
import { formatMoney } from '../shared/money.js';
import { daysBetween } from '../shared/clock.js';
import type { InvoiceNotifier } from './run/overdue.js';

const TEMPLATE: Record<string, string> = {
  created: 'invoice_created',
  due_soon: 'invoice_reminder',
  overdue_1: 'invoice_overdue_1',
  overdue_2: 'invoice_overdue_2',
  overdue_3: 'invoice_overdue_3',
};

/** The variables invoice emails use (see sample-context.ts), read fresh; null when the invoice or client is gone. */
export async function invoiceEmailContext(ds: DataSource, invoiceId: number, clientId: number, opts: { appUrl: string; today: () => string }): Promise<{ client: Record<string, any>; context: Record<string, unknown> } | null> {
  const inv = (await ds.getRepository('Invoice').findOneBy({ id: invoiceId })) as Record<string, any> | null;
  const client = (await ds.getRepository('Client').findOneBy({ id: clientId })) as Record<string, any> | null;
  if (!inv || !client) return null;
  const cur = ((await ds.getRepository('Currency').findOneBy({ id: inv.currencyId })) ?? { code: '', prefix: '', suffix: '', exponent: 2 }) as Record<string, any>;
  const money = (cents: number) => formatMoney(cents, { prefix: cur.prefix, suffix: cur.suffix, exponent: cur.exponent });
  const items = (await ds.getRepository('InvoiceItem').find({ where: { invoiceId }, order: { sortOrder: 'ASC' } })) as Array<Record<string, any>>;
  const balance = inv.total - inv.amountPaid - inv.credit;
  const base = opts.appUrl.replace(/\/$/, '');
  return {
    client,
    context: {
      client: { id: client.id, firstName: client.firstName, lastName: client.lastName, companyName: client.companyName, email: client.email },
      currency: { code: cur.code, prefix: cur.prefix, suffix: cur.suffix, exponent: cur.exponent },
      clientArea: { url: `${base}/` },
      invoice: {
        id: inv.id,
        number: inv.invoiceNumber,
        date: inv.issueDate,
        dueDate: inv.dueDate,
        total: money(inv.total),
        totalCents: inv.total,
        balance: money(balance),
        balanceCents: balance,
        status: String(inv.status).replace(/^./, (c: string) => c.toUpperCase()),
        daysOverdue: Math.max(0, daysBetween(inv.dueDate, opts.today())),
        url: `${base}/invoices/${inv.id}`,
        items: items.map((i) => ({ description: i.description, amount: money(i.amount), amountCents: i.amount })),
      },
    },
  };
}

/** The billing run's notices as emails: the invoice in the shape the templates expect (see sample-context.ts). */
export function invoiceNotifier(ds: DataSource, email: EmailService, opts: { appUrl: string; today: () => string }): InvoiceNotifier {
  return async ({ kind, invoiceId, clientId }) => {
    const templateName = TEMPLATE[kind];
    if (!templateName) return { ok: true };
    const found = await invoiceEmailContext(ds, invoiceId, clientId, opts);
    if (!found) return { ok: false, message: 'invoice or client no longer exists' };
    const outcome = await email.sendTemplate({ templateName, to: found.client.email, language: found.client.language, clientId, related: { type: 'Invoice', id: invoiceId }, context: found.context });
    if (outcome.ok || outcome.error === 'template_disabled') return { ok: true };
    return { ok: false, message: outcome.message };
  };
}
