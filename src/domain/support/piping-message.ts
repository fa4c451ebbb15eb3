import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';
import { htmlToPlain, tidy } from './piping-text.js';

/** A larger message is refused before it is parsed: mail servers' usual ceiling, and far past any ticket's needs. */
export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

export interface InboundFile {
  fileName: string;
  contentType: string;
  data: Buffer;
}

/** One inbound email, as much of it as a ticket needs. Addresses are lower-cased. */
export interface InboundMessage {
  from: { address: string; name: string };
  /** The bounce address: undefined when the message carries none, '' for the null sender `<>` of a bounce. */
  returnPath: string | undefined;
  subject: string;
  /** Plain text (from the HTML part when there is no plain one), quotes still in. */
  text: string;
  files: InboundFile[];
  /** Where the message was delivered, most specific first: Delivered-To, X-Original-To, To, Cc. */
  recipients: string[];
  header(name: string): string | null;
}

const ADDRESS = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+$/;
export const normaliseAddress = (a: string | null | undefined) => (a ?? '').trim().replace(/^<|>$/g, '').toLowerCase();

function addressesOf(value: HeaderValue | AddressObject | AddressObject[] | undefined): string[] {
  if (!value) return [];
  if (typeof value === 'string') return (value.match(/[^\s<>,;"']+@[^\s<>,;"']+/g) ?? []).map(normaliseAddress);
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const v of list) {
    if (v && typeof v === 'object' && 'value' in v && Array.isArray((v as AddressObject).value)) {
      for (const a of (v as AddressObject).value) {
        if (a.address) out.push(normaliseAddress(a.address));
        for (const g of a.group ?? []) if (g.address) out.push(normaliseAddress(g.address));
      }
    }
  }
  return out;
}

/**
 * Parses one raw RFC 5322 message with mailparser. mailparser reads almost anything, so what it hands back is checked
 * for the signs of a message that is not really mail — header lines that are not headers, no sender, a multipart body
 * without a boundary — and such a message is refused rather than turned into a ticket of garbage.
 */
export async function parseInbound(raw: Buffer): Promise<{ ok: true; message: InboundMessage } | { ok: false; reason: string }> {
  if (raw.length > MAX_MESSAGE_BYTES) return { ok: false, reason: `The message is ${Math.ceil(raw.length / 1024 / 1024)} MB; messages over ${MAX_MESSAGE_BYTES / 1024 / 1024} MB are not accepted.` };
  if (!raw.length) return { ok: false, reason: 'The message is empty.' };
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  } catch (e) {
    return { ok: false, reason: `The message could not be read as MIME: ${(e as Error).message}` };
  }
  const junk = mail.headerLines.find((l) => !l.key || !/^[!-9;-~]+$/.test(l.key));
  if (junk || !mail.headerLines.length) return { ok: false, reason: 'The message has no valid header section (a header line is not "Name: value").' };
  const contentType = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (contentType?.value?.toLowerCase().startsWith('multipart/') && !contentType.params?.boundary) {
    return { ok: false, reason: 'The message says it has several parts but gives no boundary between them.' };
  }
  const sender = mail.from?.value.find((a) => a.address && ADDRESS.test(a.address.trim()));
  if (!sender?.address) return { ok: false, reason: 'The message has no valid From address.' };

  const returnPathHeader = mail.headers.get('return-path');
  const returnPath = returnPathHeader === undefined ? undefined : (addressesOf(returnPathHeader)[0] ?? '');
  const text = mail.text?.trim() ? tidy(mail.text) : typeof mail.html === 'string' ? htmlToPlain(mail.html) : '';
  const recipients = [
    ...addressesOf(mail.headers.get('delivered-to')),
    ...addressesOf(mail.headers.get('x-original-to')),
    ...addressesOf(mail.to),
    ...addressesOf(mail.cc),
  ].filter((a, i, all) => a && all.indexOf(a) === i);

  return {
    ok: true,
    message: {
      from: { address: normaliseAddress(sender.address), name: (sender.name ?? '').replace(/\s+/g, ' ').trim() },
      returnPath,
      subject: (mail.subject ?? '').replace(/\s+/g, ' ').trim(),
      text,
      files: mail.attachments.map((a) => ({ fileName: a.filename ?? '', contentType: a.contentType, data: a.content })),
      recipients,
      header(name: string) {
        const v = mail.headers.get(name.toLowerCase());
        if (v === undefined || v === null) return null;
        if (typeof v === 'string') return v;
        if (Array.isArray(v)) return v.map(String).join(', ');
        if (typeof v === 'object' && 'text' in v) return String((v as { text: string }).text);
        if (typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
        return String(v);
      },
    },
  };
}

/** The ticket number in a subject: "[Ticket TKT-000123]", as the ticket emails write it (also "[Ticket #…]"). */
export function ticketNumberIn(subject: string): string | null {
  const m = /\[\s*Ticket\s*(?:ID\s*:?\s*)?#?\s*([A-Za-z0-9][A-Za-z0-9_./-]{0,31})\s*\]/i.exec(subject);
  return m ? m[1] : null;
}

/**
 * Why a message must not become a ticket or a reply, if it is one the machines wrote: answering an auto-reply
 * with an acknowledgement that draws another auto-reply is how mail loops start. `own` holds Meridian's own
 * addresses (the sending address and the departments').
 */
export function automatedReason(msg: InboundMessage, own: { addresses: Set<string> }): string | null {
  const autoSubmitted = msg.header('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `automatic message (Auto-Submitted: ${autoSubmitted})`;
  if (msg.header('x-autoreply') !== null) return 'automatic reply (X-Autoreply)';
  if (msg.header('x-autorespond') !== null) return 'automatic reply (X-Autorespond)';
  const precedence = msg.header('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `bulk or list mail (Precedence: ${precedence})`;
  const loop = msg.header('x-loop')?.toLowerCase();
  if (loop && (loop.includes('meridian') || [...own.addresses].some((a) => loop.includes(a)))) return 'mail loop (X-Loop names this desk)';
  if (msg.returnPath === '') return 'bounce (empty return path)';
  if (/^(mailer-daemon|postmaster)@/i.test(msg.from.address)) return `bounce (from ${msg.from.address})`;
  if ((msg.header('content-type') ?? '').toLowerCase().includes('multipart/report')) return 'delivery or read report';
  if (own.addresses.has(msg.from.address)) return `mail from this desk's own address (${msg.from.address})`;
  return null;
}
