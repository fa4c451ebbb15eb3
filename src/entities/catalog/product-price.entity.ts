import { BeforeInsert, BeforeUpdate, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, MoneyColumn, Status, Varchar } from '../../db/columns.js';
import type { Product } from './product.entity.js';
import type { Addon } from './addon.entity.js';
import type { ConfigOptionChoice } from './config-option-choice.entity.js';
import type { Currency } from '../system/currency.entity.js';
import { PRICE_CYCLES, type PriceCycle } from './values.js';

/**
 * One price for one billing cycle in one currency, owned by exactly one of: a product, an addon, or a configurable
 * option choice. One table for all three so the pricing service has a single lookup (seed 000 `products` pricing,
 * seed 000 `service_addons.price`, seed 001 `billing_plans.price_*` / `setup_fee`).
 */
@Entity('product_prices')
export class ProductPrice extends Model {
  @Int({ nullable: true })
  @Index()
  productId: number | null;

  /** Prices are owned by what they price: they go with it. */
  @ManyToOne('Product', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product: Relation<Product> | null;

  @Int({ nullable: true })
  @Index()
  addonId: number | null;

  @ManyToOne('Addon', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'addon_id' })
  addon: Relation<Addon> | null;

  /** For a 'quantity' option this is the price of one unit. */
  @Int({ nullable: true })
  @Index()
  configOptionChoiceId: number | null;

  @ManyToOne('ConfigOptionChoice', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'config_option_choice_id' })
  configOptionChoice: Relation<ConfigOptionChoice> | null;

  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  @Status(PRICE_CYCLES, 'monthly')
  cycle: PriceCycle;

  /** Recurring (or one-time) amount in the currency's minor units. */
  @MoneyColumn()
  price: number;

  @MoneyColumn()
  setupFee: number;

  /** A disabled row means "this cycle is not offered", which is different from a price of 0 (free). */
  @Bool({ default: true })
  enabled: boolean;

  /**
   * 'product:12:3:monthly' — owner, currency and cycle in one NOT NULL string. A composite unique index over the three
   * nullable owner columns would not be enforced (NULLs never collide on SQLite or MariaDB), so this key carries the
   * uniqueness. Filled on save; writes through the query builder must set it themselves.
   */
  @Varchar(64, { unique: true })
  priceKey: string;

  @BeforeInsert()
  @BeforeUpdate()
  protected fillPriceKey(): void {
    const owners = [
      ['product', this.productId],
      ['addon', this.addonId],
      ['choice', this.configOptionChoiceId],
    ].filter(([, id]) => id !== null && id !== undefined && id !== '');
    if (owners.length !== 1) {
      throw new Error('A product price needs exactly one owner: productId, addonId or configOptionChoiceId.');
    }
    const [kind, id] = owners[0];
    this.cycle ??= 'monthly'; // the column default, needed before the database would apply it
    this.priceKey = `${kind}:${Number(id)}:${Number(this.currencyId)}:${this.cycle}`;
  }
}
