import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** templates/client, found from the source tree or from dist/ (compiled code runs two levels deeper). */
export function clientTemplatesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../../templates/client', '../../../templates/client']) {
    const dir = resolve(here, up);
    if (existsSync(join(dir, 'layout.hbs'))) return dir;
  }
  throw new Error('templates/client/layout.hbs not found: the client area cannot be rendered');
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.hbs') ? [path] : [];
  });
}

/**
 * The client area's Handlebars: every template under templates/client by its path without extension
 * ('invoices/show'), partials from templates/client/partials ({{> flash}}), a layout. Compiled once at start.
 * Output is escaped by Handlebars ({{x}}); templates never use the triple-stash on anything a person typed.
 */
export class ClientViews {
  private readonly hbs = Handlebars.create();
  private readonly views = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;

  constructor(dir = clientTemplatesDir()) {
    const h = this.hbs;
    h.registerHelper('eq', (a: unknown, b: unknown) => String(a) === String(b));
    h.registerHelper('ne', (a: unknown, b: unknown) => String(a) !== String(b));
    h.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
    h.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
    h.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    h.registerHelper('not', (a: unknown) => !a);
    h.registerHelper('selected', (a: unknown, b: unknown) => (String(a) === String(b) ? 'selected' : ''));
    h.registerHelper('checked', (a: unknown) => (a === true || a === 'true' || a === 'on' || a === 1 || a === '1' ? 'checked' : ''));
    h.registerHelper('date', (d: unknown) => (d ? String(d instanceof Date ? d.toISOString() : d).slice(0, 10) : ''));
    h.registerHelper('datetime', (d: unknown) => (d ? `${String(d instanceof Date ? d.toISOString() : d).slice(0, 16).replace('T', ' ')} UTC` : ''));
    h.registerHelper('capitalize', (s: unknown) => (typeof s === 'string' && s ? s[0].toUpperCase() + s.slice(1).replace(/_/g, ' ') : ''));
    for (const file of walk(dir)) {
      const name = relative(dir, file).replace(/\\/g, '/').replace(/\.hbs$/, '');
      if (name.startsWith('partials/')) h.registerPartial(name.slice('partials/'.length), readFileSync(file, 'utf8'));
      else this.views.set(name, h.compile(readFileSync(file, 'utf8'), { strict: false }));
    }
    this.layout = this.views.get('layout')!;
  }

  has(view: string): boolean {
    return this.views.has(view);
  }

  render(view: string, data: Record<string, unknown>): string {
    const template = this.views.get(view);
    if (!template) throw new Error(`Client area view "${view}" does not exist (templates/client/${view}.hbs)`);
    return this.layout({ ...data, body: template(data) });
  }
}
