import { ValidationError, type ActionContext, type ActionRequest } from 'adminjs';
import type { EmailService } from '../../src/domain/notifications/email-service.js';
import { isEmailAddress } from '../../src/domain/notifications/email-service.js';
import { validateTemplate } from '../../src/domain/notifications/template-renderer.js';
import { Components } from '../../src/admin/components.js';
import { isFormDisplay, respond } from '../support.js';

/** Email template actions: send a test email with sample data, and preview the rendered template. */
export function emailTemplateActions({ email }: { email: EmailService }) {
  return {
    sendTest: {
      actionType: 'record',
      icon: 'Send',
      component: Components.ActionForm,
      custom: {
        title: 'Send a test email',
        description: 'Renders this template with sample data (subject marked [Test]) and sends it to the address below. The email log records it.',
        fields: [{ name: 'to', label: 'Send to', type: 'email', required: true }],
        submitLabel: 'Send test email',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const to = typeof request.payload?.to === 'string' ? request.payload.to.trim() : '';
        const outcome = await email.sendTest(Number(ctx.record!.id()), to);
        return respond(ctx, outcome, `Test email sent to ${to}.`);
      },
    },
    preview: {
      actionType: 'record',
      icon: 'Eye',
      component: false,
      handler: async (_request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        const outcome = await email.preview(Number(ctx.record!.id()));
        const response = await respond(ctx, outcome, outcome.ok ? `Subject: ${outcome.email.subject} — ${clip(outcome.email.text, 400)}` : '');
        return outcome.ok ? { ...response, preview: outcome.email } : response;
      },
    },
  };
}

/**
 * AdminJS `before` hook for the EmailTemplate resource's new and edit actions: a template that would not compile,
 * uses a forbidden construct or does not render with sample data is refused with the reason under the field at
 * fault, and nothing is saved. Also checks the sender overrides and keeps system templates' names.
 */
export async function validateBeforeSave(request: ActionRequest, ctx: ActionContext): Promise<ActionRequest> {
  if (isFormDisplay(request.method)) return request;
  const payload = (request.payload ?? {}) as Record<string, unknown>;
  const stored = (ctx.record?.params ?? {}) as Record<string, unknown>;
  const value = (key: string): string | null => {
    const v = key in payload ? payload[key] : stored[key];
    return typeof v === 'string' ? v : v === null || v === undefined ? null : String(v);
  };

  const errors: Record<string, { message: string }> = {};
  const check = validateTemplate(value('subject'), value('bodyHtml'), value('bodyText'));
  if (!check.ok) for (const [part, message] of Object.entries(check.errors)) errors[part] = { message };

  const fromEmail = value('fromEmail')?.trim();
  if (fromEmail && !isEmailAddress(fromEmail)) errors.fromEmail = { message: 'is not an email address' };
  const badBcc = (value('bcc') ?? '').split(',').map((a) => a.trim()).filter((a) => a && !isEmailAddress(a));
  if (badBcc.length) errors.bcc = { message: `not email addresses: ${badBcc.join(', ')}` };
  if (ctx.record && isTrue(stored.isSystem) && 'name' in payload && payload.name !== stored.name) {
    errors.name = { message: 'Meridian sends this template by its name: it cannot be renamed (disable it instead)' };
  }

  if (Object.keys(errors).length) {
    const summary = Object.entries(errors).map(([field, e]) => `${field}: ${e.message}`).join('; ');
    throw new ValidationError(errors, { message: `The template was not saved. ${summary}` });
  }
  return request;
}

const isTrue = (v: unknown) => v === true || v === 'true' || v === 1 || v === '1';
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
