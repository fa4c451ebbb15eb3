import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config.js';
import type { Logger } from '../../logger.js';
import type { EmailService } from '../../domain/notifications/email-service.js';
import { emailPipingFor, type EmailPiping } from '../../domain/support/piping.js';
import { MAX_MESSAGE_BYTES } from '../../domain/support/piping-message.js';

/**
 * Email piping as an SMTP listener (`smtp-server`), for a mail server that forwards support mail rather than piping
 * it to `npm run pipe`. It accepts mail only for the departments' addresses (anything else: 550 at RCPT TO, so
 * the listener is no open relay), and answers the message with 250 only once the piping service has stored it or
 * decided to ignore it. A refused message gets a 5xx (the sending server bounces it with the reason); a failure
 * of ours — database down, disk full — a 451, so the sending server keeps the message and tries again later.
 */

export interface InboundSmtpOptions {
  piping: Pick<EmailPiping, 'pipe' | 'departmentAddresses'>;
  port: number;
  host?: string;
  /** Require AUTH with these credentials (plain text over the connection: keep the listener on a private network). */
  auth?: { user: string; pass: string } | null;
  maxBytes?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, detail?: Record<string, unknown>) => void;
}

export interface InboundSmtp {
  port: number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** "user:password" (the password may contain colons) as INBOUND_SMTP_AUTH gives it. */
export function parseSmtpAuth(value: string | undefined | null): { user: string; pass: string } | null {
  if (!value) return null;
  const at = value.indexOf(':');
  return at > 0 ? { user: value.slice(0, at), pass: value.slice(at + 1) } : null;
}

export async function startInboundSmtp(opts: InboundSmtpOptions): Promise<InboundSmtp> {
  const maxBytes = opts.maxBytes ?? MAX_MESSAGE_BYTES;
  const log = opts.log ?? (() => undefined);
  const server = new SMTPServer({
    name: 'meridian-inbound',
    banner: 'Meridian support mail',
    size: maxBytes,
    // No certificate is configured for this listener: offering STARTTLS with a self-signed one would fail senders.
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) return callback(null, { user: auth.username });
      callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
    },
    onRcptTo(address, _session, callback) {
      opts.piping
        .departmentAddresses()
        .then((known) => (known.has(address.address.trim().toLowerCase()) ? callback() : callback(smtpError(550, `5.1.1 <${address.address}>: no support department receives mail at this address`))))
        .catch((e: Error) => {
          log('error', 'inbound mail: department lookup failed', { error: e.message });
          callback(smtpError(451, '4.3.0 Temporary problem looking up the recipient; try again later'));
        });
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (e) => callback(smtpError(451, `4.3.0 ${e.message}`)));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, `5.3.4 Message larger than ${maxBytes >= 1024 * 1024 ? `${Math.floor(maxBytes / 1024 / 1024)} MB` : `${Math.ceil(maxBytes / 1024)} KB`}`));
        const mailFrom = session.envelope.mailFrom;
        const recipient = session.envelope.rcptTo[0]?.address ?? null;
        opts.piping
          .pipe(Buffer.concat(chunks), { recipient, envelopeFrom: mailFrom ? mailFrom.address : '' })
          .then((out) => {
            if (!out.ok) {
              log('info', 'inbound mail refused', { recipient, reason: out.message });
              return callback(smtpError(550, `5.6.0 ${out.message.replace(/[\r\n]+/g, ' ')}`));
            }
            log('info', `inbound mail ${out.action}`, { recipient, ...(out.action === 'ignored' ? { reason: out.reason } : { ticket: out.ticketNumber }) });
            callback(null, out.action === 'ignored' ? `Accepted and ignored: ${out.reason}` : `Stored on ticket ${out.ticketNumber}`);
          })
          .catch((e: Error) => {
            log('error', 'inbound mail could not be stored', { recipient, error: e.message });
            callback(smtpError(451, '4.3.0 Temporary failure storing the message; try again later'));
          });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e: Error) => log('warn', 'inbound SMTP connection error', { error: e.message }));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The listener as `src/main.ts` starts it from the configuration (INBOUND_SMTP_PORT / _HOST / _AUTH). */
export async function startInboundMail(config: AppConfig, ds: DataSource, email: Pick<EmailService, 'sendTemplate'>, logger: Logger): Promise<InboundSmtp> {
  const piping = emailPipingFor(config, ds, email, (message, detail) => logger.warn(detail ?? {}, message));
  const listener = await startInboundSmtp({
    piping,
    port: config.INBOUND_SMTP_PORT ?? 0,
    host: config.INBOUND_SMTP_HOST,
    auth: parseSmtpAuth(config.INBOUND_SMTP_AUTH),
    log: (level, message, detail) => logger[level](detail ?? {}, message),
  });
  logger.info({ host: config.INBOUND_SMTP_HOST, port: listener.port, auth: Boolean(config.INBOUND_SMTP_AUTH) }, 'inbound support mail listener started');
  return listener;
}
