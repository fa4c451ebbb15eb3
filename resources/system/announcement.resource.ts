import { Announcement } from '../../src/entities/system/announcement.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const announcementResource = defineResource(Announcement, {
  navigation: NAV.support,
  sort: { sortBy: 'publishedAt', direction: 'desc' },
  listProperties: ['title', 'published', 'publishedAt', 'updatedAt'],
  filterProperties: ['title', 'published', 'publishedAt'],
  showProperties: ['title', 'body', 'published', 'publishedAt', 'createdAt', 'updatedAt'],
  editProperties: ['title', 'body', 'published', 'publishedAt'],
  properties: {
    title: { isTitle: true },
    body: { type: 'textarea' },
  },
});
