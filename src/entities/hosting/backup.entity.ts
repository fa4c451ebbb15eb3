import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { Server } from './server.entity.js';
import type { Service } from './service.entity.js';

export const BACKUP_TYPES = ['full', 'incremental', 'database', 'files'] as const;
export type BackupType = (typeof BACKUP_TYPES)[number];

export const BACKUP_STATUSES = ['pending', 'in_progress', 'completed', 'failed'] as const;
export type BackupStatus = (typeof BACKUP_STATUSES)[number];

/** A backup taken of an account or a whole server (seed 001 whm_panel `backups`). */
@Entity('backups')
@Index(['status'])
@Index(['createdAt'])
@Index(['expiresAt'])
export class Backup extends Model {
  /** Null for whole-server backups, and kept (SET NULL) if the service goes, so the file is still cleaned up. */
  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

  @Int()
  @Index()
  serverId: number;

  @ManyToOne('Server', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'server_id' })
  server: Relation<Server>;

  @Status(BACKUP_TYPES, 'full')
  backupType: BackupType;

  /** e.g. cpmove-alice.tar.gz — the record's title. */
  @Varchar(255)
  fileName: string;

  @Text()
  filePath: string | null;

  /** Megabytes: a 32-bit integer of bytes would overflow at 2 GB. */
  @Int({ nullable: true })
  sizeMb: number | null;

  @Status(BACKUP_STATUSES, 'pending')
  status: BackupStatus;

  @Timestamp()
  startedAt: Date | null;

  @Timestamp()
  completedAt: Date | null;

  @Text()
  errorMessage: string | null;

  /** 'sha256:<hex>'. */
  @Varchar(255, { nullable: true })
  checksum: string | null;

  /** local, s3, ftp, ... */
  @Varchar(64, { default: 'local' })
  storageLocation: string;

  @Int({ default: 30 })
  retentionDays: number;

  /** completedAt + retentionDays, stored so the cleanup query needs no engine-specific date arithmetic. */
  @Timestamp()
  expiresAt: Date | null;
}
