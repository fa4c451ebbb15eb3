import { Entity } from 'typeorm';
import { Model } from '../../db/base.js';
import { RateColumn, Text, Varchar } from '../../db/columns.js';

/** seed 000 `client_groups`: a label with a colour for the client list, and a standing discount for its members. */
@Entity('client_groups')
export class ClientGroup extends Model {
  @Varchar(100, { unique: true })
  name: string;

  /** CSS colour (e.g. '#f0ad4e') used to highlight the group's clients in admin lists. */
  @Varchar(16, { nullable: true })
  colour: string | null;

  /** Percentage off catalogue prices for members, e.g. '10.00'. Applied by the pricing service, not stored on prices. */
  @RateColumn(5, 2, { default: '0' })
  discountPercent: string;

  @Text()
  description: string | null;
}
