/**
 * Announcement and knowledge-base bodies are HTML written by staff. Rather than trusting that HTML on the page,
 * it is read into plain blocks of text runs (paragraphs, headings, lists, code) which the templates print with
 * normal escaping: whatever the body holds — a <script>, an onerror attribute, a javascript: link — can only ever
 * come out as text. Formatting that is not understood is dropped, its words kept.
 */

export interface Run {
  text: string;
  strong?: true;
  em?: true;
  code?: true;
  /** Only http(s), mailto and same-site paths. */
  href?: string;
}

export type Block = { kind: 'p' | 'h' | 'pre' | 'quote'; runs: Run[] } | { kind: 'list'; items: Array<{ runs: Run[] }> };

const BLOCK_TAGS = new Set(['p', 'div', 'section', 'article', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'pre', 'blockquote', 'ul', 'ol', 'br', 'hr', 'table', 'tr']);
/** Elements whose content is not text for a reader. */
const SKIPPED = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'noscript', 'textarea', 'select', 'head', 'title']);

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…', copy: '©', reg: '®', trade: '™', euro: '€', laquo: '«', raquo: '»', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

function safeHref(attrs: string): string | undefined {
  const m = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
  if (!m) return undefined;
  const href = decodeEntities(m[1] ?? m[2] ?? m[3] ?? '').trim();
  if (/^(https?:\/\/|mailto:)/i.test(href) || (href.startsWith('/') && !href.startsWith('//'))) return href;
  return undefined;
}

export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let runs: Run[] = [];
  let kind: 'p' | 'h' | 'pre' | 'quote' | 'li' = 'p';
  let strong = 0;
  let em = 0;
  let code = 0;
  let href: string | undefined;
  let skipping: string | null = null;

  const flush = () => {
    const cleaned = kind === 'pre' ? runs : trimRuns(runs);
    if (cleaned.length) {
      if (kind === 'li') {
        const last = blocks[blocks.length - 1];
        if (last?.kind === 'list') last.items.push({ runs: cleaned });
        else blocks.push({ kind: 'list', items: [{ runs: cleaned }] });
      } else blocks.push({ kind, runs: cleaned });
    }
    runs = [];
  };

  const token = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)|</g;
  for (let m = token.exec(html); m; m = token.exec(html)) {
    const [whole, closing, rawTag, attrs, text] = m;
    const tag = rawTag?.toLowerCase();
    if (skipping) {
      if (closing && tag === skipping) skipping = null;
      continue;
    }
    if (text !== undefined || whole === '<') {
      const t = decodeEntities(text ?? '<');
      const value = kind === 'pre' ? t : t.replace(/\s+/g, ' ');
      if (value) runs.push({ text: value, ...(strong ? { strong: true } : {}), ...(em ? { em: true } : {}), ...(code ? { code: true } : {}), ...(href ? { href } : {}) });
      continue;
    }
    if (!tag) continue;
    if (SKIPPED.has(tag)) {
      if (!closing && !/\/\s*$/.test(attrs ?? '')) skipping = tag;
      continue;
    }
    if (BLOCK_TAGS.has(tag)) {
      flush();
      if (closing) kind = 'p';
      else kind = /^h[1-6]$/.test(tag) ? 'h' : tag === 'li' ? 'li' : tag === 'pre' ? 'pre' : tag === 'blockquote' ? 'quote' : 'p';
      continue;
    }
    const step = closing ? -1 : 1;
    if (tag === 'strong' || tag === 'b') strong = Math.max(0, strong + step);
    else if (tag === 'em' || tag === 'i') em = Math.max(0, em + step);
    else if (tag === 'code' || tag === 'kbd' || tag === 'samp') code = Math.max(0, code + step);
    else if (tag === 'a') href = closing ? undefined : safeHref(attrs ?? '');
  }
  flush();
  return blocks;
}

function trimRuns(runs: Run[]): Run[] {
  const out = runs.map((r) => ({ ...r }));
  while (out.length && !out[0].text.trim()) out.shift();
  while (out.length && !out[out.length - 1].text.trim()) out.pop();
  if (out.length) {
    out[0].text = out[0].text.replace(/^\s+/, '');
    out[out.length - 1].text = out[out.length - 1].text.replace(/\s+$/, '');
  }
  return out;
}

/** The words of a body, for a short excerpt under a title. */
export function plainText(html: string, max = 280): string {
  const text = htmlToBlocks(html)
    .flatMap((b) => (b.kind === 'list' ? b.items.map((i) => i.runs) : [b.runs]))
    .map((runs) => runs.map((r) => r.text).join(''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).replace(/\s+\S*$/, '')}…` : text;
}
