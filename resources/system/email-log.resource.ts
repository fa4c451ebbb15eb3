import { EMAIL_LOG_STATUSES, EmailLog } from '../../src/entities/system/email-log.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const emailLogResource = defineResource(EmailLog, {
  navigation: NAV.reporting,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['subject', 'toAddress', 'templateName', 'status', 'clientId', 'sentAt', 'createdAt'],
  filterProperties: ['subject', 'toAddress', 'templateName', 'status', 'clientId', 'relatedType', 'relatedId', 'createdAt'],
  showProperties: [
    'subject',
    'toAddress',
    'clientId',
    'templateName',
    'status',
    'error',
    'messageId',
    'relatedType',
    'relatedId',
    'sentAt',
    'createdAt',
  ],
  properties: {
    subject: { isTitle: true },
    status: { availableValues: EMAIL_LOG_STATUSES.map((v) => ({ value: v, label: v })) },
    error: { type: 'textarea' },
  },
});
