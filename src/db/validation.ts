import type { EntityManager, EntityMetadata } from 'typeorm';
import { allowedValues, moneyProperties } from './columns.js';

/**
 * Field-level checks that follow from the schema itself, run before any save from the admin (and available to
 * domain services): required fields, lengths, whole numbers, non-negative money, allowed status values, calendar
 * dates, email addresses, and that every foreign key points at an existing row. Returns { property: message };
 * empty means valid. Entity-specific rules live in the domain services.
 */
export type FieldErrors = Record<string, string>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function validCalendarDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export async function validateEntity(entity: object, metadata: EntityMetadata, manager: EntityManager): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  // Derived columns (display names, owner keys) are filled by the entity's own before-save hooks: run them first so
  // they are not reported missing. They are pure derivations, so running them again at save time is harmless.
  const isNew = metadata.primaryColumns.every((c) => c.getEntityValue(entity) === undefined || c.getEntityValue(entity) === null);
  for (const listener of metadata.ownListeners) {
    if ((listener.type === (isNew ? 'before-insert' : 'before-update')) && listener.isAllowed(entity)) await listener.execute(entity);
  }
  const money = moneyProperties.get(metadata.target as Function) ?? new Map();
  const statuses = allowedValues.get(metadata.target as Function) ?? new Map();
  const values = entity as Record<string, unknown>;

  for (const column of metadata.columns) {
    const prop = column.propertyName;
    if (column.isGenerated || column.isCreateDate || column.isUpdateDate || column.isDeleteDate || column.isVersion) continue;
    const value = values[prop];
    const label = column.databaseName.replace(/_/g, ' ');
    if (isBlank(value)) {
      const required = !column.isNullable && column.default === undefined;
      if (required) errors[prop] = `${label} is required`;
      continue;
    }
    const type = String(column.type);
    if (money.has(prop)) {
      if (!Number.isSafeInteger(value)) errors[prop] = `${label} must be an amount`;
      else if (!money.get(prop)!.signed && (value as number) < 0) errors[prop] = `${label} must not be negative`;
      continue;
    }
    if (statuses.has(prop) && !statuses.get(prop)!.includes(String(value))) {
      errors[prop] = `${label} must be one of: ${statuses.get(prop)!.join(', ')}`;
      continue;
    }
    if (type === 'int' && !Number.isInteger(typeof value === 'string' ? Number(value) : value)) {
      errors[prop] = `${label} must be a whole number`;
    } else if (type === 'varchar' && column.length && String(value).length > Number(column.length)) {
      errors[prop] = `${label} must be at most ${column.length} characters`;
    } else if (type === 'date' && !validCalendarDate(String(value))) {
      errors[prop] = `${label} must be a date (YYYY-MM-DD)`;
    } else if (type === 'decimal' && !/^-?\d+(\.\d+)?$/.test(String(value))) {
      errors[prop] = `${label} must be a number`;
    } else if (/email$/i.test(prop) && !EMAIL.test(String(value))) {
      errors[prop] = `${label} must be a valid email address`;
    }
  }

  // Foreign keys: a clear message instead of a constraint error, and the same on both engines.
  for (const relation of metadata.manyToOneRelations.concat(metadata.oneToOneRelations.filter((r) => r.isOwning))) {
    for (const jc of relation.joinColumns) {
      const prop = metadata.columns.find((c) => c.databaseName === jc.databaseName && !c.relationMetadata)?.propertyName ?? jc.propertyName;
      if (errors[prop]) continue;
      const raw = values[prop];
      const id = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[jc.referencedColumn!.propertyName] : raw;
      if (isBlank(id)) continue;
      const exists = await manager.getRepository(relation.inverseEntityMetadata.target).exists({
        where: { [jc.referencedColumn!.propertyName]: id },
        withDeleted: true,
      } as never);
      if (!exists) errors[prop] = `${relation.inverseEntityMetadata.tableName.replace(/_/g, ' ')} #${String(id)} does not exist`;
    }
  }
  return errors;
}
