import { BeforeInsert, BeforeUpdate, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, DateOnly, Int, Json, MoneyColumn, RateColumn, Status, Text, Varchar } from '../../db/columns.js';
import type { Currency } from '../system/currency.entity.js';

/**
 * percent: percentValue off; fixed: fixedAmount off; price_override: the item costs fixedAmount;
 * free_setup: the setup fee is waived.
 */
export const PROMOTION_TYPES = ['percent', 'fixed', 'price_override', 'free_setup'] as const;
export type PromotionType = (typeof PROMOTION_TYPES)[number];

/**
 * A promotion / coupon code (seed 000 `promotions`). Percent and money values are separate typed columns so a
 * percentage is never read as an amount. Scope: when the product, addon and TLD lists are all empty the code applies
 * to everything; otherwise only to the items listed (so a TLD-only code leaves products alone). null and [] mean the
 * same, because the admin form saves either.
 */
@Entity('promotions')
@Index(['expiresAt'])
export class Promotion extends Model {
  /** Stored upper-case and trimmed, so the unique index means the same on SQLite (case-sensitive) and MariaDB. */
  @Varchar(64, { unique: true })
  code: string;

  @Status(PROMOTION_TYPES, 'percent')
  type: PromotionType;

  /** For 'percent', e.g. '15.0000'. */
  @RateColumn(7, 4, { nullable: true })
  percentValue: string | null;

  /** For 'fixed' and 'price_override', in the minor units of currencyId. */
  @MoneyColumn({ nullable: true })
  fixedAmount: number | null;

  /** The currency of fixedAmount; the code then only applies to orders in that currency. */
  @Int({ nullable: true })
  @Index()
  currencyId: number | null;

  @ManyToOne('Currency', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency> | null;

  /** Also discount renewals, not just the first invoice. */
  @Bool()
  recurring: boolean;

  /** Number of renewals discounted when recurring; 0 = forever. */
  @Int({ nullable: true })
  recurFor: number | null;

  @Json()
  appliesToProductIds: number[] | null;

  @Json()
  appliesToAddonIds: number[] | null;

  /** e.g. [".com", ".net"] */
  @Json()
  appliesToTlds: string[] | null;

  /** Billing cycles (ProductPrice cycles) the code is valid for; empty = all. */
  @Json()
  appliesToCycles: string[] | null;

  @DateOnly()
  startsAt: string | null;

  /** Last day the code can be used (inclusive, business timezone). */
  @DateOnly()
  expiresAt: string | null;

  /** null = unlimited. */
  @Int({ nullable: true })
  maxUses: number | null;

  /** Incremented in the same transaction that records a PromotionUsage, so it cannot drift past maxUses. */
  @Int({ default: 0 })
  uses: number;

  @Bool()
  oncePerClient: boolean;

  @Bool()
  newClientsOnly: boolean;

  /** Switch a leaked code off at once without editing its dates. */
  @Bool({ default: true })
  enabled: boolean;

  @Text()
  notes: string | null;

  @BeforeInsert()
  @BeforeUpdate()
  protected normalise(): void {
    if (typeof this.code === 'string') this.code = this.code.trim().toUpperCase();
    // The admin form posts ids as strings; store the numbers the type promises.
    if (Array.isArray(this.appliesToProductIds)) this.appliesToProductIds = this.appliesToProductIds.map(Number);
    if (Array.isArray(this.appliesToAddonIds)) this.appliesToAddonIds = this.appliesToAddonIds.map(Number);
    if (Array.isArray(this.appliesToTlds)) this.appliesToTlds = this.appliesToTlds.map((t) => String(t).trim().toLowerCase());
  }
}
