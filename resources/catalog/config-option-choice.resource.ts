import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { ConfigOptionChoice } from '../../src/entities/catalog/config-option-choice.entity.js';

export const configOptionChoiceResource = defineResource(ConfigOptionChoice, {
  navigation: NAV.products,
  listProperties: ['name', 'optionId', 'moduleValue', 'sortOrder', 'hidden'],
  filterProperties: ['name', 'optionId', 'hidden'],
  editProperties: ['optionId', 'name', 'moduleValue', 'sortOrder', 'hidden'],
  sort: { sortBy: 'sortOrder', direction: 'asc' },
  properties: {
    name: { isTitle: true },
    moduleValue: { description: "Value sent to the module under the option's module key; empty = the name" },
  },
});
