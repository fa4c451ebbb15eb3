import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Json, Secret, Timestamp, Varchar } from '../../db/columns.js';
import type { User } from './user.entity.js';

/**
 * A bearer token for the API (seed 001 admindb `api_tokens`). Only the sha256 of the token is stored: the plain token
 * is shown once at creation, and a database leak yields nothing usable.
 */
@Entity('api_tokens')
export class ApiToken extends Model {
  @Int()
  @Index()
  userId: number;

  // A token acts as its user; without the user it must stop working.
  @ManyToOne('User', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User>;

  /** Label chosen by the owner, e.g. 'Accounting export'. */
  @Varchar(100)
  name: string;

  /** Hex sha256 of the token: a token is looked up by hashing what the caller sent. */
  @Varchar(64, { unique: true })
  @Secret()
  tokenHash: string;

  /** First characters of the token, so staff can tell tokens apart without seeing them. */
  @Varchar(12)
  tokenPrefix: string;

  /** Permission names the token may use (a subset of its user's); null = all of the user's. */
  @Json()
  abilities: string[] | null;

  /** IP addresses or CIDR ranges allowed to use the token (seed 000 "IP whitelisting"); null = any. */
  @Json()
  allowedIps: string[] | null;

  @Timestamp()
  lastUsedAt: Date | null;

  @Varchar(45, { nullable: true })
  lastUsedIp: string | null;

  @Timestamp()
  expiresAt: Date | null;

  /** Revoked tokens are kept, not deleted, so the audit trail can still name them. */
  @Timestamp()
  revokedAt: Date | null;
}
