import { In, type DataSource } from 'typeorm';
import type { EmailLog } from '../../entities/system/email-log.entity.js';
import type { EmailTemplate } from '../../entities/system/email-template.entity.js';
import type { Setting } from '../../entities/system/setting.entity.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { fail, succeed, type Failure, type Outcome } from '../shared/outcome.js';
import type { MailTransport, OutgoingMail } from './mail-transport.js';
import { SAMPLE_EMAIL_CONTEXT } from './sample-context.js';
import { createTemplateRenderer, TemplateError, type RenderedEmail, type TemplateRenderer } from './template-renderer.js';

/**
 * Sends the emails Meridian writes from its templates (invoice created, payment received, reminders, …).
 *
 * One call, one email, one row in the email log — the row is written as 'queued' before the SMTP conversation and
 * set to 'sent' or 'failed' after it, so a process that dies mid-send leaves a visible 'queued' row instead of
 * nothing. The only call that writes no row is one for a disabled template: staff switched that email off.
 * Deciding *whether* an email is due (a reminder once per invoice, …) is the caller's job; this service just
 * sends what it is asked to.
 *
 * Expected failures are outcomes with stable codes: template_missing, template_disabled, invalid_recipient,
 * template_invalid, mail_not_configured, send_failed.
 */

export interface EmailServiceDeps {
  ds: DataSource;
  mailer: MailTransport;
  clock?: Clock;
  /** APP_TIMEZONE: instants shown by the {{date}} helper are dates in this zone. */
  timeZone?: string;
  /** APP_URL: the last-resort sender domain (noreply@host) and company URL when the settings have none. */
  appUrl?: string;
}

export interface SendTemplateInput {
  /** EmailTemplate.name, e.g. 'invoice_created'. */
  templateName: string;
  to: string | string[];
  /** The client's language; falls back to its base language ('pt-br' → 'pt') and then to 'en'. */
  language?: string | null;
  /** Template variables. Copied through JSON before rendering: pass data, not records with methods. */
  context: Record<string, unknown>;
  clientId?: number | null;
  /** What the email is about, for the log: e.g. { type: 'Invoice', id: 42 }. */
  related?: { type: string; id: number } | null;
  /** Files sent with the email (a quote's PDF); not stored in the email log. */
  attachments?: OutgoingMail['attachments'];
}

export type EmailOutcome = Outcome<{ logId: number; messageId: string | null }>;

const DEFAULT_LANGUAGE = 'en';
const ADDRESS = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\.]+(\.[^\s@<>()[\],;:"\\.]+)+$/;
const SETTING_KEYS = ['company.name', 'company.url', 'company.email', 'mail.fromName', 'mail.fromEmail'];

export const isEmailAddress = (s: string) => s.length <= 254 && ADDRESS.test(s);

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

interface Delivery {
  template: EmailTemplate;
  to: string[];
  context: Record<string, unknown>;
  clientId: number | null;
  related: { type: string; id: number } | null;
  subjectPrefix?: string;
  attachments?: OutgoingMail['attachments'];
}

export class EmailService {
  private readonly renderer: TemplateRenderer;
  private readonly clock: Clock;

  constructor(private readonly deps: EmailServiceDeps) {
    this.renderer = createTemplateRenderer({ timeZone: deps.timeZone ?? 'UTC' });
    this.clock = deps.clock ?? systemClock;
  }

  async sendTemplate(input: SendTemplateInput): Promise<EmailOutcome> {
    const to = recipients(input.to);
    const related = input.related ?? null;
    const clientId = input.clientId ?? null;
    const template = await this.findTemplate(input.templateName, input.language);
    if (!template) {
      const failure = fail('template_missing', `There is no email template named "${input.templateName}". Create it under System Settings › Email Templates.`);
      return this.logFailure({ to, subject: input.templateName, templateName: input.templateName, clientId, related }, failure);
    }
    if (!template.enabled) return fail('template_disabled', `The email template "${template.name}" (${template.language}) is disabled; nothing was sent.`);
    return this.deliver({ template, to, context: input.context, clientId, related, attachments: input.attachments });
  }

  /** The admin's "Send test email": the template as stored (even disabled), rendered with sample data, to one address. */
  async sendTest(templateId: number, to: string): Promise<EmailOutcome> {
    const template = await this.deps.ds.getRepository<EmailTemplate>('EmailTemplate').findOneBy({ id: templateId });
    const related = { type: 'EmailTemplate', id: templateId };
    if (!template) return fail('template_missing', `Email template #${templateId} does not exist.`);
    const company = await this.companyContext();
    return this.deliver({ template, to: recipients(to), context: { ...SAMPLE_EMAIL_CONTEXT, company }, clientId: null, related, subjectPrefix: '[Test] ' });
  }

  /** The template rendered with sample data, for the admin's preview. Sends nothing, logs nothing. */
  async preview(templateId: number): Promise<Outcome<{ email: RenderedEmail }>> {
    const template = await this.deps.ds.getRepository<EmailTemplate>('EmailTemplate').findOneBy({ id: templateId });
    if (!template) return fail('template_missing', `Email template #${templateId} does not exist.`);
    try {
      const email = this.renderer.render(template, { ...SAMPLE_EMAIL_CONTEXT, company: await this.companyContext() });
      return succeed({ email });
    } catch (e) {
      if (e instanceof TemplateError) return fail('template_invalid', e.message);
      throw e;
    }
  }

  /** The row for the language asked for, else its base language, else English. A disabled row is not skipped. */
  private async findTemplate(name: string, language: string | null | undefined): Promise<EmailTemplate | null> {
    const wanted = (language ?? DEFAULT_LANGUAGE).trim().toLowerCase();
    const order = [...new Set([wanted, wanted.split(/[-_]/)[0], DEFAULT_LANGUAGE].filter(Boolean))];
    const rows = await this.deps.ds.getRepository<EmailTemplate>('EmailTemplate').find({ where: { name, language: In(order) } });
    for (const lang of order) {
      const row = rows.find((r) => r.language.toLowerCase() === lang);
      if (row) return row;
    }
    return null;
  }

  private async deliver(d: Delivery): Promise<EmailOutcome> {
    const { template } = d;
    const logBase = { to: d.to, templateName: template.name, clientId: d.clientId, related: d.related };
    const settings = await this.settings();
    const bad = d.to.filter((a) => !isEmailAddress(a));
    if (!d.to.length || bad.length) {
      const failure = fail('invalid_recipient', d.to.length ? `Not an email address: ${bad.join(', ')}` : 'No recipient address was given.', 'to');
      return this.logFailure({ ...logBase, subject: template.subject }, failure);
    }

    let email: RenderedEmail;
    try {
      email = this.renderer.render(template, { company: this.company(settings), ...d.context });
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      return this.logFailure({ ...logBase, subject: template.subject }, fail('template_invalid', `The email template "${template.name}" cannot be rendered — ${e.message}`));
    }
    const subject = `${d.subjectPrefix ?? ''}${email.subject}`;

    const repo = this.deps.ds.getRepository<EmailLog>('EmailLog');
    const log = await repo.save(repo.create({ ...this.logColumns({ ...logBase, subject }), status: 'queued' }));
    const fromAddress = [template.fromEmail, settings.get('mail.fromEmail')].find((a): a is string => Boolean(a && isEmailAddress(a.trim())))?.trim() ?? `noreply@${this.appHost()}`;
    const fromName = template.fromName?.trim() || settings.get('mail.fromName') || settings.get('company.name') || null;
    const bcc = (template.bcc ?? '').split(',').map((a) => a.trim()).filter(isEmailAddress);

    const sent = await this.deps.mailer.send({ from: { name: fromName, address: fromAddress }, to: d.to, bcc, subject, html: email.html, text: email.text, attachments: d.attachments });
    if (!sent.ok) {
      await repo.update({ id: log.id }, { status: 'failed', error: `${sent.error}: ${sent.message}` });
      return { ok: false, error: sent.error, message: sent.message };
    }
    const partial = sent.rejected.length ? `Some recipients were refused: ${sent.rejected.join(', ')}` : null;
    await repo.update({ id: log.id }, { status: 'sent', messageId: sent.messageId ? clip(sent.messageId, 255) : null, sentAt: this.clock.now(), error: partial });
    return succeed({ logId: log.id, messageId: sent.messageId });
  }

  /** A call that failed before anything was sent still leaves its row, so staff can see why no email went out. */
  private async logFailure(
    row: { to: string[]; subject: string; templateName: string | null; clientId: number | null; related: { type: string; id: number } | null },
    failure: Failure,
  ): Promise<Failure> {
    const repo = this.deps.ds.getRepository<EmailLog>('EmailLog');
    await repo.save(repo.create({ ...this.logColumns(row), status: 'failed', error: `${failure.error}: ${failure.message}` }));
    return failure;
  }

  private logColumns(row: { to: string[]; subject: string; templateName: string | null; clientId: number | null; related: { type: string; id: number } | null }): Partial<EmailLog> {
    return {
      toAddress: clip(row.to.join(', ') || '(none)', 255),
      subject: clip(row.subject, 255),
      templateName: row.templateName ? clip(row.templateName, 100) : null,
      clientId: row.clientId,
      relatedType: row.related ? clip(row.related.type, 64) : null,
      relatedId: row.related?.id ?? null,
      messageId: null,
      sentAt: null,
      error: null,
    };
  }

  private async settings(): Promise<Map<string, string>> {
    const rows = await this.deps.ds.getRepository<Setting>('Setting').find({ where: { key: In(SETTING_KEYS) } });
    return new Map(rows.filter((r) => r.value).map((r) => [r.key, r.value!.trim()]));
  }

  private async companyContext() {
    return this.company(await this.settings());
  }

  /** {{company.*}} comes from the settings, so no sender has to pass it; a sender's own `company` replaces it. */
  private company(settings: Map<string, string>) {
    return {
      name: settings.get('company.name') ?? 'Meridian',
      url: settings.get('company.url') ?? this.deps.appUrl ?? '',
      email: settings.get('company.email') ?? settings.get('mail.fromEmail') ?? '',
    };
  }

  private appHost(): string {
    try {
      return new URL(this.deps.appUrl ?? 'http://localhost').hostname || 'localhost';
    } catch {
      return 'localhost';
    }
  }
}

function recipients(to: string | string[]): string[] {
  const list = Array.isArray(to) ? to : to.split(',');
  return list.map((a) => a.trim()).filter(Boolean);
}
