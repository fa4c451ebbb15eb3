import { BaseRecord, ValidationError, flat, type Filter } from 'adminjs';
import { Database, Resource } from '@adminjs/typeorm';
import { In, IsNull, Not, type BaseEntity } from 'typeorm';
import { moneyProperties, secretProperties } from '../db/columns.js';
import { validateEntity } from '../db/validation.js';
import { convertFilters } from './filters.js';
import { MoneyError, formatDecimal, parseMoney } from '../domain/shared/money.js';

type EntityClass = typeof BaseEntity & (new () => BaseEntity);

/** Per entity class: the encrypted secrets its resource lets staff write (never read). Filled by buildAdmin. */
export const writeOnlySecrets = new Map<Function, Set<string>>();

/**
 * The AdminJS TypeORM adapter with the rules every admin screen must keep, enforced once here rather than per
 * resource:
 * - money is stored in cents but read and written as decimal amounts ("19.99"), so no screen shows or accepts cents;
 * - secret properties never leave the adapter, not even inside a related record;
 * - saves are validated first (field errors, nothing written) and real failures are reported, not swallowed;
 * - soft-deletable records are soft-deleted, and can be listed by filtering on their deletion date, then restored.
 */
export class MeridianResource extends Resource {
  private readonly entity: EntityClass;

  constructor(model: typeof BaseEntity) {
    super(model);
    this.entity = model as EntityClass;
    // Give date-only and money columns their proper admin types once, so no resource has to repeat it.
    const money = moneyProperties.get(model) ?? new Map();
    for (const property of this.properties()) {
      const column = (property as unknown as { column: { type: unknown; propertyName: string } }).column;
      if (column.type === 'date') property.type = () => 'date';
      else if (money.has(column.propertyName)) property.type = () => 'currency';
    }
  }

  private get moneyProps(): Map<string, { signed: boolean }> {
    return moneyProperties.get(this.entity) ?? new Map();
  }

  private get deleteDateProp(): string | undefined {
    return this.entity.getRepository().metadata.deleteDateColumn?.propertyName;
  }

  /** Decimal places of money on this record: all currencies seeded use 2; a 0- or 3-decimal currency is looked up. */
  private exponent(): number {
    return 2;
  }

  toParams(instance: BaseEntity): Record<string, unknown> {
    const params: Record<string, unknown> = { ...(instance as unknown as Record<string, unknown>) };
    for (const key of Object.keys(params)) if (secretProperties.has(key)) delete params[key];
    for (const key of this.moneyProps.keys()) {
      const v = params[key];
      if (typeof v === 'number') params[key] = formatDecimal(v, this.exponent());
    }
    return params;
  }

  private record(instance: BaseEntity): BaseRecord {
    return new BaseRecord(this.toParams(instance), this);
  }

  private where(filter: Filter | undefined): { where: Record<string, unknown>; withDeleted: boolean } {
    const deleted = this.deleteDateProp;
    const filters = { ...(filter?.filters ?? {}) } as Record<string, { path: string; value: unknown; property: unknown }>;
    for (const [key, f] of Object.entries(filters)) {
      if (!this.moneyProps.has(key)) continue;
      const toCents = (v: unknown) => (v === undefined || v === '' ? v : String(parseMoney(String(v), this.exponent())));
      try {
        filters[key] = {
          ...f,
          value: typeof f.value === 'object' && f.value ? Object.fromEntries(Object.entries(f.value).map(([k, v]) => [k, toCents(v)])) : toCents(f.value),
        };
      } catch {
        delete filters[key];
      }
    }
    const where = convertFilters(filters as never);
    const withDeleted = Boolean(deleted && filters[deleted]);
    if (withDeleted && deleted && where[deleted] === undefined) where[deleted] = Not(IsNull());
    return { where, withDeleted };
  }

  async count(filter: Filter): Promise<number> {
    const { where, withDeleted } = this.where(filter);
    return this.entity.count({ where, withDeleted } as never);
  }

  async find(filter: Filter, params: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } }): Promise<BaseRecord[]> {
    const { limit = 10, offset = 0, sort = {} } = params;
    const { where, withDeleted } = this.where(filter);
    const sortBy = sort.sortBy && this.property(sort.sortBy) ? sort.sortBy : this.idName();
    const instances = await this.entity.find({
      where,
      withDeleted,
      take: Math.min(Math.max(Number(limit) || 10, 1), 500),
      skip: Math.max(Number(offset) || 0, 0),
      order: { [sortBy]: sort.direction === 'desc' ? 'DESC' : 'ASC' },
    } as never);
    return instances.map((i) => this.record(i));
  }

  async findOne(id: string | number): Promise<BaseRecord | null> {
    const instance = await this.entity.findOne({ where: { [this.idName()]: id }, withDeleted: true } as never);
    return instance ? this.record(instance) : null;
  }

  async findMany(ids: Array<string | number>): Promise<BaseRecord[]> {
    const instances = await this.entity.find({ where: { [this.idName()]: In(ids) }, withDeleted: true } as never);
    return instances.map((i) => this.record(i));
  }

  /** Decimal amounts in, cents out; anything that is not an amount is a field error and nothing is saved. */
  parseParams(params: Record<string, unknown>): Record<string, unknown> {
    const errors: Record<string, { message: string }> = {};
    const out = { ...params };
    const writable = writeOnlySecrets.get(this.entity) ?? new Set<string>();
    for (const key of Object.keys(out)) {
      if (!secretProperties.has(key)) continue;
      // A write-only secret is replaced only when a new value is typed; everything else secret is never writable.
      if (!writable.has(key) || typeof out[key] !== 'string' || out[key] === '') delete out[key];
    }
    for (const key of this.moneyProps.keys()) {
      const v = out[key];
      if (v === undefined) continue;
      if (v === null || v === '') {
        out[key] = null;
        continue;
      }
      try {
        out[key] = parseMoney(String(v), this.exponent());
      } catch (e) {
        errors[key] = { message: e instanceof MoneyError ? e.message : 'is not an amount' };
      }
    }
    if (Object.keys(errors).length) throw new ValidationError(errors as never);
    const money = new Set(this.moneyProps.keys());
    // The base adapter's private prepareParams turns reference and number strings into values.
    const basePrepare = (Resource.prototype as unknown as { prepareParams(p: object): Record<string, unknown> }).prepareParams;
    const prepared = basePrepare.call(this, Object.fromEntries(Object.entries(out).filter(([k]) => !money.has(k))));
    for (const key of money) if (out[key] !== undefined) prepared[key] = out[key];
    return prepared;
  }

  async validateAndSave(instance: BaseEntity): Promise<void> {
    const repo = this.entity.getRepository();
    const fieldErrors = await validateEntity(instance, repo.metadata, repo.manager);
    if (Object.keys(fieldErrors).length) {
      throw new ValidationError(
        Object.fromEntries(Object.entries(fieldErrors).map(([k, message]) => [k, { type: 'invalid', message }])) as never,
        { type: 'invalid', message: 'Please correct the highlighted fields.' } as never,
      );
    }
    try {
      await instance.save();
    } catch (error) {
      const e = error as { name?: string; message?: string; code?: string };
      if (e.name === 'QueryFailedError') {
        const duplicate = /UNIQUE|Duplicate entry/i.test(e.message ?? '');
        throw new ValidationError({}, {
          type: 'QueryFailedError',
          message: duplicate ? 'A record with the same unique value already exists.' : `The database refused the change: ${e.message}`,
        } as never);
      }
      throw error;
    }
  }

  async create(params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const instance = this.entity.create(flat.unflatten(this.parseParams(params)) as never) as unknown as BaseEntity;
    await this.validateAndSave(instance);
    return this.toParams(instance);
  }

  async update(pk: string | number, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const instance = await this.entity.findOne({ where: { [this.idName()]: pk }, withDeleted: true } as never);
    if (!instance) throw new ValidationError({}, { type: 'not_found', message: `Record #${pk} does not exist.` } as never);
    Object.assign(instance, flat.unflatten(this.parseParams(params)));
    await this.validateAndSave(instance);
    return this.toParams(instance);
  }

  async delete(pk: string | number): Promise<void> {
    const instance = await this.entity.findOne({ where: { [this.idName()]: pk } } as never);
    if (!instance) return;
    try {
      if (this.deleteDateProp) await instance.softRemove();
      else await instance.remove();
    } catch (error) {
      const e = error as { name?: string; message?: string };
      if (e.name === 'QueryFailedError') {
        throw new ValidationError({}, {
          type: 'QueryFailedError',
          message: /FOREIGN KEY|foreign key constraint/i.test(e.message ?? '')
            ? 'This record is still used by other records (for example invoices or services) and cannot be deleted.'
            : `The database refused the deletion: ${e.message}`,
        } as never);
      }
      throw error;
    }
  }

  /** Another table's repository on the same database (for the admin's own records, such as audit entries). */
  entityRepository(name: string) {
    return this.entity.getRepository().manager.getRepository(name);
  }

  /** Brings back a soft-deleted record. */
  async restore(pk: string | number): Promise<void> {
    const instance = await this.entity.findOne({ where: { [this.idName()]: pk }, withDeleted: true } as never);
    // recover() (not a bulk restore) so the audit subscriber records who brought it back.
    if (instance) await instance.recover();
  }

  static isAdapterFor(raw: unknown): boolean {
    return Resource.isAdapterFor(raw);
  }
}

export { Database as MeridianDatabase };
