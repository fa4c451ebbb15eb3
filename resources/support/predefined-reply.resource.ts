import { PredefinedReply } from '../../src/entities/support/predefined-reply.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const predefinedReplyResource = defineResource(PredefinedReply, {
  navigation: NAV.support,
  sort: { sortBy: 'usedCount', direction: 'desc' },
  listProperties: ['title', 'category', 'usedCount', 'updatedAt'],
  filterProperties: ['title', 'category'],
  showProperties: ['title', 'category', 'message', 'usedCount', 'createdAt', 'updatedAt'],
  editProperties: ['title', 'category', 'message'],
  properties: {
    title: { isTitle: true },
    message: { type: 'textarea' },
    usedCount: { isVisible: { list: true, edit: false, show: true, filter: false } },
  },
});
