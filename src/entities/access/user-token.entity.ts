import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Secret, Status, Timestamp, Varchar } from '../../db/columns.js';
import type { User } from './user.entity.js';

export const USER_TOKEN_PURPOSES = ['verify_email', 'reset_password', 'change_email', 'contact_invite'] as const;
export type UserTokenPurpose = (typeof USER_TOKEN_PURPOSES)[number];

/**
 * Single-use links sent by email: verify an address, reset a password, confirm a new address, accept a contact
 * invitation. Only the sha256 of the token is stored, so a leaked table opens nothing; a token works once
 * (usedAt is set by a conditional update) and only until expiresAt.
 */
@Entity('user_tokens')
@Index(['userId', 'purpose'])
export class UserToken extends Model {
  @Int()
  userId: number;

  @ManyToOne('User', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User>;

  @Status(USER_TOKEN_PURPOSES, null, { nullable: false })
  purpose: UserTokenPurpose;

  /** sha256 (hex) of the token in the link. */
  @Varchar(64, { unique: true })
  @Secret()
  tokenHash: string;

  @Timestamp({ nullable: false })
  @Index()
  expiresAt: Date;

  @Timestamp()
  usedAt: Date | null;

  /** For change_email: the address that becomes the login once the link is followed. */
  @Varchar(255, { nullable: true })
  newEmail: string | null;
}
