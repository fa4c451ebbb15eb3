import type { DataSource } from 'typeorm';
import type { SendTemplateInput } from '../notifications/email-service.js';
import type { Outcome } from '../shared/outcome.js';
import { formatMoney } from '../shared/money.js';
import type { DomainRow } from './registration-data.js';

export interface DomainMailer {
  sendTemplate(input: SendTemplateInput): Promise<Outcome<object>>;
}

export type DomainNotice =
  | { kind: 'registered'; transfer: boolean }
  | { kind: 'renewed' }
  | { kind: 'order_failed'; operation: 'register' | 'transfer'; reason: string; credited: number }
  | { kind: 'reminder'; daysBefore: number };

const TEMPLATE = { registered: 'domain_registered', renewed: 'domain_renewed', order_failed: 'domain_order_failed', reminder: 'domain_renewal_reminder' } as const;

/**
 * The emails about a domain, sent after the change they report is committed. A failed send is logged by the email
 * service and answered, never thrown: the registrar call it reports has happened either way.
 */
export async function sendDomainNotice(deps: { ds: DataSource; email?: DomainMailer; appUrl: string }, d: DomainRow, notice: DomainNotice): Promise<Outcome<object> | null> {
  if (!deps.email) return null;
  const client = (await deps.ds.getRepository('Client').findOneBy({ id: d.clientId })) as Record<string, any> | null;
  if (!client) return null;
  const cur = ((await deps.ds.getRepository('Currency').findOneBy({ id: d.currencyId })) ?? { prefix: '', suffix: '', exponent: 2 }) as Record<string, any>;
  const base = deps.appUrl.replace(/\/$/, '');
  const domain: Record<string, unknown> = {
    name: d.domainName,
    expiryDate: d.expiryDate ?? 'not known yet',
    autoRenewText: d.autoRenew ? 'on' : 'off',
    url: `${base}/domains/${d.id}`,
    nameserversText: d.nameservers?.length ? d.nameservers.join(', ') : 'the registrar’s defaults',
  };
  if (notice.kind === 'registered') domain.doneText = notice.transfer ? 'transferred to us' : 'registered';
  if (notice.kind === 'order_failed') {
    Object.assign(domain, { operation: notice.operation, reason: notice.reason, creditText: formatMoney(notice.credited, { prefix: cur.prefix, suffix: cur.suffix, exponent: cur.exponent }), url: `${base}/domains/search` });
  }
  if (notice.kind === 'reminder') domain.daysBefore = notice.daysBefore;
  return deps.email.sendTemplate({
    templateName: TEMPLATE[notice.kind],
    to: client.email,
    language: client.language,
    clientId: client.id,
    related: { type: 'Domain', id: d.id },
    context: { client: { firstName: client.firstName, lastName: client.lastName, email: client.email }, domain },
  });
}
