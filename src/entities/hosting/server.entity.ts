import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, EncryptedColumn, Int, MoneyColumn, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { ServerGroup } from './server-group.entity.js';

export const SERVER_TYPES = ['cpanel', 'virtualizor'] as const;
export type ServerType = (typeof SERVER_TYPES)[number];

export const SERVER_STATUSES = ['active', 'inactive', 'maintenance'] as const;
export type ServerStatus = (typeof SERVER_STATUSES)[number];

/**
 * A provisioning endpoint: a WHM server or a Virtualizor master (seed 000 `servers`, seed 001 whm_panel `servers`,
 * seed 003 Servers). Every credential is encrypted at rest and never leaves the server side.
 */
@Entity('servers')
@Index(['status'])
@Index(['hostname'])
@Index(['type'])
export class Server extends Model {
  @Varchar(100)
  name: string;

  @Varchar(255)
  hostname: string;

  @Varchar(45)
  ipAddress: string;

  /** API port; null means the module's default (WHM 2087, Virtualizor admin 4085). */
  @Int({ nullable: true })
  port: number | null;

  /** Talk HTTPS. Plain HTTP would send the credentials below in the clear. */
  @Bool({ default: true })
  secure: boolean;

  /** Off only for servers with self-signed certificates, as a deliberate staff choice. */
  @Bool({ default: true })
  verifyTls: boolean;

  @Status(SERVER_TYPES, 'cpanel')
  type: ServerType;

  /** WHM user the API token belongs to (usually root or a reseller). */
  @Varchar(64, { nullable: true })
  username: string | null;

  /** WHM password, only for servers without an API token (Basic auth over TLS). */
  @EncryptedColumn()
  password: string | null;

  /** WHM API token (`Authorization: whm user:token`). */
  @EncryptedColumn()
  apiToken: string | null;

  /** Virtualizor adminapikey. */
  @EncryptedColumn()
  apiKey: string | null;

  /** Virtualizor adminapipass. */
  @EncryptedColumn()
  apiPass: string | null;

  @Int({ nullable: true })
  @Index()
  serverGroupId: number | null;

  @ManyToOne('ServerGroup', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'server_group_id' })
  serverGroup: Relation<ServerGroup> | null;

  /** Capacity used by the group fill methods; a full server is skipped. */
  @Int({ default: 100 })
  maxAccounts: number;

  /** Accounts counted on the last sync; a cache for capacity checks, not a source of truth. */
  @Int({ default: 0 })
  activeAccounts: number;

  @Varchar(255, { nullable: true })
  nameserver1: string | null;

  @Varchar(255, { nullable: true })
  nameserver2: string | null;

  @Varchar(255, { nullable: true })
  nameserver3: string | null;

  @Varchar(255, { nullable: true })
  nameserver4: string | null;

  @Status(SERVER_STATUSES, 'active')
  status: ServerStatus;

  @Timestamp()
  lastSyncAt: Date | null;

  @Timestamp()
  lastCheckAt: Date | null;

  /** Outcome of the last connection test; null until one has run. */
  @Bool({ nullable: true, default: null })
  lastCheckOk: boolean | null;

  @Text()
  lastCheckResult: string | null;

  /** What the server costs per month in the default currency, for profitability reports. */
  @MoneyColumn()
  monthlyCost: number;

  @Varchar(100, { nullable: true })
  datacenter: string | null;

  @Text()
  notes: string | null;
}
