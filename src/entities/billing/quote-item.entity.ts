import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, MoneyColumn, RateColumn, Text } from '../../db/columns.js';
import type { Quote } from './quote.entity.js';

/** One line of a quote (seed 000 `quotes` line items, WHMCS `tblquoteitems`). */
@Entity('quote_items')
export class QuoteItem extends Model {
  @Int()
  @Index()
  quoteId: number;

  @ManyToOne('Quote', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quote_id' })
  quote: Relation<Quote>;

  @Text({ nullable: false })
  description: string;

  @Int({ default: 1 })
  quantity: number;

  @MoneyColumn()
  unitPrice: number;

  /** Per-line discount, percent. */
  @RateColumn(5, 2)
  discountPercent: string;

  /** unitPrice × quantity less the discount, rounded once, as the quote shows it. */
  @MoneyColumn()
  amount: number;

  @Bool({ default: true })
  taxable: boolean;

  @Int({ default: 0 })
  sortOrder: number;
}
