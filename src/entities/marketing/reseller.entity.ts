import { Entity, Index, JoinColumn, ManyToOne, OneToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Json, RateColumn, Status, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';
import type { Server } from '../hosting/server.entity.js';
import type { HostingPackage } from '../hosting/hosting-package.entity.js';
import type { Service } from '../hosting/service.entity.js';

export const RESELLER_STATUSES = ['active', 'suspended', 'terminated'] as const;
export type ResellerStatus = (typeof RESELLER_STATUSES)[number];

/**
 * A client who resells hosting (seed 001 `resellers`, seed 004 "Reseller System"): the WHM reseller account, its
 * limits, white-label branding and commission terms. The WHM account itself is billed as a normal Service.
 */
@Entity('resellers')
@Index(['serverId', 'whmUsername'], { unique: true })
@Index(['status'])
export class Reseller extends Model {
  /** Unique through the one-to-one relation (TypeORM adds the REL_ unique index); not repeated here to avoid a second index. */
  @Int()
  clientId: number;

  /** RESTRICT: commissions and payouts hang off the reseller; close it out before the client goes. */
  @OneToOne('Client', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  /** The reseller hosting service that bills for the WHM account, when there is one. */
  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

  @Int({ nullable: true })
  @Index()
  serverId: number | null;

  @ManyToOne('Server', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'server_id' })
  server: Relation<Server> | null;

  /** WHM reseller username on serverId (unique per server; not enforced while either is null). */
  @Varchar(32, { nullable: true })
  whmUsername: string | null;

  @Int({ nullable: true })
  @Index()
  hostingPackageId: number | null;

  @ManyToOne('HostingPackage', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'hosting_package_id' })
  hostingPackage: Relation<HostingPackage> | null;

  /** Limits; 0 = unlimited. */
  @Int({ default: 0 })
  maxAccounts: number;

  @Int({ default: 0 })
  diskLimitMb: number;

  @Int({ default: 0 })
  bandwidthLimitMb: number;

  /** Usage as last read from WHM by the sync job. */
  @Int({ default: 0 })
  currentAccounts: number;

  @Int({ default: 0 })
  diskUsedMb: number;

  @Int({ default: 0 })
  bandwidthUsedMb: number;

  /** WHM ACL names granted to the reseller, e.g. ["create-acct", "suspend-acct"]. */
  @Json()
  aclList: string[] | null;

  /** Private nameservers, e.g. ["ns1.brand.example", "ns2.brand.example"]. */
  @Json()
  nameservers: string[] | null;

  /** Percent of each payment by the reseller's clients credited to the reseller. */
  @RateColumn(7, 4, { default: '0' })
  commissionRate: string;

  /** Percent added to catalogue prices on the reseller's storefront. */
  @RateColumn(7, 4, { default: '0' })
  markupPercent: string;

  /** White-label brand shown to the reseller's clients (their company name when they have no brand); the admin title. */
  @Varchar(150)
  brandName: string;

  @Varchar(255, { nullable: true })
  brandLogoUrl: string | null;

  @Varchar(255, { nullable: true })
  supportEmail: string | null;

  @Status(RESELLER_STATUSES, 'active')
  status: ResellerStatus;
}
