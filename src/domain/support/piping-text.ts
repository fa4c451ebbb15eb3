import { htmlToBlocks, type Block, type Run } from './rich-text.js';

/**
 * The words of an emailed message as they go into a ticket: plain text (an HTML-only message is read through the
 * rich-text reader, so markup never reaches the thread), and for replies without the quoted history the mail client
 * appended — the ticket already holds that history.
 */

const runsText = (runs: Run[]) => runs.map((r) => (r.href && r.href !== r.text.trim() && !r.href.startsWith('mailto:') ? `${r.text} (${r.href})` : r.text)).join('');

function blockText(b: Block): string {
  if (b.kind === 'list') return b.items.map((i) => `- ${runsText(i.runs)}`).join('\n');
  const text = runsText(b.runs);
  return b.kind === 'quote' ? text.split('\n').map((l) => `> ${l}`).join('\n') : text;
}

/** Plain text of an HTML body, one paragraph per block. */
export function htmlToPlain(html: string): string {
  return htmlToBlocks(html).map(blockText).filter((t) => t.trim()).join('\n\n');
}

/** "On Mon, 2 Mar 2026 at 10:00, Support <support@example.com> wrote:", possibly wrapped over two or three lines. */
const ATTRIBUTION_END = /\bwrote:\s*$/i;
const ATTRIBUTION_START = /^\s*(On|Le|Am|El|Il|Op)\s.+/;
/** Outlook and friends mark the copied message with a rule or a header block instead. */
const SEPARATORS = [/^\s*-{2,}\s*Original Message\s*-{2,}\s*$/i, /^\s*_{20,}\s*$/, /^\s*-{2,}\s*Forwarded message\s*-{2,}\s*$/i];

/**
 * Cuts the quoted history off a reply: everything from a clear attribution line ("On … wrote:") or an Outlook
 * separator on, and lines quoted with ">". Only clearly marked history goes: when nothing would be left the text is
 * kept whole, since a customer who answers inline between quoted lines still said something.
 */
export function stripQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length && cut === lines.length; i++) {
    if (SEPARATORS.some((re) => re.test(lines[i]))) cut = i;
    else if (ATTRIBUTION_START.test(lines[i])) {
      for (let j = i; j < Math.min(i + 3, lines.length); j++) {
        if (ATTRIBUTION_END.test(lines[j])) {
          cut = i;
          break;
        }
        if (j > i && !lines[j].trim()) break;
      }
    } else if (/^\s*\S.*\bwrote:\s*$/i.test(lines[i]) && /^\s*>/.test(lines[i + 1] ?? '')) cut = i;
  }
  const kept = lines.slice(0, cut).filter((l) => !/^\s*>/.test(l));
  const result = tidy(kept.join('\n'));
  return result ? result : tidy(text);
}

/** Trailing spaces off, runs of blank lines collapsed, no blank lines at either end. */
export function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
