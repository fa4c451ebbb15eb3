import { BeforeInsert, BeforeUpdate, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, EncryptedColumn, Int, Status, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';

export const PAYMENT_METHOD_TYPES = ['card', 'bank', 'paypal'] as const;
export type PaymentMethodType = (typeof PAYMENT_METHOD_TYPES)[number];

export const PAYMENT_METHOD_STATUSES = ['active', 'expired', 'invalid'] as const;
export type PaymentMethodStatus = (typeof PAYMENT_METHOD_STATUSES)[number];

/**
 * A client's stored way to pay, for automatic capture (seed 001 `payment_methods`). Only the gateway's token is kept,
 * never a card number (PCI DSS: cards are entered on the gateway's hosted page); brand, last four and expiry are
 * display hints the gateway returns.
 */
@Entity('payment_methods')
export class PaymentMethod extends Model {
  @Int()
  @Index()
  clientId: number;

  @ManyToOne('Client', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  /** "Visa •••• 4242" unless the client named it; filled on save ('' default: validation runs before the hook). */
  @Varchar(100, { default: '' })
  description: string;

  /** PaymentGateway code that issued the token. */
  @Varchar(32)
  gateway: string;

  @Status(PAYMENT_METHOD_TYPES, 'card')
  type: PaymentMethodType;

  /** The gateway's customer reference (e.g. Stripe cus_…), not secret; matches webhooks to the client. */
  @Varchar(191, { nullable: true })
  gatewayCustomerId: string | null;

  /** The reusable payment token (e.g. Stripe pm_…, PayPal billing agreement): enough to charge, so encrypted. */
  @EncryptedColumn()
  gatewayToken: string | null;

  @Varchar(4, { nullable: true })
  lastFour: string | null;

  @Varchar(32, { nullable: true })
  brand: string | null;

  @Int({ nullable: true })
  expMonth: number | null;

  @Int({ nullable: true })
  expYear: number | null;

  @Bool()
  isDefault: boolean;

  @Status(PAYMENT_METHOD_STATUSES, 'active')
  status: PaymentMethodStatus;

  @BeforeInsert()
  @BeforeUpdate()
  protected fillDescription(): void {
    if (this.description?.trim()) return;
    const what = this.brand || this.type || 'Payment method';
    this.description = (this.lastFour ? `${what} •••• ${this.lastFour}` : what).slice(0, 100);
  }
}
