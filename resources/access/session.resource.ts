import { Session } from '../../src/entities/access/session.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const sessionResource = defineResource(Session, {
  navigation: NAV.settings,
  sort: { sortBy: 'updatedAt', direction: 'desc' },
  listProperties: ['userId', 'expiresAt', 'createdAt', 'updatedAt'],
  filterProperties: ['userId', 'expiresAt', 'updatedAt'],
  showProperties: ['userId', 'expiresAt', 'createdAt', 'updatedAt'],
  // Staff can only shorten a session; ending it is deleting the row.
  editProperties: ['expiresAt'],
  properties: {
    sid: { isVisible: false },
    data: { isVisible: false },
  },
});
