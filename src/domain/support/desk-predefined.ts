import type { DataSource } from 'typeorm';
import type { SupportTicket } from '../../entities/support/support-ticket.entity.js';
import type { PredefinedReply } from '../../entities/support/predefined-reply.entity.js';
import { createTemplateRenderer, TemplateError } from '../notifications/template-renderer.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { customerOf } from './desk-notify.js';

// The email templates' sandbox: plain variables and the safe helpers only, so a canned answer cannot reach code.
const renderer = createTemplateRenderer();

/** Predefined replies as choices for a form: by category, then title; most used first within a category. */
export async function predefinedChoices(ds: DataSource): Promise<Array<{ value: string; label: string }>> {
  const rows = await ds.getRepository<PredefinedReply>('PredefinedReply').find({ order: { category: 'ASC', usedCount: 'DESC', title: 'ASC' } });
  return rows.map((r) => ({ value: String(r.id), label: r.category ? `${r.category} › ${r.title}` : r.title }));
}

/**
 * A predefined reply's text for one ticket, with {{client.firstName}}, {{ticket.number}}, {{staff.firstName}} and the
 * like filled in. The result is plain text (stored as written and escaped wherever it is shown).
 */
export async function renderPredefinedReply(ds: DataSource, predefinedReplyId: number, ticket: SupportTicket, staffId: number): Promise<Outcome<{ text: string }>> {
  const canned = await ds.getRepository<PredefinedReply>('PredefinedReply').findOneBy({ id: predefinedReplyId });
  if (!canned) return fail('invalid_predefined_reply', 'That predefined reply no longer exists; choose another.', 'predefinedReplyId');
  const staff = (await ds.getRepository('User').findOneBy({ id: staffId })) as { firstName: string; lastName: string } | null;
  const who = await customerOf(ds, ticket);
  try {
    const { text } = renderer.render(
      { subject: 'reply', bodyHtml: null, bodyText: canned.message },
      { client: who.client, ticket: { number: ticket.ticketNumber, subject: ticket.subject }, staff: { firstName: staff?.firstName ?? '', lastName: staff?.lastName ?? '' } },
    );
    return succeed({ text: text.trim() });
  } catch (e) {
    if (e instanceof TemplateError) return fail('invalid_predefined_reply', `The predefined reply “${canned.title}” cannot be used: ${e.message}`, 'predefinedReplyId');
    throw e;
  }
}
