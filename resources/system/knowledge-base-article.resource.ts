import { KnowledgeBaseArticle } from '../../src/entities/system/knowledge-base-article.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const knowledgeBaseArticleResource = defineResource(KnowledgeBaseArticle, {
  navigation: NAV.support,
  sort: { sortBy: 'updatedAt', direction: 'desc' },
  listProperties: ['title', 'categoryId', 'slug', 'published', 'views', 'updatedAt'],
  filterProperties: ['title', 'categoryId', 'slug', 'published'],
  showProperties: ['title', 'categoryId', 'slug', 'body', 'published', 'views', 'createdAt', 'updatedAt'],
  editProperties: ['title', 'categoryId', 'slug', 'body', 'published'],
  properties: {
    title: { isTitle: true },
    body: { type: 'textarea' },
    views: { isVisible: { list: true, edit: false, show: true, filter: false } },
  },
});
