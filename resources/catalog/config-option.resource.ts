import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { ConfigOption, CONFIG_OPTION_TYPES } from '../../src/entities/catalog/config-option.entity.js';

export const configOptionResource = defineResource(ConfigOption, {
  navigation: NAV.products,
  listProperties: ['name', 'groupId', 'optionType', 'moduleKey', 'sortOrder', 'hidden'],
  filterProperties: ['name', 'groupId', 'optionType', 'hidden'],
  editProperties: ['groupId', 'name', 'optionType', 'moduleKey', 'minQuantity', 'maxQuantity', 'sortOrder', 'hidden'],
  sort: { sortBy: 'sortOrder', direction: 'asc' },
  properties: {
    name: { isTitle: true },
    optionType: { availableValues: CONFIG_OPTION_TYPES.map((v) => ({ value: v, label: v })) },
    moduleKey: { description: "Parameter the provisioning module reads (e.g. 'quota', 'ram'); empty = price only" },
    maxQuantity: { description: 'For quantity options; 0 = no upper limit' },
  },
});
