import Handlebars from 'handlebars';
import { businessDate } from '../shared/clock.js';
import { formatMoney } from '../shared/money.js';
import { fail, type Failure } from '../shared/outcome.js';
import { SAMPLE_EMAIL_CONTEXT } from './sample-context.js';

/**
 * Email templates are edited by staff in the admin, so they are treated as untrusted input (FOSSBilling
 * CVE-2026-28496: a template engine that evaluates expressions turned `{{7*7}}` into code execution). Handlebars has
 * no expressions, and on top of that the rendering here is closed down layer by layer:
 *
 * 1. its own Handlebars environment (`Handlebars.create()`), so nothing registered elsewhere in the process leaks
 *    in, with the built-in `log` and `lookup` helpers removed and only the harmless helpers below added;
 * 2. compiled with `knownHelpersOnly`: a call of any other helper is a compile error, not a runtime lookup;
 * 3. the template's syntax tree is checked before compiling: no triple-stash / `{{& }}` (unescaped HTML), no
 *    partials (nothing is read from disk), no decorators, and no path through JavaScript internals
 *    (`constructor`, `__proto__`, `prototype`, `__defineGetter__` …);
 * 4. the data is a JSON deep copy made by the code (`toRenderContext`): no functions, class instances or getters
 *    reach the template, and Handlebars' prototype access control stays at "deny" (stated explicitly, which also
 *    keeps it from logging a warning per denied name);
 * 5. HTML bodies are escaped by default; subject and plain-text bodies are not HTML and are rendered unescaped.
 *
 * The same checks run when a template is saved (`validateTemplate`, which also renders it once with sample data so
 * runtime errors such as `{{#each}}{{/each}}` are caught there) and every time it is rendered for sending.
 */

export type TemplatePart = 'subject' | 'bodyHtml' | 'bodyText';

const PART_LABEL: Record<TemplatePart, string> = { subject: 'Subject', bodyHtml: 'HTML body', bodyText: 'Text body' };

/** Helpers a template may call. Built-in block helpers that only walk the data are kept. */
export const ALLOWED_HELPERS = ['if', 'unless', 'each', 'with', 'money', 'date', 'upper', 'lower', 'default'] as const;

/** Path segments that lead from data into the JavaScript object model. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** Subject is a header line; bodies are capped so a pasted blob cannot make every send slow. */
const MAX_LENGTH: Record<TemplatePart, number> = { subject: 255, bodyHtml: 200_000, bodyText: 200_000 };

const RUNTIME_OPTIONS = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const;

export class TemplateError extends Error {
  constructor(
    readonly part: TemplatePart,
    readonly problem: string,
  ) {
    super(`${PART_LABEL[part]}: ${problem}`);
    this.name = 'TemplateError';
  }
}

/** A render context: plain JSON data only. */
export type RenderContext = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Deep-copies data through JSON so that what the template sees is inert: functions and undefined disappear, getters
 * are read once here (by the code, not the template), Dates become ISO strings, class instances become plain
 * objects without their methods. bigint (not JSON) becomes a decimal string.
 */
export function toRenderContext(data: Record<string, unknown>): RenderContext {
  const json = JSON.stringify(data, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  return json === undefined ? {} : (JSON.parse(json) as RenderContext);
}

// ---------------------------------------------------------------------------------------------------------------
// helpers — every one takes plain values, returns a string, and never throws on bad input (it renders '').

type HelperOptions = { hash?: unknown; data?: unknown; fn?: unknown };
/** Handlebars passes its options object as the last argument; drop it so a missing argument reads as undefined. */
function args(raw: unknown[]): unknown[] {
  const last = raw[raw.length - 1] as HelperOptions | undefined;
  return last && typeof last === 'object' && 'hash' in last ? raw.slice(0, -1) : raw;
}

const toCents = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v.trim())) return Number(v.trim());
  return null;
};

/**
 * {{money cents currency}}: integer minor units → "$1,234.50". `currency` is either a prefix string ("$", "€") or a
 * currency record ({ prefix, suffix, exponent }, as the Currency entity). Anything that is not whole minor units
 * renders nothing rather than a wrong amount.
 */
function moneyHelper(...raw: unknown[]): string {
  const [amount, currency] = args(raw);
  const cents = toCents(amount);
  if (cents === null) return '';
  if (typeof currency === 'string') return formatMoney(cents, { prefix: currency });
  if (currency && typeof currency === 'object' && !Array.isArray(currency)) {
    const c = currency as { prefix?: unknown; suffix?: unknown; exponent?: unknown };
    const exponent = typeof c.exponent === 'number' && Number.isInteger(c.exponent) && c.exponent >= 0 && c.exponent <= 4 ? c.exponent : 2;
    return formatMoney(cents, { prefix: typeof c.prefix === 'string' ? c.prefix : '', suffix: typeof c.suffix === 'string' ? c.suffix : '', exponent });
  }
  return formatMoney(cents);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** {{date value}}: 'YYYY-MM-DD'. A date-only value is kept; an instant is shown as its date in the business timezone. */
function dateHelper(timeZone: string) {
  return (...raw: unknown[]): string => {
    const [value] = args(raw);
    if (typeof value !== 'string' && typeof value !== 'number') return '';
    if (typeof value === 'string' && DATE_ONLY.test(value)) return value;
    const instant = new Date(value);
    return Number.isNaN(instant.getTime()) ? '' : businessDate(instant, timeZone);
  };
}

const scalar = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

function upperHelper(...raw: unknown[]): string {
  return scalar(args(raw)[0]).toUpperCase();
}

function lowerHelper(...raw: unknown[]): string {
  return scalar(args(raw)[0]).toLowerCase();
}

/** {{default value "fallback"}}: the fallback when the value is missing or empty. */
function defaultHelper(...raw: unknown[]): string {
  const [value, fallback] = args(raw);
  const s = scalar(value);
  return s === '' ? scalar(fallback) : s;
}

// ---------------------------------------------------------------------------------------------------------------
// syntax-tree checks

interface AstNode {
  type: string;
  loc?: { start: { line: number; column: number } } | null;
  [key: string]: unknown;
}

const where = (node: AstNode) => (node.loc ? ` (line ${node.loc.start.line})` : '');

function checkNode(node: AstNode): string | null {
  switch (node.type) {
    case 'MustacheStatement':
      if (node.escaped === false) return `unescaped output {{{ … }}} or {{& … }} is not allowed${where(node)}: use {{ … }}, which escapes HTML`;
      break;
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return `partials ({{> name}}) are not allowed${where(node)}`;
    case 'Decorator':
    case 'DecoratorBlock':
      return `decorators ({{* name}}) are not allowed${where(node)}`;
    case 'PathExpression': {
      const parts = (node.parts as string[]) ?? [];
      const bad = parts.find((p) => FORBIDDEN_SEGMENTS.has(p));
      if (bad) return `"${String(node.original)}" reaches into JavaScript internals ("${bad}") and is not allowed${where(node)}`;
      break;
    }
  }
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child && typeof child === 'object' && typeof (child as AstNode).type === 'string' && child !== node.loc) {
        const problem = checkNode(child as AstNode);
        if (problem) return problem;
      }
    }
  }
  return null;
}

/** Handlebars' messages, made readable for someone editing a template in the admin. */
function describeCompileError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const parse = /^Parse error on line (\d+):\n(.*)\n.*\n(?:Expecting .*, )?got '([^']+)'/s.exec(message);
  if (parse) {
    const [, line, snippet, got] = parse;
    if (got === 'EOF') return `syntax error on line ${line}: the template ends inside a tag or a block — is a {{#block}} left without its {{/block}}?`;
    return `syntax error on line ${line} near "${snippet.trim()}": only {{variable.path}}, the helpers ${ALLOWED_HELPERS.join(', ')} and their blocks are understood (no expressions or arithmetic)`;
  }
  const mismatch = /^(\S+) doesn't match (\S+) - (\d+):\d+$/.exec(message);
  if (mismatch) return `the block {{#${mismatch[1]}}} is closed by {{/${mismatch[2]}}} (line ${mismatch[3]})`;
  const unknown = /unknown helper (\S+?)(?: - (\d+):\d+)?$/.exec(message);
  if (unknown) return `unknown helper "${unknown[1]}"${unknown[2] ? ` (line ${unknown[2]})` : ''}; allowed helpers: ${ALLOWED_HELPERS.join(', ')}`;
  return message.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------------------------

export interface RenderedEmail {
  subject: string;
  html: string | null;
  text: string;
}

export interface TemplateSource {
  subject: string;
  bodyHtml: string | null;
  bodyText: string | null;
}

export interface TemplateRenderer {
  /** Renders all parts; throws TemplateError when a part is refused or fails to render. */
  render(template: TemplateSource, data: Record<string, unknown>): RenderedEmail;
  /** Checks a template for saving: every part compiles under the rules above and renders with sample data. */
  validate(template: TemplateSource): TemplateValidation;
}

export type TemplateValidation = { ok: true } | (Failure & { errors: Partial<Record<TemplatePart, string>> });

type Compiled = (context: RenderContext) => string;

export function createTemplateRenderer(opts: { timeZone?: string } = {}): TemplateRenderer {
  const timeZone = opts.timeZone ?? 'UTC';
  const hb = Handlebars.create();
  hb.unregisterHelper('log');
  hb.unregisterHelper('lookup');
  hb.registerHelper({ money: moneyHelper, date: dateHelper(timeZone), upper: upperHelper, lower: lowerHelper, default: defaultHelper });
  const knownHelpers = { lookup: false, log: false, money: true, date: true, upper: true, lower: true, default: true } as Record<string, boolean>;

  // Compiled templates by source; bounded so a long-running process editing many templates does not grow forever.
  const cache = new Map<string, Compiled>();

  function compile(part: TemplatePart, source: string): Compiled {
    const key = `${part}\u0000${source}`;
    const hit = cache.get(key);
    if (hit) return hit;
    if (source.length > MAX_LENGTH[part]) throw new TemplateError(part, `is longer than ${MAX_LENGTH[part]} characters`);
    let ast: AstNode;
    try {
      ast = hb.parse(source) as unknown as AstNode;
    } catch (e) {
      throw new TemplateError(part, describeCompileError(e));
    }
    const problem = checkNode(ast);
    if (problem) throw new TemplateError(part, problem);
    let fn: Compiled;
    try {
      // precompile runs the compiler now (Handlebars.compile is lazy), so unknown helpers fail here.
      hb.precompile(ast as never, { knownHelpersOnly: true, knownHelpers: knownHelpers as never });
      const template = hb.compile(ast as never, { knownHelpersOnly: true, knownHelpers: knownHelpers as never, noEscape: part !== 'bodyHtml', strict: false });
      fn = (context) => template(context, RUNTIME_OPTIONS);
    } catch (e) {
      throw new TemplateError(part, describeCompileError(e));
    }
    if (cache.size >= 500) cache.clear();
    cache.set(key, fn);
    return fn;
  }

  function run(part: TemplatePart, source: string, context: RenderContext): string {
    const fn = compile(part, source);
    try {
      return fn(context);
    } catch (e) {
      throw new TemplateError(part, `does not render: ${describeCompileError(e)}`);
    }
  }

  function render(template: TemplateSource, data: Record<string, unknown>): RenderedEmail {
    const context = toRenderContext(data);
    // A header line: no line breaks (header injection) and no runs of whitespace from template indentation.
    const subject = run('subject', template.subject ?? '', context).replace(/\s+/g, ' ').trim();
    const html = template.bodyHtml?.trim() ? run('bodyHtml', template.bodyHtml, context) : null;
    const text = template.bodyText?.trim() ? run('bodyText', template.bodyText, context) : html !== null ? htmlToText(html) : '';
    return { subject, html, text };
  }

  function validate(template: TemplateSource): TemplateValidation {
    const errors: Partial<Record<TemplatePart, string>> = {};
    if (!template.subject?.trim()) errors.subject = 'is required';
    if (!template.bodyHtml?.trim() && !template.bodyText?.trim()) errors.bodyHtml = 'an HTML or a text body is required';
    const sample = toRenderContext(SAMPLE_EMAIL_CONTEXT);
    for (const part of ['subject', 'bodyHtml', 'bodyText'] as const) {
      const source = template[part];
      if (errors[part] || !source?.trim()) continue;
      try {
        run(part, source, sample);
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        errors[part] = e.problem;
      }
    }
    const parts = Object.keys(errors) as TemplatePart[];
    if (!parts.length) return { ok: true };
    const message = parts.map((p) => `${PART_LABEL[p]}: ${errors[p]}`).join('; ');
    return { ...fail('template_invalid', message, parts[0]), errors };
  }

  return { render, validate };
}

const defaultRenderer = createTemplateRenderer();

/** Used when a template is saved: `{ ok: true }`, or 'template_invalid' with a message per part at fault. */
export function validateTemplate(subject: string | null | undefined, bodyHtml: string | null | undefined, bodyText: string | null | undefined): TemplateValidation {
  return defaultRenderer.validate({ subject: subject ?? '', bodyHtml: bodyHtml ?? null, bodyText: bodyText ?? null });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", '#x3D': '=', '#x60': '`', nbsp: ' ' };

/** The plain-text alternative of an HTML body when the template has none: tags dropped, links kept as "text (url)". */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, label: string) => (label.trim() === href.trim() ? href : `${label} (${href})`))
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr|table)>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|#x27|#x3D|#x60|nbsp);/g, (_m, name: string) => ENTITIES[name])
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
