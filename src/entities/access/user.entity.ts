import { BeforeInsert, BeforeUpdate, Entity, Index } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, DeletedAt, EncryptedColumn, Int, Json, Secret, Status, Timestamp, Varchar } from '../../db/columns.js';

export const USER_TYPES = ['staff', 'client'] as const;
export type UserType = (typeof USER_TYPES)[number];

export const USER_STATUSES = ['active', 'inactive', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/**
 * The login identity of staff and clients alike (seed 000 `users`, seed 001 admindb `users`). One table so that
 * authentication, 2FA, lockout, sessions, API tokens and the audit trail work the same for both; what a user may do
 * comes from `userType` plus roles (staff) or the owning Client record (clients). Email is the login name, so seed
 * 000's separate `username` is not kept.
 */
@Entity('users')
@Index(['status'])
@Index(['userType'])
export class User extends Model {
  @Status(USER_TYPES, 'client')
  userType: UserType;

  /** Login name; unique across staff and clients so one address can never reach two identities. */
  @Varchar(255, { unique: true })
  email: string;

  @Varchar(100, { default: '' })
  firstName: string;

  @Varchar(100, { default: '' })
  lastName: string;

  /** "First Last", else the email: kept in step on save so relation links and audit entries show a person. */
  @Varchar(255)
  @Index()
  displayName: string;

  /** bcrypt hash. Null for an invited user who has not chosen a password yet: such a user cannot log in. */
  @Varchar(255, { nullable: true })
  @Secret()
  passwordHash: string | null;

  @Status(USER_STATUSES, 'active')
  status: UserStatus;

  @Bool()
  twoFactorEnabled: boolean;

  /** TOTP shared secret; encrypted because it must be read back to verify codes. */
  @EncryptedColumn()
  twoFactorSecret: string | null;

  /** sha256 hashes of the recovery codes not used yet; a code is removed when it is spent. */
  @Json()
  @Secret()
  twoFactorRecoveryCodes: string[] | null;

  /** Last accepted TOTP time step: a code of this step or earlier is refused, so an observed code cannot be replayed. */
  @Int({ nullable: true })
  twoFactorLastUsedStep: number | null;

  /** Consecutive failed logins for this account; reset on success. Per-IP throttling lives in LoginThrottle. */
  @Int({ default: 0 })
  failedLoginCount: number;

  @Timestamp()
  lockedUntil: Date | null;

  @Timestamp()
  lastLoginAt: Date | null;

  /** IPv6 textual form fits in 45 characters. */
  @Varchar(45, { nullable: true })
  lastLoginIp: string | null;

  /** Sessions and API tokens issued before this moment are no longer honoured. */
  @Timestamp()
  passwordChangedAt: Date | null;

  /** Cleared whenever the email changes, so a new address must be verified again. */
  @Timestamp()
  emailVerifiedAt: Date | null;

  /** IANA zone for displaying times to this user; storage stays UTC. */
  @Varchar(64, { default: 'UTC' })
  timezone: string;

  @Varchar(10, { default: 'en' })
  language: string;

  @DeletedAt()
  deletedAt: Date | null;

  @BeforeInsert()
  @BeforeUpdate()
  protected fillDisplayName(): void {
    const person = [this.firstName, this.lastName].filter(Boolean).join(' ').trim();
    this.displayName = (person || this.email || '').slice(0, 255);
  }
}
