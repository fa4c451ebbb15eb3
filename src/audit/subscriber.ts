import { EventSubscriber, type EntityMetadata, type EntitySubscriberInterface, type InsertEvent, type RemoveEvent, type SoftRemoveEvent, type RecoverEvent, type UpdateEvent, type EntityManager } from 'typeorm';
import { currentActor } from './context.js';
import { redactValues } from './redact.js';

/** Tables whose changes are not themselves audited (the log itself, and bookkeeping of sessions and throttles). */
const NOT_AUDITED = new Set(['AuditLog', 'Session', 'LoginThrottle']);

/**
 * Every create, update and delete made while someone is acting (an admin or client-area request) lands in
 * audit_logs in the same transaction as the change, with secrets redacted. Written as a TypeORM subscriber so no
 * screen or service can forget it.
 */
@EventSubscriber()
export class AuditSubscriber implements EntitySubscriberInterface {
  private async write(manager: EntityManager, metadata: EntityMetadata, event: string, id: unknown, oldValues: Record<string, unknown> | null, newValues: Record<string, unknown> | null) {
    const actor = currentActor();
    if (!actor || NOT_AUDITED.has(metadata.name)) return;
    const clientId =
      metadata.name === 'Client' ? id : ((newValues?.clientId ?? oldValues?.clientId) as number | undefined) ?? null;
    await manager.insert('AuditLog', {
      userId: actor.userId,
      actorType: actor.actorType,
      actorName: actor.actorName,
      event,
      auditableType: metadata.name,
      auditableId: id === undefined || id === null ? null : String(id),
      clientId: typeof clientId === 'number' ? clientId : clientId ? Number(clientId) : null,
      oldValues,
      newValues,
      url: actor.url,
      ipAddress: actor.ipAddress,
      userAgent: actor.userAgent,
    });
  }

  private columns(metadata: EntityMetadata) {
    return metadata.columns.filter((c) => !c.relationMetadata || c.propertyName.endsWith('Id')).map((c) => c.propertyName);
  }

  async afterInsert(e: InsertEvent<Record<string, unknown>>) {
    await this.write(e.manager, e.metadata, 'create', e.entity?.id, null, redactValues(e.entity, this.columns(e.metadata)));
  }

  async afterUpdate(e: UpdateEvent<Record<string, unknown>>) {
    if (!e.entity) return;
    const before = e.databaseEntity as Record<string, unknown> | undefined;
    const changed = e.updatedColumns.map((c) => c.propertyName).filter((p) => !['updatedAt'].includes(p));
    if (!changed.length) return;
    const id = (e.entity.id ?? before?.id) as unknown;
    await this.write(e.manager, e.metadata, 'update', id, redactValues(before, changed), redactValues(e.entity as Record<string, unknown>, changed));
  }

  async afterRemove(e: RemoveEvent<Record<string, unknown>>) {
    const before = (e.databaseEntity ?? e.entity) as Record<string, unknown> | undefined;
    await this.write(e.manager, e.metadata, 'delete', e.entityId ?? before?.id, redactValues(before, this.columns(e.metadata)), null);
  }

  async afterSoftRemove(e: SoftRemoveEvent<Record<string, unknown>>) {
    const before = (e.databaseEntity ?? e.entity) as Record<string, unknown> | undefined;
    await this.write(e.manager, e.metadata, 'soft_delete', e.entityId ?? before?.id, null, null);
  }

  async afterRecover(e: RecoverEvent<Record<string, unknown>>) {
    const entity = (e.databaseEntity ?? e.entity) as Record<string, unknown> | undefined;
    await this.write(e.manager, e.metadata, 'restore', e.entityId ?? entity?.id, null, null);
  }
}
