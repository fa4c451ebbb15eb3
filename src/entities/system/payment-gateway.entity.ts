import { Entity } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, EncryptedColumn, Int, Json, Varchar } from '../../db/columns.js';

/**
 * A payment method offered to clients and its configuration (seed 000 `payment_gateways`, seed 003 Payment Methods).
 * Settings are split in two: `config` (display name on invoices, bank-transfer instructions, accepted currencies)
 * is readable, `credentials` (API keys, webhook signing secrets) is encrypted and never shown.
 */
@Entity('payment_gateways')
export class PaymentGateway extends Model {
  /** Module name the code dispatches on: 'stripe', 'paypal', 'sslcommerz', 'banktransfer'. */
  @Varchar(32, { unique: true })
  code: string;

  @Varchar(100)
  displayName: string;

  @Bool()
  enabled: boolean;

  /** Order on the checkout page. */
  @Int({ default: 0 })
  sortOrder: number;

  @Json()
  config: Record<string, unknown> | null;

  /** JSON object of the gateway's secret keys, encrypted as one string. */
  @EncryptedColumn()
  credentials: string | null;

  /** Use the gateway's sandbox endpoints and keys. */
  @Bool()
  testMode: boolean;
}
