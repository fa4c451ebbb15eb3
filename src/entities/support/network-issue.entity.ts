import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Json, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { Server } from '../hosting/server.entity.js';

export const NETWORK_ISSUE_TYPES = ['server', 'system', 'other'] as const;
export type NetworkIssueType = (typeof NETWORK_ISSUE_TYPES)[number];

export const NETWORK_ISSUE_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type NetworkIssuePriority = (typeof NETWORK_ISSUE_PRIORITIES)[number];

export const NETWORK_ISSUE_STATUSES = ['reported', 'investigating', 'in_progress', 'outage', 'scheduled', 'resolved'] as const;
export type NetworkIssueStatus = (typeof NETWORK_ISSUE_STATUSES)[number];

/**
 * An outage or maintenance notice shown to affected clients (seed 000 `network_issues`). Affected services are listed
 * explicitly only when narrower than "everything on serverId".
 */
@Entity('network_issues')
@Index(['status'])
@Index(['startAt'])
export class NetworkIssue extends Model {
  @Varchar(255)
  title: string;

  @Text()
  description: string | null;

  @Status(NETWORK_ISSUE_TYPES, 'server')
  type: NetworkIssueType;

  @Int({ nullable: true })
  @Index()
  serverId: number | null;

  @ManyToOne('Server', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'server_id' })
  server: Relation<Server> | null;

  /** For type 'system' / 'other': what is affected, e.g. "Outbound email". */
  @Varchar(255, { nullable: true })
  affectedSystem: string | null;

  /** Service ids; null = every service on the server. */
  @Json()
  affectedServiceIds: number[] | null;

  @Status(NETWORK_ISSUE_PRIORITIES, 'medium')
  priority: NetworkIssuePriority;

  @Status(NETWORK_ISSUE_STATUSES, 'reported')
  status: NetworkIssueStatus;

  @Timestamp()
  startAt: Date | null;

  @Timestamp()
  endAt: Date | null;
}
