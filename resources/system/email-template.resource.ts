import { EMAIL_TEMPLATE_TYPES, EmailTemplate } from '../../src/entities/system/email-template.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const emailTemplateResource = defineResource(EmailTemplate, {
  navigation: NAV.settings,
  sort: { sortBy: 'name', direction: 'asc' },
  listProperties: ['name', 'subject', 'type', 'language', 'enabled', 'isSystem', 'updatedAt'],
  filterProperties: ['name', 'subject', 'type', 'language', 'enabled', 'isSystem'],
  showProperties: [
    'name',
    'type',
    'language',
    'subject',
    'bodyHtml',
    'bodyText',
    'fromName',
    'fromEmail',
    'bcc',
    'enabled',
    'isSystem',
    'createdAt',
    'updatedAt',
  ],
  // isSystem marks templates Meridian sends itself; it is set by the installer, not by staff.
  editProperties: ['name', 'type', 'language', 'subject', 'bodyHtml', 'bodyText', 'fromName', 'fromEmail', 'bcc', 'enabled'],
  properties: {
    name: { isTitle: true },
    type: { availableValues: EMAIL_TEMPLATE_TYPES.map((v) => ({ value: v, label: v })) },
    bodyHtml: { type: 'textarea' },
    bodyText: { type: 'textarea' },
    isSystem: { isVisible: { list: true, edit: false, show: true, filter: true } },
  },
});
