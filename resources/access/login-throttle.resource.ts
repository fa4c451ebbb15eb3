import { LoginThrottle } from '../../src/entities/access/login-throttle.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const loginThrottleResource = defineResource(LoginThrottle, {
  navigation: NAV.settings,
  sort: { sortBy: 'updatedAt', direction: 'desc' },
  listProperties: ['key', 'attempts', 'windowStartedAt', 'lockedUntil', 'updatedAt'],
  filterProperties: ['key', 'attempts', 'lockedUntil', 'updatedAt'],
  showProperties: ['key', 'attempts', 'windowStartedAt', 'lockedUntil', 'createdAt', 'updatedAt'],
  editProperties: ['attempts', 'lockedUntil'],
  properties: {
    key: { isTitle: true },
  },
});
