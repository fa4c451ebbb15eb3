import type { DataSource, EntitySubscriberInterface, InsertEvent, RemoveEvent, UpdateEvent } from 'typeorm';

/**
 * Small tables every page reads and staff rarely change (settings, currencies, announcements), and answers every
 * request asks (is this login still allowed), kept in memory for a few seconds per data source. A save, insert, update or delete through TypeORM on one of those tables empties its
 * entries at once on this node; other nodes, and raw SQL writes, see the change when the entries expire (TTL).
 * Never used for money or anything a request writes: only for what a page shows around the records.
 */
export class ReferenceCache {
  private readonly entries = new Map<string, { until: number; value: Promise<unknown> }>();

  constructor(private readonly ttlMs = 5_000, private readonly now: () => number = Date.now) {}

  /** The cached value of `key`, loading it when missing or expired. A failed load is not kept. */
  get<T>(entity: string, key: string, load: () => Promise<T>): Promise<T> {
    const k = `${entity}\u0000${key}`;
    const hit = this.entries.get(k);
    if (hit && hit.until > this.now()) return hit.value as Promise<T>;
    if (this.entries.size >= 500) this.dropExpired();
    const value = load();
    this.entries.set(k, { until: this.now() + this.ttlMs, value });
    value.catch(() => {
      if (this.entries.get(k)?.value === value) this.entries.delete(k);
    });
    return value;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.until <= now) this.entries.delete(k);
  }

  /** Drops every entry read from `entity`'s table. */
  invalidate(entity: string): void {
    const prefix = `${entity}\u0000`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

const caches = new WeakMap<DataSource, ReferenceCache>();

/** The data source's cache; the first call subscribes it to that data source's writes. */
export function referenceCache(ds: DataSource): ReferenceCache {
  let cache = caches.get(ds);
  if (cache) return cache;
  const created = new ReferenceCache();
  caches.set(ds, created);
  const drop = (event: { metadata?: { name: string } }) => {
    if (event.metadata) created.invalidate(event.metadata.name);
  };
  const subscriber: EntitySubscriberInterface = {
    afterInsert: (e: InsertEvent<unknown>) => drop(e),
    afterUpdate: (e: UpdateEvent<unknown>) => drop(e),
    afterRemove: (e: RemoveEvent<unknown>) => drop(e),
    afterSoftRemove: (e: RemoveEvent<unknown>) => drop(e),
    afterRecover: (e: RemoveEvent<unknown>) => drop(e),
  };
  ds.subscribers.push(subscriber);
  cache = created;
  return cache;
}
