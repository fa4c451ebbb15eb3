import { ValidationError, type ActionContext, type ActionRequest } from 'adminjs';
import { validateBeforeSave } from '../../actions/system/email-template-actions.js';
import { DEMO_EMAIL_TEMPLATES } from '../../src/demo/content-text.js';
import { SAMPLE_EMAIL_CONTEXT } from '../../src/domain/notifications/sample-context.js';
import { createTemplateRenderer, htmlToText, TemplateError, toRenderContext, validateTemplate } from '../../src/domain/notifications/template-renderer.js';

const renderer = createTemplateRenderer({ timeZone: 'America/New_York' });
const html = (bodyHtml: string, data: Record<string, unknown> = SAMPLE_EMAIL_CONTEXT) => renderer.render({ subject: 'x', bodyHtml, bodyText: 'x' }, data).html;
const problemOf = (bodyHtml: string) => {
  const v = validateTemplate('Subject', bodyHtml, null);
  return v.ok ? null : v.errors.bodyHtml;
};

describe('email templates: rendering', () => {
  it('renders a demo template with its variables', () => {
    const tpl = DEMO_EMAIL_TEMPLATES.find((t) => t.name === 'invoice_reminder')!;
    const out = renderer.render(tpl, SAMPLE_EMAIL_CONTEXT);
    expect(out.subject).toBe('Reminder: invoice INV-2026-00042 is due on 2026-03-15');
    expect(out.text).toBe(
      'Dear Alex,\n\nThis is a friendly reminder that invoice INV-2026-00042 for $118.00 is due on 2026-03-15.\n\n' +
        'Pay online: https://meridian-demo.test/invoices/42. If you have already paid, please disregard this message.\n\n' +
        'Kind regards,\nMeridian Demo Hosting\nhttps://meridian-demo.test',
    );
    expect(out.html).toContain('<p>Pay online: <a href="https://meridian-demo.test/invoices/42">https://meridian-demo.test/invoices/42</a>.');
  });

  it('every demo template is valid and every variable it uses exists in the sample data', () => {
    const missing: string[] = [];
    for (const t of DEMO_EMAIL_TEMPLATES) {
      expect([t.name, validateTemplate(t.subject, t.bodyHtml, t.bodyText)]).toEqual([t.name, { ok: true }]);
      for (const [, path] of `${t.subject}${t.bodyHtml}${t.bodyText}`.matchAll(/{{\s*([\w.]+)\s*}}/g)) {
        const value = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), SAMPLE_EMAIL_CONTEXT);
        if (value === undefined || typeof value === 'object') missing.push(`${t.name}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('escapes HTML in the HTML body, and leaves subject and text as plain text', () => {
    const client = { firstName: '<script>alert("x")</script> & Co' };
    const out = renderer.render({ subject: 'Hello {{client.firstName}}', bodyHtml: '<p>Dear {{client.firstName}},</p>', bodyText: 'Dear {{client.firstName}},' }, { client });
    expect(out.html).toBe('<p>Dear &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co,</p>');
    expect(out.subject).toBe('Hello <script>alert("x")</script> & Co');
    expect(out.text).toBe('Dear <script>alert("x")</script> & Co,');
  });

  it('keeps the subject on one line (no header injection)', () => {
    const out = renderer.render({ subject: 'Invoice {{n}}', bodyHtml: null, bodyText: 'x' }, { n: '1\r\nBcc: victim@example.test' });
    expect(out.subject).toBe('Invoice 1 Bcc: victim@example.test');
  });

  it('generates the text part from the HTML when the template has none', () => {
    const out = renderer.render({ subject: 's', bodyHtml: '<p>Hi {{name}},</p><p>Pay: <a href="{{url}}">here</a><br>Thanks &amp; bye</p>', bodyText: null }, { name: 'Ann & Bob', url: 'https://x.test/?a=1&b=2' });
    expect(out.text).toBe('Hi Ann & Bob,\n\nPay: here (https://x.test/?a=1&b=2)\nThanks & bye');
    expect(htmlToText('<style>p{}</style><ul><li>a</li><li>b</li></ul>')).toBe('a\n\nb');
  });

  it('offers money, date, upper, lower and default helpers', () => {
    expect(html('{{money invoice.totalCents "$"}}')).toBe('$118.00');
    expect(html('{{money 123456789 currency}}')).toBe('$1,234,567.89');
    expect(html('{{money -50 c}}', { c: { prefix: '', suffix: ' EUR', exponent: 2 } })).toBe('-0.50 EUR');
    expect(html('{{money 1500 c}}', { c: { prefix: '¥', exponent: 0 } })).toBe('¥1,500');
    expect(html('[{{money 1.5 "$"}}][{{money "abc" "$"}}][{{money}}]')).toBe('[][][]');
    expect(html('{{date d}}|{{date t}}|{{date "nonsense"}}|{{date}}', { d: '2026-02-28', t: new Date('2026-01-01T02:00:00Z') })).toBe('2026-02-28|2025-12-31||');
    expect(html('{{upper s}} {{lower s}} {{upper}}', { s: 'MiXed' })).toBe('MIXED mixed ');
    expect(html('{{default a "friend"}}/{{default b "friend"}}/{{default c "friend"}}', { a: 'Ann', b: '' })).toBe('Ann/friend/friend');
    expect(html('{{#each invoice.items}}{{description}}={{amount}};{{/each}}')).toBe(
      'Business Hosting (example.test) 2026-03-15 – 2026-04-14=$100.00;VAT 18%=$18.00;',
    );
    expect(html('{{#if client.companyName}}Co{{else}}none{{/if}}{{#unless x}}!{{/unless}}{{#with client}}{{lastName}}{{/with}}')).toBe('Co!Morgan');
  });

  it('copies the context through JSON: no functions, getters or prototypes reach the template', () => {
    class Invoice {
      number = 'INV-1';
      secret() {
        return 'leaked';
      }
    }
    let reads = 0;
    const data = {
      invoice: new Invoice(),
      fn: () => 'called',
      get lazy() {
        reads += 1;
        return 'read-once';
      },
      at: new Date('2026-01-02T03:04:05Z'),
      big: 10n,
      gone: undefined,
    };
    expect(toRenderContext(data)).toEqual({ invoice: { number: 'INV-1' }, lazy: 'read-once', at: '2026-01-02T03:04:05.000Z', big: '10' });
    expect(reads).toBe(1);
    expect(html('[{{invoice.number}}][{{invoice.secret}}][{{fn}}][{{lazy}}]', data)).toBe('[INV-1][][][read-once]');
  });
});

describe('email templates: injection attempts', () => {
  afterEach(() => {
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });

  it.each([
    // FOSSBilling CVE-2026-28496 class (Twig): expressions and filters are not Handlebars syntax
    ['{{7*7}}', 'syntax error on line 1 near "{{7*7}}": only {{variable.path}}, the helpers if, unless, each, with, money, date, upper, lower, default and their blocks are understood (no expressions or arithmetic)'],
    ["{{ ['id']|filter('system') }}", /^syntax error on line 1 near/],
    ['{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}', /^syntax error on line 1 near/],
    ["{{ app.request.server.get('DOCUMENT_ROOT') }}", /^syntax error on line 1 near/],
    // reaching the Function constructor through the prototype chain
    ['{{constructor.constructor "globalThis.pwned = 1"}}', '"constructor.constructor" reaches into JavaScript internals ("constructor") and is not allowed (line 1)'],
    ['{{#with this}}{{lookup this "constructor"}}{{/with}}', 'unknown helper "lookup" (line 1); allowed helpers: if, unless, each, with, money, date, upper, lower, default'],
    ['{{__proto__}}', '"__proto__" reaches into JavaScript internals ("__proto__") and is not allowed (line 1)'],
    ['{{this.constructor.name}}', '"this.constructor.name" reaches into JavaScript internals ("constructor") and is not allowed (line 1)'],
    ['{{@root.constructor}}', '"@root.constructor" reaches into JavaScript internals ("constructor") and is not allowed (line 1)'],
    ['{{client.[constructor].[prototype]}}', '"client.constructor.prototype" reaches into JavaScript internals ("constructor") and is not allowed (line 1)'],
    ['{{client.__defineGetter__ "x" client}}', '"client.__defineGetter__" reaches into JavaScript internals ("__defineGetter__") and is not allowed (line 1)'],
    ['{{default x y=constructor}}', '"constructor" reaches into JavaScript internals ("constructor") and is not allowed (line 1)'],
    // the classic Handlebars RCE chain (lookup + Function.apply)
    [
      '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}' +
        '{{#with string.split as |codelist|}}{{this.pop}}{{this.push "globalThis.pwned = 1"}}{{this.pop}}{{#each conslist}}' +
        '{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}',
      /^unknown helper/,
    ],
    // output, partials, decorators, helpers that are not on the list
    ['{{{client.firstName}}}', 'unescaped output {{{ … }}} or {{& … }} is not allowed (line 1): use {{ … }}, which escapes HTML'],
    ['{{& client.firstName}}', 'unescaped output {{{ … }}} or {{& … }} is not allowed (line 1): use {{ … }}, which escapes HTML'],
    ['{{> ../../../etc/passwd}}', 'partials ({{> name}}) are not allowed (line 1)'],
    ['{{#> layout}}x{{/layout}}', 'partials ({{> name}}) are not allowed (line 1)'],
    ['{{*inline "x"}}', 'decorators ({{* name}}) are not allowed (line 1)'],
    ['{{log "hello"}}', 'unknown helper "log" (line 1); allowed helpers: if, unless, each, with, money, date, upper, lower, default'],
    // broken templates
    ['{{#each invoice.items}}', 'syntax error on line 1: the template ends inside a tag or a block — is a {{#block}} left without its {{/block}}?'],
    ['{{#each}}{{/each}}', 'does not render: Must pass iterator to #each'],
    ['{{#if a}}x{{/each}}', 'the block {{#if}} is closed by {{/each}} (line 1)'],
  ])('refuses %s', (source, expected) => {
    const problem = problemOf(source);
    if (typeof expected === 'string') expect(problem).toBe(expected);
    else expect(problem).toMatch(expected);
    // refused when sending too, not only when saving
    expect(() => html(source)).toThrow(TemplateError);
  });

  it.each([
    // not Handlebars at all: stays literal text, evaluates nothing
    ['{% set x = 7*7 %}{{x}}', '{% set x = 7*7 %}'],
    ['${7*7}#{7*7}<%= 7*7 %>', '${7*7}#{7*7}<%= 7*7 %>'],
    // names on Object.prototype resolve to nothing (Handlebars' prototype access control, kept at deny)
    ['[{{toString}}][{{client.valueOf}}][{{hasOwnProperty}}][{{#with client}}{{isPrototypeOf}}{{/with}}]', '[][][][]'],
    // a raw block is a block over the data (here missing): its inside stays text and is not shown
    ['{{{{raw}}}}{{constructor}}{{{{/raw}}}}', ''],
    // a string's own `length` is data, not a way out
    ['{{client.firstName.length}}', '4'],
  ])('renders %s harmlessly', (source, expected) => {
    expect(validateTemplate('s', source, null)).toEqual({ ok: true });
    expect(html(source)).toBe(expected);
  });

  it('names each part at fault and requires a subject and a body', () => {
    expect(validateTemplate('{{7*7}}', '<p>{{{x}}}</p>', '{{#if}}')).toEqual({
      ok: false,
      error: 'template_invalid',
      field: 'subject',
      message: expect.stringMatching(/^Subject: syntax error on line 1 .*; HTML body: unescaped output .*; Text body: syntax error on line 1/),
      errors: {
        subject: expect.stringMatching(/^syntax error on line 1 near "{{7\*7}}"/),
        bodyHtml: 'unescaped output {{{ … }}} or {{& … }} is not allowed (line 1): use {{ … }}, which escapes HTML',
        bodyText: expect.stringMatching(/^syntax error on line 1/),
      },
    });
    expect(validateTemplate('', '', null)).toEqual({
      ok: false,
      error: 'template_invalid',
      field: 'subject',
      message: 'Subject: is required; HTML body: an HTML or a text body is required',
      errors: { subject: 'is required', bodyHtml: 'an HTML or a text body is required' },
    });
    expect(validateTemplate('Hi', null, 'Text only {{client.firstName}}')).toEqual({ ok: true });
    expect(validateTemplate('x'.repeat(256), 'b', null)).toMatchObject({ ok: false, errors: { subject: 'is longer than 255 characters' } });
  });
});

describe('email templates: validateBeforeSave hook', () => {
  const ctx = (params?: Record<string, unknown>) => ({ record: params ? { params } : undefined }) as unknown as ActionContext;
  const post = (payload: Record<string, unknown>) => ({ method: 'post', payload }) as unknown as ActionRequest;

  it('passes a valid template and the GET that shows the form', async () => {
    const request = post({ name: 'x', subject: 'Hi {{client.firstName}}', bodyHtml: '<p>ok</p>', bodyText: '', fromEmail: '', bcc: 'a@x.test, b@x.test' });
    await expect(validateBeforeSave(request, ctx())).resolves.toBe(request);
    const get = { method: 'get' } as ActionRequest;
    await expect(validateBeforeSave(get, ctx())).resolves.toBe(get);
  });

  it('throws a ValidationError naming the fields at fault', async () => {
    const error = await validateBeforeSave(post({ subject: 'Hi', bodyHtml: '{{7*7}}', bodyText: '{{lookup this "x"}}', fromEmail: 'not-an-address', bcc: 'ok@x.test, nope' }), ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const { propertyErrors, baseError } = error as ValidationError;
    expect(Object.keys(propertyErrors).sort()).toEqual(['bcc', 'bodyHtml', 'bodyText', 'fromEmail']);
    expect(propertyErrors.bodyHtml.message).toMatch(/^syntax error on line 1 near "{{7\*7}}"/);
    expect(propertyErrors.bodyText.message).toBe('unknown helper "lookup" (line 1); allowed helpers: if, unless, each, with, money, date, upper, lower, default');
    expect(propertyErrors.fromEmail.message).toBe('is not an email address');
    expect(propertyErrors.bcc.message).toBe('not email addresses: nope');
    expect(baseError?.message).toMatch(/^The template was not saved\. bodyHtml: syntax error/);
  });

  it('on edit, checks the stored value of a field the form did not send, and keeps system template names', async () => {
    const stored = { name: 'invoice_created', subject: 'Invoice {{invoice.number}}', bodyHtml: '<p>{{{x}}}</p>', bodyText: null, isSystem: true };
    const e1 = (await validateBeforeSave(post({ subject: 'New subject' }), ctx(stored)).catch((e: unknown) => e)) as ValidationError;
    expect(Object.keys(e1.propertyErrors)).toEqual(['bodyHtml']);
    const e2 = (await validateBeforeSave(post({ name: 'renamed', bodyHtml: '<p>ok</p>' }), ctx(stored)).catch((e: unknown) => e)) as ValidationError;
    expect(e2.propertyErrors).toEqual({ name: { message: 'Meridian sends this template by its name: it cannot be renamed (disable it instead)' } });
  });
});
