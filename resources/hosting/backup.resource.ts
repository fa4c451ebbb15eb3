import { BACKUP_STATUSES, BACKUP_TYPES, Backup } from '../../src/entities/hosting/backup.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

const showOnly = { list: false, edit: false, show: true, filter: false };

export const backupResource = defineResource(Backup, {
  navigation: NAV.utilities,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['fileName', 'serviceId', 'serverId', 'backupType', 'status', 'sizeMb', 'completedAt', 'expiresAt'],
  filterProperties: ['fileName', 'serviceId', 'serverId', 'backupType', 'status', 'storageLocation', 'completedAt', 'expiresAt', 'createdAt'],
  showProperties: [
    'fileName',
    'serviceId',
    'serverId',
    'backupType',
    'status',
    'filePath',
    'storageLocation',
    'sizeMb',
    'checksum',
    'startedAt',
    'completedAt',
    'retentionDays',
    'expiresAt',
    'errorMessage',
    'createdAt',
    'updatedAt',
  ],
  editProperties: ['fileName', 'serviceId', 'serverId', 'backupType', 'filePath', 'storageLocation', 'retentionDays'],
  properties: {
    fileName: { isTitle: true },
    backupType: { availableValues: BACKUP_TYPES.map((v) => ({ value: v, label: v })) },
    status: { availableValues: BACKUP_STATUSES.map((v) => ({ value: v, label: v })) },
    filePath: { type: 'textarea' },
    errorMessage: { type: 'textarea', isVisible: showOnly },
    checksum: { isVisible: showOnly },
    startedAt: { isVisible: showOnly },
    completedAt: { isVisible: { list: true, edit: false, show: true, filter: true } },
    expiresAt: { isVisible: { list: true, edit: false, show: true, filter: true } },
  },
});
