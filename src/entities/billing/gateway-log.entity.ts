import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppendOnlyModel } from '../../db/base.js';
import { Int, Json, Status, Text, Varchar } from '../../db/columns.js';
import type { Invoice } from './invoice.entity.js';
import type { Transaction } from './transaction.entity.js';

export const GATEWAY_LOG_DIRECTIONS = ['inbound', 'outbound'] as const;
export type GatewayLogDirection = (typeof GATEWAY_LOG_DIRECTIONS)[number];

// flagged: handled as far as it safely could be, and a person must look (a mismatched amount, a late payment…);
// reviewed: a person did (Mark reviewed), and said so in the message.
export const GATEWAY_LOG_RESULTS = ['success', 'failure', 'ignored', 'duplicate', 'flagged', 'reviewed'] as const;
export type GatewayLogResult = (typeof GATEWAY_LOG_RESULTS)[number];

/**
 * Every webhook received and every call made to a payment gateway (seed 000 `gateway_logs`). The unique
 * (gateway, eventId) key is the webhook dedupe: gateways deliver at least once, so a second delivery of the same event
 * fails to insert instead of paying an invoice twice. Payloads are stored after secrets and card data are stripped.
 */
@Entity('gateway_logs')
@Index(['gateway', 'eventId'], { unique: true })
@Index(['createdAt'])
export class GatewayLog extends AppendOnlyModel {
  @Varchar(32)
  gateway: string;

  @Status(GATEWAY_LOG_DIRECTIONS, 'inbound')
  direction: GatewayLogDirection;

  /** The gateway's event id (Stripe evt_…, PayPal ipn_track_id); null for outbound calls. */
  @Varchar(191, { nullable: true })
  eventId: string | null;

  /** e.g. 'checkout.session.completed', 'refund.create'. */
  @Varchar(64, { nullable: true })
  eventType: string | null;

  /** The gateway's object id (charge, capture, txn_id), for finding a log from a gateway dashboard. */
  @Varchar(191, { nullable: true })
  @Index()
  reference: string | null;

  /** Null until handling finishes: a row left null marks a handler that crashed and needs a look. */
  @Status(GATEWAY_LOG_RESULTS, null)
  result: GatewayLogResult | null;

  @Text()
  message: string | null;

  @Int({ nullable: true })
  @Index()
  transactionId: number | null;

  @ManyToOne('Transaction', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'transaction_id' })
  transaction: Relation<Transaction> | null;

  @Int({ nullable: true })
  @Index()
  invoiceId: number | null;

  @ManyToOne('Invoice', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invoice_id' })
  invoice: Relation<Invoice> | null;

  @Varchar(45, { nullable: true })
  ipAddress: string | null;

  @Json()
  request: unknown;

  @Json()
  response: unknown;
}
