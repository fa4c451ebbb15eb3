import { TICKET_AUTHOR_TYPES, TicketReply } from '../../src/entities/support/ticket-reply.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const ticketReplyResource = defineResource(TicketReply, {
  navigation: NAV.support,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['authorName', 'ticketId', 'authorType', 'isInternalNote', 'message', 'createdAt'],
  filterProperties: ['ticketId', 'authorName', 'authorEmail', 'authorType', 'userId', 'isInternalNote', 'ipAddress', 'createdAt'],
  showProperties: ['authorName', 'ticketId', 'authorType', 'userId', 'authorEmail', 'isInternalNote', 'message', 'ipAddress', 'createdAt', 'updatedAt'],
  editProperties: ['ticketId', 'authorType', 'userId', 'authorName', 'authorEmail', 'isInternalNote', 'message'],
  properties: {
    authorName: { isTitle: true },
    authorType: { availableValues: TICKET_AUTHOR_TYPES.map((v) => ({ value: v, label: v })) },
    message: { type: 'textarea' },
    ipAddress: { isVisible: { list: false, edit: false, show: true, filter: true } },
  },
});
