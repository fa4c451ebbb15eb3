import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppendOnlyModel } from '../../db/base.js';
import { Int, Status, Text, Varchar } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';
import type { Client } from '../clients/client.entity.js';

export const WHOIS_RESULTS = ['available', 'registered', 'error', 'invalid'] as const;
export type WhoisResult = (typeof WHOIS_RESULTS)[number];

/**
 * One domain availability lookup (seed 000 `whois_logs`). The (ipAddress, createdAt) index serves the per-IP rate
 * limit that keeps the public domain checker from being used as a free WHOIS proxy.
 */
@Entity('whois_logs')
@Index(['domain'])
@Index(['ipAddress', 'createdAt'])
@Index(['createdAt'])
export class WhoisLog extends AppendOnlyModel {
  @Varchar(253)
  domain: string;

  @Int({ nullable: true })
  @Index()
  userId: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User> | null;

  @Int({ nullable: true })
  @Index()
  clientId: number | null;

  @ManyToOne('Client', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client> | null;

  @Varchar(45, { nullable: true })
  ipAddress: string | null;

  @Status(WHOIS_RESULTS, null, { nullable: false })
  result: WhoisResult;

  @Text()
  rawResponse: string | null;
}
