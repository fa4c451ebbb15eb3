import type { TestApp } from './app.js';

/** A supertest agent that keeps cookies, like one browser. */
export type Agent = ReturnType<TestApp['agent']>;

/** The CSRF token of a server-rendered form (the hidden `_csrf` field). */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf field in the page');
  return m[1];
}

/** GETs a page of the agent's session and returns its CSRF token. */
export async function csrfOf(agent: Agent, path = '/admin/login'): Promise<string> {
  const page = await agent.get(path).expect(200);
  return csrfFrom(page.text);
}

/**
 * Logs a staff member in through the real login form: GET the form, read `_csrf`, POST, expect 302.
 * With `totp` (a function returning a current code), also completes the two-factor step.
 * Returns the final redirect location.
 */
export async function loginAs(agent: Agent, email: string, password: string, opts: { totp?: () => string; next?: string } = {}): Promise<string> {
  const csrf = await csrfOf(agent, opts.next ? `/admin/login?next=${encodeURIComponent(opts.next)}` : '/admin/login');
  const res = await agent
    .post('/admin/login')
    .type('form')
    .send({ email, password, _csrf: csrf, ...(opts.next ? { next: opts.next } : {}) });
  if (res.status !== 302) throw new Error(`login of ${email} answered ${res.status}, expected 302`);
  if (res.headers.location !== '/admin/login/2fa') return res.headers.location as string;
  if (!opts.totp) throw new Error(`${email} has two-factor authentication on: pass opts.totp`);
  const csrf2 = await csrfOf(agent, '/admin/login/2fa');
  const second = await agent.post('/admin/login/2fa').type('form').send({ code: opts.totp(), _csrf: csrf2 });
  if (second.status !== 302) throw new Error(`two-factor step of ${email} answered ${second.status}, expected 302`);
  return second.headers.location as string;
}
