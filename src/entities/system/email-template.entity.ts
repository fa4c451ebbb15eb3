import { Entity, Index } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Status, Text, Varchar } from '../../db/columns.js';

export const EMAIL_TEMPLATE_TYPES = ['general', 'product', 'invoice', 'support', 'domain', 'admin'] as const;
export type EmailTemplateType = (typeof EMAIL_TEMPLATE_TYPES)[number];

/**
 * An editable email (WHMCS email templates; the notifications of seeds 000/004). Bodies are Handlebars rendered in a
 * sandbox with an allow-list of variables, never evaluated as code. One row per template per language: the code asks
 * for 'invoice_created' in the client's language and falls back to the default language.
 */
@Entity('email_templates')
@Index(['name', 'language'], { unique: true })
@Index(['type'])
export class EmailTemplate extends Model {
  /** Stable name the code sends by, e.g. 'invoice_created', 'ticket_reply'. */
  @Varchar(100)
  name: string;

  @Status(EMAIL_TEMPLATE_TYPES, 'general')
  type: EmailTemplateType;

  @Varchar(255)
  subject: string;

  @Text()
  bodyHtml: string | null;

  /** Plain-text alternative; generated from the HTML when empty. */
  @Text()
  bodyText: string | null;

  @Varchar(10, { default: 'en' })
  language: string;

  /** A disabled template is simply not sent. */
  @Bool({ default: true })
  enabled: boolean;

  /** Sent by Meridian itself: may be edited or disabled but not deleted or renamed. */
  @Bool()
  isSystem: boolean;

  /** Overrides of the global sender for this template; null = the mail settings. */
  @Varchar(100, { nullable: true })
  fromName: string | null;

  @Varchar(255, { nullable: true })
  fromEmail: string | null;

  /** Comma-separated addresses that receive a blind copy (e.g. the accounts mailbox on invoices). */
  @Varchar(255, { nullable: true })
  bcc: string | null;
}
