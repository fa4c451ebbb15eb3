import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { DomainPrice } from '../../src/entities/catalog/domain-price.entity.js';

export const domainPriceResource = defineResource(DomainPrice, {
  navigation: NAV.products,
  listProperties: ['domainProductId', 'currencyId', 'years', 'register', 'renew', 'transfer'],
  filterProperties: ['domainProductId', 'currencyId', 'years'],
  editProperties: ['domainProductId', 'currencyId', 'years', 'register', 'renew', 'transfer'],
  sort: { sortBy: 'years', direction: 'asc' },
  properties: {
    years: { description: 'Term length, 1–10 years' },
    register: { description: 'Empty = not offered for this term (0 would mean free)' },
    renew: { description: 'Empty = not offered for this term' },
    transfer: { description: 'Empty = not offered for this term' },
  },
});
