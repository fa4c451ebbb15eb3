import { Announcement } from './announcement.entity.js';
import { CalendarEvent } from './calendar-event.entity.js';
import { Currency } from './currency.entity.js';
import { JobLock } from './job-lock.entity.js';
import { CustomField } from './custom-field.entity.js';
import { CustomFieldValue } from './custom-field-value.entity.js';
import { EmailLog } from './email-log.entity.js';
import { EmailTemplate } from './email-template.entity.js';
import { KnowledgeBaseArticle } from './knowledge-base-article.entity.js';
import { KnowledgeBaseCategory } from './knowledge-base-category.entity.js';
import { PaymentGateway } from './payment-gateway.entity.js';
import { Setting } from './setting.entity.js';
import { TaskRun } from './task-run.entity.js';
import { TaxRate } from './tax-rate.entity.js';
import { TodoItem } from './todo-item.entity.js';

export * from './currency.entity.js';
export * from './setting.entity.js';
export * from './tax-rate.entity.js';
export * from './payment-gateway.entity.js';
export * from './email-template.entity.js';
export * from './email-log.entity.js';
export * from './custom-field.entity.js';
export * from './custom-field-value.entity.js';
export * from './todo-item.entity.js';
export * from './calendar-event.entity.js';
export * from './task-run.entity.js';
export * from './knowledge-base-category.entity.js';
export * from './knowledge-base-article.entity.js';
export * from './announcement.entity.js';

export const systemEntities: Function[] = [
  Currency,
  Setting,
  TaxRate,
  PaymentGateway,
  EmailTemplate,
  EmailLog,
  CustomField,
  CustomFieldValue,
  TodoItem,
  CalendarEvent,
  TaskRun,
  JobLock,
  KnowledgeBaseCategory,
  KnowledgeBaseArticle,
  Announcement,
];
