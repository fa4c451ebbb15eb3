import { Entity, Index } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, RateColumn, Varchar } from '../../db/columns.js';

/**
 * A tax rule (seed 000 `tax_rates`). The most specific rule wins per level: country + state, then country, then the
 * rule with neither. Two levels as in WHMCS: level 2 is compound, charged on the amount plus level-1 tax.
 */
@Entity('tax_rates')
@Index(['country', 'state'])
export class TaxRate extends Model {
  /** Printed on invoices, e.g. 'VAT', 'GST'. */
  @Varchar(100)
  name: string;

  /** ISO 3166-1 alpha-2; null = every country. */
  @Varchar(2, { nullable: true })
  country: string | null;

  /** State or province as clients enter it; null = the whole country. */
  @Varchar(100, { nullable: true })
  state: string | null;

  /** Percentage, e.g. '20.0000'. */
  @RateColumn(7, 4)
  rate: string;

  /** 1 = normal tax; 2 = second tax, compound on top of level 1. */
  @Int({ default: 1 })
  level: number;

  /** Breaks ties between equally specific rules: higher wins. */
  @Int({ default: 0 })
  priority: number;
}
