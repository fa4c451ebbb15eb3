import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Status, Timestamp, Varchar } from '../../db/columns.js';
import type { Server } from './server.entity.js';

export const HOSTING_PACKAGE_STATUSES = ['active', 'inactive'] as const;
export type HostingPackageStatus = (typeof HOSTING_PACKAGE_STATUSES)[number];

/**
 * A WHM package (seed 001 whm_panel `packages`): the limits an account is created with. `name` is the package name
 * WHM knows (reseller packages are `reseller_pkg`). For every limit, null means unlimited and 0 means none.
 */
@Entity('hosting_packages')
@Index(['serverId', 'name'], { unique: true })
@Index(['name'])
@Index(['status'])
export class HostingPackage extends Model {
  /** The server the package exists on; null = the same package name on every server of the product's group. */
  @Int({ nullable: true })
  @Index()
  serverId: number | null;

  @ManyToOne('Server', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'server_id' })
  server: Relation<Server> | null;

  @Varchar(255)
  name: string;

  @Int({ nullable: true })
  diskQuotaMb: number | null;

  @Int({ nullable: true })
  bandwidthMb: number | null;

  @Int({ nullable: true })
  maxEmails: number | null;

  @Int({ nullable: true })
  maxDatabases: number | null;

  @Int({ nullable: true })
  maxFtp: number | null;

  /** Addon domains. */
  @Int({ nullable: true })
  maxDomains: number | null;

  @Int({ nullable: true })
  maxSubdomains: number | null;

  @Int({ nullable: true })
  maxParked: number | null;

  @Int({ nullable: true })
  maxEmailPerHour: number | null;

  @Int({ nullable: true })
  maxDeferFailPercentage: number | null;

  @Bool({ default: true })
  cgiAccess: boolean;

  @Bool()
  shellAccess: boolean;

  @Bool()
  dedicatedIp: boolean;

  /** Creates a WHM reseller rather than a plain cPanel account. */
  @Bool()
  isReseller: boolean;

  @Varchar(255, { nullable: true })
  featureList: string | null;

  @Varchar(10, { default: 'en' })
  language: string;

  /** cPanel theme (WHM `cpmod`). */
  @Varchar(50, { nullable: true })
  theme: string | null;

  @Status(HOSTING_PACKAGE_STATUSES, 'active')
  status: HostingPackageStatus;

  /** When the limits were last read from the server (WHM listpkgs). */
  @Timestamp()
  lastSyncAt: Date | null;
}
