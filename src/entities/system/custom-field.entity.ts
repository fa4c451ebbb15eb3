import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Json, Status, Varchar } from '../../db/columns.js';
import type { Product } from '../catalog/product.entity.js';
import type { TicketDepartment } from '../support/ticket-department.entity.js';

export const CUSTOM_FIELD_SCOPES = ['client', 'product', 'support'] as const;
export type CustomFieldScope = (typeof CUSTOM_FIELD_SCOPES)[number];

export const CUSTOM_FIELD_TYPES = ['text', 'textarea', 'dropdown', 'checkbox', 'password', 'link'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/**
 * An extra field staff add to client profiles, to one product's order form and services, or to one support
 * department's ticket form (seed 000 `custom_fields`). Values live in CustomFieldValue.
 */
@Entity('custom_fields')
@Index(['appliesTo', 'sortOrder'])
export class CustomField extends Model {
  @Status(CUSTOM_FIELD_SCOPES, 'client')
  appliesTo: CustomFieldScope;

  /** Set when appliesTo = 'product'. */
  @Int({ nullable: true })
  @Index()
  productId: number | null;

  // A product's fields are part of that product's definition.
  @ManyToOne('Product', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product: Relation<Product> | null;

  /** Set when appliesTo = 'support': the department whose ticket form shows the field. */
  @Int({ nullable: true })
  @Index()
  departmentId: number | null;

  @ManyToOne('TicketDepartment', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'department_id' })
  department: Relation<TicketDepartment> | null;

  @Varchar(100)
  name: string;

  /** Help text shown under the field. */
  @Varchar(255, { nullable: true })
  description: string | null;

  @Status(CUSTOM_FIELD_TYPES, 'text')
  fieldType: CustomFieldType;

  /** Choices of a dropdown, as an array of strings. */
  @Json()
  options: string[] | null;

  @Bool()
  required: boolean;

  @Bool()
  showOnOrder: boolean;

  @Bool()
  showOnInvoice: boolean;

  /** Visible and editable by staff only. */
  @Bool()
  adminOnly: boolean;

  @Int({ default: 0 })
  sortOrder: number;

  /** Pattern the value must match, checked on the server. */
  @Varchar(255, { nullable: true })
  validationRegex: string | null;
}
