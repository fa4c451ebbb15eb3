import { TicketDepartment } from '../../src/entities/support/ticket-department.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const ticketDepartmentResource = defineResource(TicketDepartment, {
  navigation: NAV.support,
  sort: { sortBy: 'sortOrder', direction: 'asc' },
  listProperties: ['name', 'email', 'hidden', 'clientsOnly', 'autoRespond', 'sortOrder'],
  filterProperties: ['name', 'email', 'hidden', 'clientsOnly'],
  showProperties: ['name', 'description', 'email', 'hidden', 'clientsOnly', 'autoRespond', 'sortOrder', 'createdAt', 'updatedAt'],
  editProperties: ['name', 'description', 'email', 'hidden', 'clientsOnly', 'autoRespond', 'sortOrder'],
  properties: {
    name: { isTitle: true },
    description: { type: 'textarea' },
  },
});
