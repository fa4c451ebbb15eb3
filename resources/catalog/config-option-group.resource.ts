import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { ConfigOptionGroup } from '../../src/entities/catalog/config-option-group.entity.js';

export const configOptionGroupResource = defineResource(ConfigOptionGroup, {
  navigation: NAV.products,
  listProperties: ['name', 'description', 'createdAt'],
  filterProperties: ['name'],
  editProperties: ['name', 'description'],
  sort: { sortBy: 'name', direction: 'asc' },
  properties: {
    name: { isTitle: true },
    description: { type: 'textarea' },
  },
});
