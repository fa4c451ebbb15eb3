import type { DataSource } from 'typeorm';

/**
 * The emails every installation starts with (invoices, reminders, welcome, suspension, tickets, staff alerts),
 * installed at start-up where missing and then edited by staff in the admin. Bodies are Handlebars using plain
 * variables only ({{client.firstName}}, {{invoice.number}}, …), rendered in the sandbox of template-renderer.ts.
 */
export interface StandardEmailTemplate {
  name: string;
  type: 'general' | 'product' | 'invoice' | 'support' | 'domain' | 'admin';
  subject: string;
  bodyHtml: string;
  bodyText: string;
}

const signature = `<p>Kind regards,<br>{{company.name}}<br><a href="{{company.url}}">{{company.url}}</a></p>`;
const signatureText = `Kind regards,\n{{company.name}}\n{{company.url}}`;

function template(name: string, type: StandardEmailTemplate['type'], subject: string, paragraphs: string[]): StandardEmailTemplate {
  return {
    name,
    type,
    subject,
    bodyHtml: `<p>Dear {{client.firstName}},</p>\n${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}\n${signature}`,
    bodyText: `Dear {{client.firstName}},\n\n${paragraphs.map((p) => p.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '')).join('\n\n')}\n\n${signatureText}`,
  };
}

export const STANDARD_EMAIL_TEMPLATES: StandardEmailTemplate[] = [
  template('client_welcome', 'general', 'Welcome to {{company.name}}', [
    'Thank you for creating an account with us. You can sign in to the client area at any time to order services, pay invoices and contact support.',
    'Client area: <a href="{{clientArea.url}}">{{clientArea.url}}</a><br>Email: {{client.email}}',
  ]),
  template('password_reset', 'general', 'Reset your {{company.name}} password', [
    'Someone asked to reset the password of your account. If it was you, follow this link within 60 minutes: <a href="{{reset.url}}">{{reset.url}}</a>',
    'If you did not ask for this, you can ignore this email: your password has not been changed.',
  ]),
  template('client_email_verification', 'general', 'Please confirm your email address', [
    'Thank you for creating an account with {{company.name}}. Please confirm that this is your email address by following this link within 48 hours: <a href="{{verify.url}}">{{verify.url}}</a>',
    'If you did not create an account, you can ignore this email.',
  ]),
  template('client_password_reset', 'general', 'Reset your {{company.name}} password', [
    'Someone asked to reset the password of your client area login. If it was you, follow this link within 60 minutes to choose a new password: <a href="{{reset.url}}">{{reset.url}}</a>',
    'The link works once. If you did not ask for this, you can ignore this email: your password has not been changed.',
  ]),
  template('client_email_change', 'general', 'Confirm your new email address', [
    'You asked to change the email address of your {{company.name}} login to {{emailChange.newEmail}}. Follow this link within 24 hours to confirm it: <a href="{{emailChange.url}}">{{emailChange.url}}</a>',
    'Until you do, your login keeps its old address. If you did not ask for this, ignore this email.',
  ]),
  template('client_contact_invite', 'general', 'You have been given access to {{invite.accountName}} at {{company.name}}', [
    '{{invite.accountName}} has given you a login to their account in our client area.',
    'Choose your password within 7 days by following this link: <a href="{{invite.url}}">{{invite.url}}</a>',
  ]),
  template('order_confirmation', 'general', 'Order confirmation #{{order.number}}', [
    'We have received your order <strong>#{{order.number}}</strong> placed on {{order.date}}. Total: <strong>{{order.total}}</strong>.',
    'Your services will be set up as soon as invoice {{invoice.number}} is paid. You will receive a separate email with the login details.',
  ]),
  template('invoice_created', 'invoice', 'Invoice {{invoice.number}} for {{invoice.total}}', [
    'A new invoice has been issued to your account.',
    'Invoice: {{invoice.number}}<br>Amount due: {{invoice.balance}}<br>Due date: {{invoice.dueDate}}',
    'You can view and pay it online: <a href="{{invoice.url}}">{{invoice.url}}</a>',
  ]),
  template('payment_received', 'invoice', 'Payment received — invoice {{invoice.number}}', [
    'Thank you! We have received your payment of {{payment.amount}} for invoice {{invoice.number}}.',
    'Transaction reference: {{payment.reference}}<br>Balance remaining: {{invoice.balance}}',
  ]),
  template('payment_failed', 'invoice', 'Payment failed — invoice {{invoice.number}}', [
    'We tried to charge {{invoice.balance}} for invoice {{invoice.number}} to your saved {{payment.method}}, but it was declined: {{payment.failureMessage}}',
    '{{payment.nextAttemptText}}',
    'You can pay the invoice now, or change the card you pay with, in the client area: <a href="{{invoice.url}}">{{invoice.url}}</a>',
  ]),
  template('invoice_reminder', 'invoice', 'Reminder: invoice {{invoice.number}} is due on {{invoice.dueDate}}', [
    'This is a friendly reminder that invoice {{invoice.number}} for {{invoice.balance}} is due on {{invoice.dueDate}}.',
    'Pay online: <a href="{{invoice.url}}">{{invoice.url}}</a>. If you have already paid, please disregard this message.',
  ]),
  template('invoice_overdue_1', 'invoice', 'First overdue notice — invoice {{invoice.number}}', [
    'Our records show that invoice {{invoice.number}} for {{invoice.balance}}, due on {{invoice.dueDate}}, is now overdue.',
    'Please pay it at your earliest convenience to avoid any interruption of service: <a href="{{invoice.url}}">{{invoice.url}}</a>',
  ]),
  template('invoice_overdue_2', 'invoice', 'Second overdue notice — invoice {{invoice.number}}', [
    'Invoice {{invoice.number}} for {{invoice.balance}} is still unpaid {{invoice.daysOverdue}} days after its due date.',
    'Services billed on this invoice may be suspended if payment is not received. Pay now: <a href="{{invoice.url}}">{{invoice.url}}</a>',
  ]),
  template('invoice_overdue_3', 'invoice', 'Final notice — invoice {{invoice.number}}', [
    'This is our final notice for invoice {{invoice.number}} ({{invoice.balance}}), due on {{invoice.dueDate}}.',
    'If payment is not received, the related services will be terminated and their data deleted. Please contact our billing team if you need help.',
  ]),
  template('service_suspended', 'product', 'Service suspended: {{service.productName}} ({{service.domain}})', [
    'Your service <strong>{{service.productName}}</strong> for {{service.domain}} has been suspended.',
    'Reason: {{service.suspensionReason}}',
    'Once the matter is resolved the service is restored automatically. Questions? Reply to this email or open a ticket.',
  ]),
  template('hosting_welcome', 'product', 'Your hosting account for {{service.domain}} is ready', [
    'Your <strong>{{service.productName}}</strong> account has been set up.',
    'cPanel: <a href="https://{{server.hostname}}:2083">https://{{server.hostname}}:2083</a><br>Username: {{service.username}}<br>Password: {{service.password}}',
    'Point your domain to our nameservers: {{server.nameserver1}} and {{server.nameserver2}}.',
  ]),
  template('vps_welcome', 'product', 'Your VPS {{service.domain}} is online', [
    'Your <strong>{{service.productName}}</strong> has been provisioned.',
    'Hostname: {{service.domain}}<br>IP address: {{service.dedicatedIp}}<br>Root password: {{service.password}}',
    'Manage it (reboot, console, reinstall) from the client area.',
  ]),
  template('dedicated_welcome', 'product', 'Your dedicated server is ready', [
    'Our engineers have finished setting up your <strong>{{service.productName}}</strong>.',
    'Primary IP: {{service.dedicatedIp}}<br>Root password: {{service.password}}',
    'IPMI access details are available in the client area.',
  ]),
  template('provisioning_failed', 'admin', 'Provisioning failed: {{job.action}} for {{job.subject}}', [
    'A provisioning job has failed for good and needs a person: <strong>{{job.action}}</strong> for {{job.subject}} after {{job.attempts}} attempt(s).',
    'Error: {{job.error}}',
    'Open Products / Services › Provisioning Jobs › Failed jobs to retry or cancel it (job #{{job.id}}).',
  ]),
  template('domain_renewal_reminder', 'domain', 'Your domain {{domain.name}} expires on {{domain.expiryDate}}', [
    'The domain <strong>{{domain.name}}</strong> expires on {{domain.expiryDate}}.',
    'Auto-renew is {{domain.autoRenewText}}. Renew now to keep your website and email working: <a href="{{domain.url}}">{{domain.url}}</a>',
  ]),
  template('domain_registered', 'domain', 'Your domain {{domain.name}} is {{domain.doneText}}', [
    'Your domain <strong>{{domain.name}}</strong> is {{domain.doneText}}. It is registered until {{domain.expiryDate}}.',
    'Nameservers: {{domain.nameserversText}}',
    'Manage it (nameservers, lock, auto-renew): <a href="{{domain.url}}">{{domain.url}}</a>',
  ]),
  template('domain_order_failed', 'domain', 'We could not {{domain.operation}} {{domain.name}}', [
    'We could not {{domain.operation}} the domain <strong>{{domain.name}}</strong>. The registrar answered: {{domain.reason}}',
    'The {{domain.creditText}} you paid for it is now credit on your account and is used for your next invoice.',
    'You can order it again (for a transfer, with the correct EPP code from your current registrar): <a href="{{domain.url}}">{{domain.url}}</a>',
  ]),
  template('domain_renewed', 'domain', 'Your domain {{domain.name}} is renewed until {{domain.expiryDate}}', [
    'Thank you: <strong>{{domain.name}}</strong> is renewed and now expires on {{domain.expiryDate}}.',
  ]),
  template('ticket_opened', 'support', '[Ticket {{ticket.number}}] {{ticket.subject}}', [
    'Thank you for contacting us. Your ticket <strong>{{ticket.number}}</strong> has been opened in {{ticket.department}}; we usually reply within a few hours.',
    'View the ticket: <a href="{{ticket.url}}">{{ticket.url}}</a>',
  ]),
  template('ticket_reply', 'support', '[Ticket {{ticket.number}}] {{ticket.subject}}', [
    '{{reply.message}}',
    '— {{reply.authorName}}, {{ticket.department}}',
    'Reply to this email or view the ticket: <a href="{{ticket.url}}">{{ticket.url}}</a>',
  ]),
  template('ticket_auto_closed', 'support', '[Ticket {{ticket.number}}] Closed: {{ticket.subject}}', [
    'We have not heard back from you about ticket <strong>{{ticket.number}}</strong> since our last answer, so we have closed it.',
    'If you still need help, simply reply to it and it opens again: <a href="{{ticket.url}}">{{ticket.url}}</a>',
  ]),
  // To staff (src/domain/support/desk-notify.ts): the department's staff about a customer's new ticket or reply.
  {
    name: 'ticket_staff_new',
    type: 'admin',
    subject: '[Ticket {{ticket.number}}] New in {{ticket.department}}: {{ticket.subject}}',
    bodyHtml: '<p>Hello {{staff.firstName}},</p>\n<p>{{client.firstName}} {{client.lastName}} ({{client.email}}) opened ticket <strong>{{ticket.number}}</strong> in {{ticket.department}}, priority {{ticket.priority}}:</p>\n<blockquote>{{reply.message}}</blockquote>\n<p>Open it in the admin: <a href="{{ticket.url}}">{{ticket.url}}</a></p>',
    bodyText: 'Hello {{staff.firstName}},\n\n{{client.firstName}} {{client.lastName}} ({{client.email}}) opened ticket {{ticket.number}} in {{ticket.department}}, priority {{ticket.priority}}:\n\n{{reply.message}}\n\nOpen it in the admin: {{ticket.url}}',
  },
  {
    name: 'ticket_staff_reply',
    type: 'admin',
    subject: '[Ticket {{ticket.number}}] Customer reply: {{ticket.subject}}',
    bodyHtml: '<p>Hello {{staff.firstName}},</p>\n<p>{{reply.authorName}} replied to ticket <strong>{{ticket.number}}</strong> ({{ticket.department}}, priority {{ticket.priority}}):</p>\n<blockquote>{{reply.message}}</blockquote>\n<p>Open it in the admin: <a href="{{ticket.url}}">{{ticket.url}}</a></p>',
    bodyText: 'Hello {{staff.firstName}},\n\n{{reply.authorName}} replied to ticket {{ticket.number}} ({{ticket.department}}, priority {{ticket.priority}}):\n\n{{reply.message}}\n\nOpen it in the admin: {{ticket.url}}',
  },
  // Back office (src/domain/backoffice): cancellation requests and quotes.
  template('cancellation_approved', 'product', 'Cancellation confirmed: {{service.productName}} {{service.domain}}', [
    'We have processed your request to cancel <strong>{{service.productName}}</strong> {{service.domain}}: it ends {{cancellation.type}} ({{cancellation.endDate}}).',
    'It will not be invoiced again. If this was a mistake, reply to this email before that date.',
  ]),
  template('cancellation_rejected', 'product', 'About your cancellation request: {{service.productName}} {{service.domain}}', [
    'We could not carry out your request to cancel <strong>{{service.productName}}</strong> {{service.domain}}; the service continues as before.',
    'Reason: {{cancellation.reason}}',
    'Please contact us if you have any questions.',
  ]),
  template('quote_delivered', 'invoice', 'Quote {{quote.number}}: {{quote.subject}}', [
    'Please find our quote <strong>{{quote.number}}</strong> for {{quote.subject}}: {{quote.total}}, valid until {{quote.validUntil}}.',
    'You can read it, download it as a PDF and accept it in the client area: <a href="{{quote.url}}">{{quote.url}}</a>',
  ]),
];

/** Adds the standard templates that are missing (by name, in English); never overwrites staff's edits. */
export async function ensureEmailTemplates(ds: Pick<DataSource, 'getRepository'>): Promise<void> {
  const repo = ds.getRepository('EmailTemplate');
  const have = new Set(((await repo.find({ where: { language: 'en' }, select: ['name'] as never })) as Array<{ name: string }>).map((t) => t.name));
  const missing = STANDARD_EMAIL_TEMPLATES.filter((t) => !have.has(t.name));
  for (const t of missing) {
    await repo.createQueryBuilder().insert().values({ ...t, language: 'en', enabled: true, isSystem: true }).orIgnore().updateEntity(false).execute();
  }
}
