import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { ClientGroup } from '../../src/entities/clients/client-group.entity.js';

export const clientGroupResource = defineResource(ClientGroup, {
  navigation: NAV.clients,
  listProperties: ['name', 'colour', 'discountPercent', 'createdAt'],
  filterProperties: ['name'],
  editProperties: ['name', 'colour', 'discountPercent', 'description'],
  sort: { sortBy: 'name', direction: 'asc' },
  properties: {
    name: { isTitle: true },
    colour: { description: 'CSS colour used to highlight members in lists, e.g. #f0ad4e' },
    discountPercent: { description: 'Percent off catalogue prices for members, e.g. 10.00' },
    description: { type: 'textarea' },
  },
});
