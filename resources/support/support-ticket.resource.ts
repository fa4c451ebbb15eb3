import {
  SupportTicket,
  TICKET_PRIORITIES,
  TICKET_REPLIERS,
  TICKET_SOURCES,
  TICKET_STATUSES,
} from '../../src/entities/support/support-ticket.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

const showOnly = { list: false, edit: false, show: true, filter: false };
const showAndFilter = { list: false, edit: false, show: true, filter: true };

export const supportTicketResource = defineResource(SupportTicket, {
  navigation: NAV.support,
  sort: { sortBy: 'lastReplyAt', direction: 'desc' },
  listProperties: ['subject', 'ticketNumber', 'clientId', 'departmentId', 'status', 'priority', 'assignedToId', 'lastReplyAt'],
  filterProperties: [
    'ticketNumber',
    'subject',
    'clientId',
    'guestEmail',
    'departmentId',
    'serviceId',
    'domainId',
    'status',
    'priority',
    'source',
    'assignedToId',
    'lastReplyBy',
    'lastReplyAt',
    'createdAt',
  ],
  showProperties: [
    'subject',
    'ticketNumber',
    'clientId',
    'guestName',
    'guestEmail',
    'departmentId',
    'serviceId',
    'domainId',
    'status',
    'priority',
    'source',
    'assignedToId',
    'cc',
    'lastReplyAt',
    'lastReplyBy',
    'firstResponseAt',
    'closedAt',
    'rating',
    'createdAt',
    'updatedAt',
  ],
  // ticketNumber is issued by the number sequence; reply timestamps are kept by the reply workflow.
  editProperties: ['subject', 'clientId', 'guestName', 'guestEmail', 'departmentId', 'serviceId', 'domainId', 'status', 'priority', 'assignedToId', 'cc'],
  properties: {
    subject: { isTitle: true },
    ticketNumber: { isVisible: { list: true, edit: false, show: true, filter: true } },
    status: { availableValues: TICKET_STATUSES.map((v) => ({ value: v, label: v })) },
    priority: { availableValues: TICKET_PRIORITIES.map((v) => ({ value: v, label: v })) },
    source: { availableValues: TICKET_SOURCES.map((v) => ({ value: v, label: v })), isVisible: showAndFilter },
    lastReplyBy: { availableValues: TICKET_REPLIERS.map((v) => ({ value: v, label: v })), isVisible: showAndFilter },
    lastReplyAt: { isVisible: { list: true, edit: false, show: true, filter: true } },
    firstResponseAt: { isVisible: showOnly },
    closedAt: { isVisible: showOnly },
    rating: { isVisible: showOnly },
    cc: { type: 'textarea' },
    accessKeyHash: { isVisible: false },
  },
});
