import { Entity } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Varchar } from '../../db/columns.js';

/**
 * Counters for human document numbers: invoice, order, ticket, quote, credit note (no seed table; WHMCS keeps them
 * in settings). Read under a row lock inside the transaction that uses the number, together with the unique index on
 * each number column — the fix for duplicate sequential invoice numbers under concurrent payments.
 */
@Entity('number_sequences')
export class NumberSequence extends Model {
  /** 'invoice', 'order', 'ticket', 'quote', 'credit_note'. */
  @Varchar(32, { unique: true })
  name: string;

  /** Tokens: {YYYY}, {YY}, {MM}, {DD}, and {NNNNN} = the counter zero-padded to that many digits. */
  @Varchar(64, { default: '{NNNNN}' })
  format: string;

  @Int({ default: 1 })
  nextValue: number;

  /** Restart at 1 on the first number of each calendar year (business timezone). */
  @Bool()
  resetYearly: boolean;

  /** The year the last number was issued in, to detect the reset. */
  @Int({ nullable: true })
  lastYear: number | null;
}
