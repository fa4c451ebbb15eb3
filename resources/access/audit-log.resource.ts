import { AUDIT_ACTOR_TYPES, AuditLog } from '../../src/entities/access/audit-log.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const auditLogResource = defineResource(AuditLog, {
  navigation: NAV.reporting,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['event', 'createdAt', 'actorName', 'auditableType', 'auditableId', 'description', 'ipAddress'],
  filterProperties: ['event', 'actorType', 'userId', 'clientId', 'auditableType', 'auditableId', 'ipAddress', 'createdAt'],
  showProperties: [
    'event',
    'createdAt',
    'actorType',
    'actorName',
    'userId',
    'clientId',
    'auditableType',
    'auditableId',
    'description',
    'oldValues',
    'newValues',
    'url',
    'ipAddress',
    'userAgent',
  ],
  properties: {
    event: { isTitle: true },
    actorType: { availableValues: AUDIT_ACTOR_TYPES.map((v) => ({ value: v, label: v })) },
    description: { type: 'textarea' },
    url: { type: 'textarea' },
    userAgent: { type: 'textarea' },
  },
});
