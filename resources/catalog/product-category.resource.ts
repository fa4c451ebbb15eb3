import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { ProductCategory } from '../../src/entities/catalog/product-category.entity.js';

export const productCategoryResource = defineResource(ProductCategory, {
  navigation: NAV.products,
  listProperties: ['name', 'slug', 'parentId', 'hidden', 'sortOrder'],
  filterProperties: ['name', 'slug', 'parentId', 'hidden'],
  editProperties: ['name', 'slug', 'parentId', 'description', 'hidden', 'sortOrder'],
  sort: { sortBy: 'sortOrder', direction: 'asc' },
  properties: {
    name: { isTitle: true },
    slug: { description: 'Storefront URL segment: /store/<slug>' },
    description: { type: 'textarea' },
  },
});
