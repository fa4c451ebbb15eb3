import type { ResourceSpec } from '../define.js';
import { departmentStaffResource } from './department-staff.resource.js';
import { networkIssueResource } from './network-issue.resource.js';
import { predefinedReplyResource } from './predefined-reply.resource.js';
import { supportTicketResource } from './support-ticket.resource.js';
import { ticketAttachmentResource } from './ticket-attachment.resource.js';
import { ticketDepartmentResource } from './ticket-department.resource.js';
import { ticketReplyResource } from './ticket-reply.resource.js';

export const supportResources: ResourceSpec[] = [
  supportTicketResource,
  ticketReplyResource,
  ticketAttachmentResource,
  ticketDepartmentResource,
  departmentStaffResource,
  predefinedReplyResource,
  networkIssueResource,
];
