import { Staff } from '../../src/entities/access/staff.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const staffResource = defineResource(Staff, {
  navigation: NAV.settings,
  sort: { sortBy: 'displayName', direction: 'asc' },
  listProperties: ['displayName', 'userId', 'jobTitle', 'phone', 'createdAt'],
  filterProperties: ['displayName', 'userId', 'jobTitle', 'phone'],
  showProperties: ['displayName', 'userId', 'jobTitle', 'phone', 'signature', 'notes', 'createdAt', 'updatedAt'],
  editProperties: ['userId', 'displayName', 'jobTitle', 'phone', 'signature', 'notes'],
  properties: {
    displayName: { isTitle: true },
    signature: { type: 'textarea' },
    notes: { type: 'textarea' },
  },
});
