import { Entity } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, RateColumn, Varchar } from '../../db/columns.js';

/** seed 000 `currencies`. Amounts in this currency are stored in minor units; `exponent` says how many. */
@Entity('currencies')
export class Currency extends Model {
  /** ISO 4217, e.g. USD */
  @Varchar(3, { unique: true })
  code: string;

  @Varchar(10, { default: '' })
  prefix: string;

  @Varchar(10, { default: '' })
  suffix: string;

  /** Decimal places of the minor unit (2 for USD, 0 for JPY). */
  @Int({ default: 2 })
  exponent: number;

  /** Units of this currency per one unit of the default currency. */
  @RateColumn(18, 8, { default: '1' })
  exchangeRate: string;

  @Bool()
  isDefault: boolean;
}
