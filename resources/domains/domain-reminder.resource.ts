import { DomainReminder } from '../../src/entities/domains/domain-reminder.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const domainReminderResource = defineResource(DomainReminder, {
  navigation: NAV.clients,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['domainId', 'daysBefore', 'expiryDate', 'sentAt', 'createdAt'],
  filterProperties: ['domainId', 'daysBefore', 'expiryDate', 'sentAt', 'createdAt'],
  showProperties: ['domainId', 'daysBefore', 'expiryDate', 'sentAt', 'createdAt', 'updatedAt'],
  // Rows are claims made by the daily domain task; deleting one lets that reminder be sent again.
  editProperties: ['sentAt'],
  actions: { new: { isAccessible: false } },
});
