import { createHash, randomBytes } from 'node:crypto';
import { IsNull, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import type { UserToken, UserTokenPurpose } from '../../entities/access/user-token.entity.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';

export const hashToken = (raw: string): string => createHash('sha256').update(raw, 'utf8').digest('hex');

/** How long each kind of link works. */
export const TOKEN_TTL_MS: Record<UserTokenPurpose, number> = {
  verify_email: 48 * 3600_000,
  reset_password: 3600_000,
  change_email: 24 * 3600_000,
  contact_invite: 7 * 24 * 3600_000,
};

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Single-use emailed tokens. The link carries 256 random bits; the table keeps only their sha256. Issuing a new
 * token of a purpose voids the user's earlier ones of that purpose, so only the latest email works.
 */
export class UserTokens {
  constructor(private readonly ds: DataSource, private readonly now: () => Date) {}

  async issue(userId: number, purpose: UserTokenPurpose, opts: { newEmail?: string; manager?: EntityManager } = {}): Promise<string> {
    const repo = (opts.manager ?? this.ds.manager).getRepository<UserToken>('UserToken');
    const now = this.now();
    await repo.update({ userId, purpose, usedAt: IsNull() }, { usedAt: now });
    const raw = randomBytes(32).toString('base64url');
    await repo.insert({ userId, purpose, tokenHash: hashToken(raw), expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[purpose]), usedAt: null, newEmail: opts.newEmail ?? null });
    return raw;
  }

  /** The live token behind a link, without spending it (to show the form that will spend it). */
  async peek(raw: string, purpose: UserTokenPurpose): Promise<UserToken | null> {
    if (typeof raw !== 'string' || !TOKEN_SHAPE.test(raw)) return null;
    return this.ds.getRepository<UserToken>('UserToken').findOne({ where: { tokenHash: hashToken(raw), purpose, usedAt: IsNull(), expiresAt: MoreThan(this.now()) } });
  }

  /**
   * Spends a token: exactly one caller wins the conditional update, even with two clicks at once on two nodes.
   * Unknown, used and expired tokens all answer the same.
   */
  async consume(raw: string, purpose: UserTokenPurpose, manager?: EntityManager): Promise<Outcome<{ token: UserToken }>> {
    const invalid = fail('invalid_token', 'This link is invalid or has expired. Ask for a new one.');
    const token = await this.peek(raw, purpose);
    if (!token) return invalid;
    const repo = (manager ?? this.ds.manager).getRepository<UserToken>('UserToken');
    const now = this.now();
    const res = await repo.update({ id: token.id, usedAt: IsNull(), expiresAt: MoreThan(now) }, { usedAt: now });
    if (!res.affected) return invalid;
    return succeed({ token });
  }
}
