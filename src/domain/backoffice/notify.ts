import type { DataSource } from 'typeorm';
import type { SendTemplateInput } from '../notifications/email-service.js';
import type { Outcome } from '../shared/outcome.js';

export type Mail = { sendTemplate(input: SendTemplateInput): Promise<Outcome<object>> };

/**
 * Emails a client from a standard template, after the change it reports is committed: a mail server that is down
 * must not undo staff's decision, so a failure only makes the answer say "not emailed" (the email log has why).
 */
export async function notifyClient(
  deps: { ds: DataSource; email?: Mail; appUrl?: string },
  n: { templateName: string; clientId: number; related: { type: string; id: number }; context: Record<string, unknown> },
): Promise<boolean> {
  if (!deps.email) return false;
  const client = (await deps.ds.getRepository('Client').findOne({ where: { id: n.clientId }, withDeleted: true })) as
    | { id: number; firstName: string; lastName: string; companyName: string | null; email: string; language: string | null }
    | null;
  if (!client) return false;
  const base = (deps.appUrl ?? '').replace(/\/+$/, '');
  try {
    const sent = await deps.email.sendTemplate({
      templateName: n.templateName,
      to: client.email,
      language: client.language,
      clientId: client.id,
      related: n.related,
      context: {
        client: { id: client.id, firstName: client.firstName, lastName: client.lastName, companyName: client.companyName ?? '', email: client.email },
        clientArea: { url: `${base}/` },
        ...n.context,
      },
    });
    return sent.ok;
  } catch {
    return false;
  }
}
