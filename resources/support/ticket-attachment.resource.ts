import { TicketAttachment } from '../../src/entities/support/ticket-attachment.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

const showOnly = { list: false, edit: false, show: true, filter: false };

export const ticketAttachmentResource = defineResource(TicketAttachment, {
  navigation: NAV.support,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['fileName', 'ticketId', 'replyId', 'contentType', 'sizeBytes', 'createdAt'],
  filterProperties: ['fileName', 'ticketId', 'replyId', 'contentType', 'createdAt'],
  showProperties: ['fileName', 'ticketId', 'replyId', 'contentType', 'sizeBytes', 'sha256', 'storagePath', 'createdAt'],
  // Files arrive through uploads; only the links and the display name are corrected by hand.
  editProperties: ['fileName', 'ticketId', 'replyId'],
  properties: {
    fileName: { isTitle: true },
    storagePath: { isVisible: showOnly },
    sha256: { isVisible: showOnly },
  },
});
