import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Json, Status, Text, Varchar } from '../../db/columns.js';
import type { ProductCategory } from './product-category.entity.js';
import type { ServerGroup } from '../hosting/server-group.entity.js';
import type { HostingPackage } from '../hosting/hosting-package.entity.js';
import { PAYMENT_TYPES, PROVISIONING_MODULES, type PaymentType, type ProvisioningModule } from './values.js';

export const PRODUCT_TYPES = ['shared', 'reseller', 'vps', 'dedicated', 'domain', 'ssl', 'other'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

/** When a new service is provisioned: never (staff do it), on order, on first payment, or when staff accept the order. */
export const AUTO_SETUP_MODES = ['never', 'order', 'payment', 'accept'] as const;
export type AutoSetupMode = (typeof AUTO_SETUP_MODES)[number];

/**
 * A sellable product: seed 000 `products`, seed 001 `billing_plans` (its per-cycle prices and setup fee live in
 * ProductPrice) and seed 003 Products/Packages. Services keep a RESTRICT link here, so products in use are retired,
 * not deleted.
 */
@Entity('products')
export class Product extends Model {
  @Int()
  @Index()
  categoryId: number;

  /** RESTRICT: a category that still holds products cannot disappear from under them. */
  @ManyToOne('ProductCategory', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_id' })
  category: Relation<ProductCategory>;

  @Varchar(150)
  name: string;

  @Varchar(150, { unique: true })
  slug: string;

  /** Storefront description (HTML allowed, sanitised on render). */
  @Text()
  description: string | null;

  @Status(PRODUCT_TYPES, 'shared')
  type: ProductType;

  @Status(PROVISIONING_MODULES, 'none')
  module: ProvisioningModule;

  /** Where new services are placed; the group's fill method picks the server. */
  @Int({ nullable: true })
  @Index()
  serverGroupId: number | null;

  @ManyToOne('ServerGroup', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'server_group_id' })
  serverGroup: Relation<ServerGroup> | null;

  /** The WHM package a cPanel product creates accounts with. */
  @Int({ nullable: true })
  @Index()
  hostingPackageId: number | null;

  @ManyToOne('HostingPackage', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'hosting_package_id' })
  hostingPackage: Relation<HostingPackage> | null;

  /** Module settings that are not secrets: WHM package name override, Virtualizor plan id, OS template, etc. */
  @Json()
  moduleConfig: Record<string, unknown> | null;

  @Status(PAYMENT_TYPES, 'recurring')
  paymentType: PaymentType;

  @Bool()
  stockControl: boolean;

  /** Units left to sell when stockControl is on; decremented when an order is placed. */
  @Int({ default: 0 })
  stockQuantity: number;

  /** Bill every service of this product on the same day of the month (WHMCS pro-rata). */
  @Bool()
  prorataBilling: boolean;

  /** Day of month (1–28) the pro-rata services renew on. */
  @Int({ nullable: true })
  prorataDay: number | null;

  /** Orders placed after this day of the month are also charged the following full month. */
  @Int({ nullable: true })
  prorataCutoffDay: number | null;

  @Status(AUTO_SETUP_MODES, 'payment')
  autoSetup: AutoSetupMode;

  /** The order form asks for a domain (hosting), or not (licences, VPS without a hostname). */
  @Bool({ default: true })
  requireDomain: boolean;

  /** Not listed on the storefront, but orderable by direct link and by staff. */
  @Bool()
  hidden: boolean;

  /** No longer sold at all; existing services keep renewing. */
  @Bool()
  retired: boolean;

  /** Highlighted on the storefront (seed 001 billing_plans.is_featured). */
  @Bool()
  featured: boolean;

  @Int({ default: 0 })
  sortOrder: number;

  /** EmailTemplate.name sent when a service is activated; null = the default for the product type. */
  @Varchar(100, { nullable: true })
  welcomeEmailTemplate: string | null;

  @Bool({ default: true })
  taxable: boolean;

  /** Feature bullets for the storefront, e.g. ["10 GB SSD", "Free SSL"]. */
  @Json()
  features: string[] | null;
}
