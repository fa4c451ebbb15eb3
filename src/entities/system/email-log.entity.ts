import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppendOnlyModel } from '../../db/base.js';
import { Int, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';

export const EMAIL_LOG_STATUSES = ['queued', 'sent', 'failed'] as const;
export type EmailLogStatus = (typeof EMAIL_LOG_STATUSES)[number];

/**
 * Every email Meridian sends (WHMCS email log; seed 000 Reporting/Utilities logs). The body is not stored: it can hold
 * password-reset links and service passwords, and it can be rendered again from the template and the related record.
 */
@Entity('email_log')
@Index(['relatedType', 'relatedId'])
@Index(['status'])
@Index(['createdAt'])
export class EmailLog extends AppendOnlyModel {
  @Int({ nullable: true })
  @Index()
  clientId: number | null;

  // The log outlives a removed client; the address is kept in toAddress.
  @ManyToOne('Client', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client> | null;

  @Varchar(255)
  toAddress: string;

  @Varchar(255)
  subject: string;

  /** EmailTemplate name it was rendered from; null for ad-hoc mail. */
  @Varchar(100, { nullable: true })
  templateName: string | null;

  @Status(EMAIL_LOG_STATUSES, 'queued')
  status: EmailLogStatus;

  @Text()
  error: string | null;

  /** Message-ID returned by the SMTP server, to trace delivery and bounces. */
  @Varchar(255, { nullable: true })
  messageId: string | null;

  @Timestamp()
  sentAt: Date | null;

  /** Entity class name of what the mail was about, e.g. 'Invoice', 'SupportTicket'. */
  @Varchar(64, { nullable: true })
  relatedType: string | null;

  @Int({ nullable: true })
  relatedId: number | null;
}
