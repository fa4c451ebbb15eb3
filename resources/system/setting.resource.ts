import { Setting, SETTING_TYPES } from '../../src/entities/system/setting.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const settingResource = defineResource(Setting, {
  navigation: NAV.settings,
  sort: { sortBy: 'key', direction: 'asc' },
  listProperties: ['key', 'value', 'type', 'groupName', 'isPublic', 'updatedAt'],
  filterProperties: ['key', 'value', 'type', 'groupName', 'isPublic'],
  showProperties: ['key', 'value', 'type', 'groupName', 'description', 'isPublic', 'createdAt', 'updatedAt'],
  editProperties: ['key', 'value', 'type', 'groupName', 'description', 'isPublic'],
  properties: {
    key: { isTitle: true },
    value: { type: 'textarea' },
    type: { availableValues: SETTING_TYPES.map((v) => ({ value: v, label: v })) },
    description: { type: 'textarea' },
    secretValue: { isVisible: false },
  },
}, { writeOnlySecrets: ['secretValue'] });
