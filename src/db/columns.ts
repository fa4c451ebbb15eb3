import { Column, CreateDateColumn, DeleteDateColumn, UpdateDateColumn, type ColumnOptions, type ValueTransformer } from 'typeorm';
import { assertCents } from '../domain/shared/money.js';
import { decryptSecret, encryptSecret, isEncrypted } from './secrets.js';

/**
 * Column helpers that make one schema portable between SQLite and MariaDB and keep values exact.
 * Every entity uses these instead of spelling types by hand.
 */

const cents: ValueTransformer = {
  // bigint comes back as a string on both drivers; it is always an integer, so Number() is exact within safe range.
  from: (v: string | number | null) => (v === null || v === undefined ? v : assertCents(Number(v))),
  to: (v: number | null | undefined) => (v === null || v === undefined ? v : assertCents(Number(v))),
};

/** Money properties of each entity class: the admin shows them as decimals and validation rejects bad amounts. */
export const moneyProperties = new Map<Function, Map<string, { signed: boolean }>>();

/**
 * An amount of money in integer minor units (cents). Never a float: see src/domain/shared/money.ts.
 * `signed: true` allows negative amounts (credit ledger entries, adjustments); otherwise validation rejects them.
 */
export function MoneyColumn(options: Omit<ColumnOptions, 'type' | 'transformer'> & { signed?: boolean } = {}) {
  const { signed = false, ...rest } = options;
  const column = Column({ type: 'bigint', default: rest.nullable ? undefined : 0, ...rest, transformer: cents });
  return (target: object, property: string) => {
    const byProp = moneyProperties.get(target.constructor) ?? new Map<string, { signed: boolean }>();
    byProp.set(property, { signed });
    moneyProperties.set(target.constructor, byProp);
    column(target, property);
  };
}

/**
 * A decimal rate (tax %, discount %, exchange rate, commission %). Stored as DECIMAL(precision, scale); SQLite hands
 * the value back as a double, which is re-rendered at once to a fixed-scale string — rates have far fewer significant
 * digits than a double holds, so the string is exact — and domain code parses that string into a scaled integer.
 */
export function RateColumn(precision: number, scale: number, options: Omit<ColumnOptions, 'type' | 'transformer' | 'precision' | 'scale'> = {}) {
  const transformer: ValueTransformer = {
    from: (v: string | number | null) => (v === null || v === undefined ? v : Number(v).toFixed(scale)),
    // undefined stays undefined so the column default applies; an emptied field means no value.
    to: (v: string | number | null | undefined) => (v === undefined ? undefined : v === null || v === '' ? null : String(v)),
  };
    // Defaults are written at the column's scale ('0.0000') so MariaDB's reported default matches and no diff appears.
  const def = options.default !== undefined && options.default !== null ? Number(options.default).toFixed(scale) : options.nullable ? undefined : (0).toFixed(scale);
  return Column({ type: 'decimal', precision, scale, ...options, default: def, transformer });
}

/**
 * Names of properties that hold secrets (hashes, tokens, encrypted credentials), gathered from the decorators below.
 * The admin scrubs every one of them from every response; the audit log redacts them.
 */
export const secretProperties = new Set<string>();

/** Marks a property as secret without changing its storage (e.g. a bcrypt password hash). */
export function Secret() {
  return (_target: object, property: string) => {
    secretProperties.add(property);
  };
}

const encrypted: ValueTransformer = {
  to: (v: string | null | undefined) => (v === null || v === undefined || v === '' ? null : isEncrypted(v) ? v : encryptSecret(v)),
  from: (v: string | null) => (v === null || v === undefined ? v : decryptSecret(v)),
};

/**
 * A secret that must be read back (API token, server password, TOTP secret): AES-256-GCM with APP_KEY at rest.
 * Registered as a secret property, so it never reaches an admin page or an audit record.
 */
export function EncryptedColumn(options: Omit<ColumnOptions, 'type' | 'transformer'> = {}) {
  const column = Column({ type: 'text', nullable: true, ...options, transformer: encrypted });
  return (target: object, property: string) => {
    secretProperties.add(property);
    column(target, property);
  };
}

/** UTC timestamps. The MariaDB connection runs in UTC; SQLite stores ISO text. */
export const CreatedAt = () => CreateDateColumn({ type: 'datetime' });
export const UpdatedAt = () => UpdateDateColumn({ type: 'datetime' });
export const DeletedAt = () => DeleteDateColumn({ type: 'datetime', nullable: true });
export const Timestamp = (options: Omit<ColumnOptions, 'type'> = {}) => Column({ type: 'datetime', nullable: true, ...options });
/** A calendar date with no time (due dates, billing periods): 'YYYY-MM-DD' strings on both engines. */
export const DateOnly = (options: Omit<ColumnOptions, 'type'> = {}) => Column({ type: 'date', nullable: true, ...options });
export const Text = (options: Omit<ColumnOptions, 'type'> = {}) => Column({ type: 'text', nullable: true, ...options });
export const Varchar = (length = 255, options: Omit<ColumnOptions, 'type' | 'length'> = {}) =>
  Column({ type: 'varchar', length, ...options });
export const Int = (options: Omit<ColumnOptions, 'type'> = {}) => Column({ type: 'int', ...options });
export const Bool = (options: Omit<ColumnOptions, 'type'> = {}) => Column({ type: 'boolean', default: false, ...options });
/** JSON stored as text so it behaves the same on SQLite and MariaDB. */
export const Json = (options: Omit<ColumnOptions, 'type'> = {}) => Column({ type: 'simple-json', nullable: true, ...options });
/** Allowed values of every Status column, by entity class and property: read by validation and the admin selects. */
export const allowedValues = new Map<Function, Map<string, readonly string[]>>();

/** A status or kind: varchar plus a TypeScript union, never an ENUM (portable, and adding a value needs no ALTER). */
export function Status(values: readonly string[], def: string | null, options: Omit<ColumnOptions, 'type'> = {}) {
  const column = Column({ type: 'varchar', length: 32, ...(def === null ? { nullable: true } : { default: def }), ...options });
  return (target: object, property: string) => {
    const byProp = allowedValues.get(target.constructor) ?? new Map<string, readonly string[]>();
    byProp.set(property, values);
    allowedValues.set(target.constructor, byProp);
    column(target, property);
  };
}
