import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on loopback (the `smtp-server` package by the nodemailer author) that keeps what it receives,
 * so tests check the mail that would reach a mailbox: envelope, headers, text and HTML parts.
 *
 * Options make it misbehave the way real servers do: refuse some recipients at RCPT TO, require a login, or speak
 * TLS from the first byte (smtps, with smtp-server's built-in self-signed certificate).
 */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** Login used, when the client authenticated. text/html have LF line ends. */
  user: string | null;
  headers: Map<string, string>;
  subject: string;
  text: string | null;
  html: string | null;
  raw: string;
}

export interface FakeSmtpOptions {
  /** Recipients refused with "550 5.1.1 No such user". */
  rejectRecipients?: (address: string) => boolean;
  /** Require AUTH with these credentials. */
  auth?: { user: string; pass: string };
  /** Implicit TLS (smtps://). */
  secure?: boolean;
}

export interface FakeSmtp {
  port: number;
  /** SMTP_URL pointing at this server (without credentials). */
  url: string;
  received: ReceivedMail[];
  /** Resolves when `count` messages have arrived (or rejects after timeoutMs). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  clear(): void;
  close(): Promise<void>;
}

export async function startFakeSmtp(opts: FakeSmtpOptions = {}): Promise<FakeSmtp> {
  const received: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    secure: opts.secure ?? false,
    // No STARTTLS on plain connections: nodemailer would upgrade and then refuse the self-signed certificate.
    disabledCommands: opts.secure ? [] : ['STARTTLS'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (opts.rejectRecipients?.(address.address)) return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({ ...parseMessage(raw), envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) }, user: (session.user as string | undefined) ?? null, raw });
        waiters.splice(0).forEach((w) => w());
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;

  return {
    port,
    url: `${opts.secure ? 'smtps' : 'smtp'}://127.0.0.1:${port}`,
    received,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return received;
    },
    clear: () => void received.splice(0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port with nothing listening on it (for "server unreachable" tests). */
export async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

// --- a small MIME reader: enough for what nodemailer writes (multipart/alternative, quoted-printable, base64) ---

function splitHead(raw: string): { head: string; body: string } {
  const i = raw.indexOf('\r\n\r\n');
  return i < 0 ? { head: raw, body: '' } : { head: raw.slice(0, i), body: raw.slice(i + 4) };
}

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const c = line.indexOf(':');
    if (c > 0) headers.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
  }
  return headers;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=); whitespace between two encoded words is dropped. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : qpBytes(data.replace(/_/g, ' ')).toString('utf8'),
    );
}

function qpBytes(s: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i], 'utf8'));
  }
  return Buffer.from(bytes);
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'quoted-printable':
      return qpBytes(body.replace(/=\r\n/g, '')).toString('utf8');
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

function parsePart(raw: string, into: { text: string | null; html: string | null }): void {
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const sections = body.split(`--${boundary}`);
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break;
      parsePart(section.replace(/^\r\n/, '').replace(/\r\n$/, ''), into);
    }
    return;
  }
  // Line ends as a mail client shows them: SMTP carries CRLF, the template wrote LF.
  const content = decodeBody(body, headers.get('content-transfer-encoding')).replace(/\r\n/g, '\n');
  if (/^text\/html/i.test(type)) into.html ??= content;
  else if (/^text\/plain/i.test(type)) into.text ??= content;
}

function parseMessage(raw: string): Omit<ReceivedMail, 'envelope' | 'user' | 'raw'> {
  const headers = parseHeaders(splitHead(raw).head);
  const parts = { text: null as string | null, html: null as string | null };
  parsePart(raw, parts);
  return { headers, subject: decodeWords(headers.get('subject') ?? ''), ...parts };
}
