import { KnowledgeBaseCategory } from '../../src/entities/system/knowledge-base-category.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const knowledgeBaseCategoryResource = defineResource(KnowledgeBaseCategory, {
  navigation: NAV.support,
  sort: { sortBy: 'sortOrder', direction: 'asc' },
  listProperties: ['name', 'parentId', 'hidden', 'sortOrder', 'updatedAt'],
  filterProperties: ['name', 'parentId', 'hidden'],
  showProperties: ['name', 'description', 'parentId', 'hidden', 'sortOrder', 'createdAt', 'updatedAt'],
  editProperties: ['name', 'description', 'parentId', 'hidden', 'sortOrder'],
  properties: {
    name: { isTitle: true },
    description: { type: 'textarea' },
  },
});
