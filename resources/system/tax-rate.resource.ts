import { TaxRate } from '../../src/entities/system/tax-rate.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const taxRateResource = defineResource(TaxRate, {
  navigation: NAV.settings,
  sort: { sortBy: 'country', direction: 'asc' },
  listProperties: ['name', 'country', 'state', 'rate', 'level', 'priority'],
  filterProperties: ['name', 'country', 'state', 'level'],
  showProperties: ['name', 'country', 'state', 'rate', 'level', 'priority', 'createdAt', 'updatedAt'],
  editProperties: ['name', 'country', 'state', 'rate', 'level', 'priority'],
  properties: {
    name: { isTitle: true },
    country: { description: 'ISO 3166-1 alpha-2 code; leave empty for every country.' },
    state: { description: 'Leave empty for the whole country.' },
    rate: { description: 'Percentage, e.g. 20.0000' },
    level: { description: '1 = normal tax; 2 = compound tax charged on top of level 1.' },
  },
});
