import { createTransport } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type { MailTransport, OutgoingMail, SendOutcome } from '../../domain/notifications/mail-transport.js';
import { fail, succeed } from '../../domain/shared/outcome.js';

/**
 * Outgoing mail over SMTP (nodemailer), configured by SMTP_URL: smtp://user:pass@host:587 (STARTTLS when the server
 * offers it) or smtps://user:pass@host:465 (TLS from the start). Query parameters are nodemailer's, e.g.
 * `?tls.rejectUnauthorized=false` for a relay with a self-signed certificate.
 *
 * Connections are pooled (the billing run sends reminders in bursts) and every stage has a timeout, so a dead mail
 * server makes a send fail in seconds instead of holding a billing run for nodemailer's default of minutes.
 * Without SMTP_URL the mailer still exists and answers every send with 'mail_not_configured': a fresh install
 * works, and the email log says why nothing went out.
 */
export interface Mailer extends MailTransport {
  readonly configured: boolean;
  /** Opens a connection and says hello (for a "test connection" button or a start-up check). */
  verify(): Promise<{ ok: true } | { ok: false; error: string; message: string }>;
  /** Closes pooled connections (at shutdown; in tests). */
  close(): void;
}

export interface MailerOptions {
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
  maxConnections?: number;
}

const NOT_CONFIGURED = fail('mail_not_configured', 'Outgoing mail is not configured: set SMTP_URL (smtp://user:pass@host:587 or smtps://…).');

export function createMailer(config: { SMTP_URL?: string | null }, opts: MailerOptions = {}): Mailer {
  if (!config.SMTP_URL) {
    return {
      configured: false,
      send: async () => NOT_CONFIGURED,
      verify: async () => NOT_CONFIGURED,
      close: () => undefined,
    };
  }
  const fromUrl = parseConnectionUrl(config.SMTP_URL);
  const where = `${fromUrl.host ?? 'localhost'}:${fromUrl.port ?? (fromUrl.secure ? 465 : 587)}`;
  const transport = createTransport({
    connectionTimeout: opts.connectionTimeoutMs ?? 10_000,
    greetingTimeout: opts.greetingTimeoutMs ?? 10_000,
    socketTimeout: opts.socketTimeoutMs ?? 30_000,
    maxConnections: opts.maxConnections ?? 3,
    ...fromUrl,
    pool: true,
  });

  return {
    configured: true,
    async send(mail: OutgoingMail): Promise<SendOutcome> {
      try {
        const info = await transport.sendMail({
          from: mail.from.name ? { name: mail.from.name, address: mail.from.address } : mail.from.address,
          to: mail.to,
          bcc: mail.bcc.length ? mail.bcc : undefined,
          subject: mail.subject,
          html: mail.html ?? undefined,
          text: mail.text,
          attachments: mail.attachments?.length ? mail.attachments : undefined,
        });
        const rejected = ((info.rejected ?? []) as unknown[]).map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address)));
        return succeed({ messageId: info.messageId ?? null, rejected, response: info.response ?? null });
      } catch (e) {
        return fail('send_failed', describeSmtpError(e, where));
      }
    },
    async verify() {
      try {
        await transport.verify();
        return { ok: true as const };
      } catch (e) {
        return fail('send_failed', describeSmtpError(e, where));
      }
    },
    close: () => transport.close(),
  };
}

/** A message for the email log and the admin: what went wrong, with the server's own reply when there is one. */
function describeSmtpError(e: unknown, where: string): string {
  const err = e as { code?: string; message?: string; response?: string };
  const detail = (err.response ?? err.message ?? String(e)).replace(/\s+/g, ' ').trim();
  switch (err.code) {
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'ETIMEDOUT':
    case 'EDNS':
    case 'ECONNREFUSED':
    case 'ETLS':
    case 'EPROTOCOL':
      return `Could not reach the mail server ${where}: ${err.message ?? detail}`;
    case 'EAUTH':
      return `The mail server ${where} refused the login in SMTP_URL: ${detail}`;
    case 'EENVELOPE':
    case 'EMESSAGE':
      return `The mail server ${where} refused the message: ${detail}`;
    default:
      return `Sending through ${where} failed: ${detail}`;
  }
}
