import type { ResourceSpec } from '../define.js';
import { announcementResource } from './announcement.resource.js';
import { calendarEventResource } from './calendar-event.resource.js';
import { currencyResource } from './currency.resource.js';
import { customFieldValueResource } from './custom-field-value.resource.js';
import { customFieldResource } from './custom-field.resource.js';
import { emailLogResource } from './email-log.resource.js';
import { emailTemplateResource } from './email-template.resource.js';
import { knowledgeBaseArticleResource } from './knowledge-base-article.resource.js';
import { knowledgeBaseCategoryResource } from './knowledge-base-category.resource.js';
import { paymentGatewayResource } from './payment-gateway.resource.js';
import { settingResource } from './setting.resource.js';
import { taskRunResource } from './task-run.resource.js';
import { jobLockResource } from './job-lock.resource.js';
import { taxRateResource } from './tax-rate.resource.js';
import { todoItemResource } from './todo-item.resource.js';

export const systemResources: ResourceSpec[] = [
  // Clients
  customFieldValueResource,
  // Support
  announcementResource,
  knowledgeBaseCategoryResource,
  knowledgeBaseArticleResource,
  // Reporting
  emailLogResource,
  taskRunResource,
  jobLockResource,
  // Utilities
  todoItemResource,
  calendarEventResource,
  // System Settings
  settingResource,
  currencyResource,
  taxRateResource,
  paymentGatewayResource,
  emailTemplateResource,
  customFieldResource,
];
