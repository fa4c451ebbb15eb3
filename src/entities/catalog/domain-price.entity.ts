import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, MoneyColumn } from '../../db/columns.js';
import type { DomainProduct } from './domain-product.entity.js';
import type { Currency } from '../system/currency.entity.js';

/**
 * Price of a TLD for a term of `years` in one currency (seed 000 `domain_products.registration_price`, extended to
 * renew and transfer prices). A null amount means that operation is not offered for that term — never 0, which would
 * mean free.
 */
@Entity('domain_prices')
@Index(['domainProductId', 'currencyId', 'years'], { unique: true })
export class DomainPrice extends Model {
  @Int()
  @Index()
  domainProductId: number;

  @ManyToOne('DomainProduct', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'domain_product_id' })
  domainProduct: Relation<DomainProduct>;

  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  /** Term length, 1–10. */
  @Int({ default: 1 })
  years: number;

  @MoneyColumn({ nullable: true })
  register: number | null;

  @MoneyColumn({ nullable: true })
  renew: number | null;

  @MoneyColumn({ nullable: true })
  transfer: number | null;

  /** Added to the renewal of a domain renewed after expiry, within the TLD's grace days. Null = no fee. */
  @MoneyColumn({ nullable: true })
  graceFee: number | null;

  /** Added (the registry's restore fee) to the renewal of a domain in redemption. Null = restore not offered. */
  @MoneyColumn({ nullable: true })
  redemptionFee: number | null;
}
