import { TicketDepartment } from './ticket-department.entity.js';
import { DepartmentStaff } from './department-staff.entity.js';
import { SupportTicket } from './support-ticket.entity.js';
import { TicketReply } from './ticket-reply.entity.js';
import { TicketAttachment } from './ticket-attachment.entity.js';
import { PredefinedReply } from './predefined-reply.entity.js';
import { NetworkIssue } from './network-issue.entity.js';

export const supportEntities: Function[] = [
  TicketDepartment,
  DepartmentStaff,
  SupportTicket,
  TicketReply,
  TicketAttachment,
  PredefinedReply,
  NetworkIssue,
];
