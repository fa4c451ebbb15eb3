import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { ProductConfigGroup } from '../../src/entities/catalog/product-config-group.entity.js';

/** Which configurable option groups each product's order form shows. */
export const productConfigGroupResource = defineResource(ProductConfigGroup, {
  navigation: NAV.products,
  listProperties: ['productId', 'groupId', 'createdAt'],
  filterProperties: ['productId', 'groupId'],
  editProperties: ['productId', 'groupId'],
  sort: { sortBy: 'createdAt', direction: 'desc' },
});
