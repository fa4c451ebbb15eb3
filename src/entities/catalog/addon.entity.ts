import { BeforeInsert, BeforeUpdate, Entity } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Json, Status, Text, Varchar } from '../../db/columns.js';
import { PAYMENT_TYPES, PROVISIONING_MODULES, type PaymentType, type ProvisioningModule } from './values.js';

/**
 * The addon catalogue (seed 000 `service_addons`): extras sold on top of a service, e.g. a dedicated IP or backups.
 * Prices live in ProductPrice. What a client has bought is ServiceAddon (table client_addons).
 */
@Entity('service_addons')
export class Addon extends Model {
  @Varchar(150)
  name: string;

  @Text()
  description: string | null;

  @Status(PAYMENT_TYPES, 'recurring')
  paymentType: PaymentType;

  /** Product ids the addon is offered with on the order form; null or [] = offered with none (staff can still add it). */
  @Json()
  applicableProductIds: number[] | null;

  @Bool({ default: true })
  showOnOrder: boolean;

  /** Activate without staff review once paid (or at once when free). */
  @Bool()
  autoActivate: boolean;

  @Status(PROVISIONING_MODULES, 'none')
  module: ProvisioningModule;

  /** Non-secret module settings, e.g. {"action": "add_dedicated_ip"}. */
  @Json()
  moduleConfig: Record<string, unknown> | null;

  @Bool({ default: true })
  taxable: boolean;

  /**
   * Suspend and unsuspend with the parent service. Cancellation always follows the parent regardless: addons left
   * billing after their parent was cancelled is a known incumbent bug (domain-notes #8).
   */
  @Bool({ default: true })
  suspendWithParent: boolean;

  /** EmailTemplate.name sent on activation; null = none. */
  @Varchar(100, { nullable: true })
  welcomeEmailTemplate: string | null;

  @Int({ default: 0 })
  sortOrder: number;

  /** The admin form posts ids as strings; store the numbers the type promises. */
  @BeforeInsert()
  @BeforeUpdate()
  protected normaliseProductIds(): void {
    if (Array.isArray(this.applicableProductIds)) this.applicableProductIds = this.applicableProductIds.map(Number);
  }
}
