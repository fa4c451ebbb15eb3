import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';

/** The public support pages: announcements, the knowledge base and its search, the network status. */
describe(`client-area announcements, knowledge base and network status on ${testEngine()}`, () => {
  let t: TestApp;
  const id: Record<string, number> = {};
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
  const HOSTILE = '<p>Hello <strong>there</strong><script>alert(1)</script><img src=x onerror="alert(2)"> <a href="javascript:alert(3)">bad link</a> <a href="https://docs.example/guide">good link</a> &lt;b&gt;</p><ul><li>one</li><li>two</li></ul>';

  beforeAll(async () => {
    t = await startTestApp();
    const ann = t.ds.getRepository('Announcement');
    id.old = (await ann.insert({ title: 'Frankfurt is live', body: '<p>New location.</p>', published: true, publishedAt: daysAgo(30) })).identifiers[0].id;
    id.recent = (await ann.insert({ title: 'NVMe everywhere', body: HOSTILE, published: true, publishedAt: daysAgo(2) })).identifiers[0].id;
    id.draft = (await ann.insert({ title: 'Draft holiday hours', body: '<p>Draft</p>', published: false, publishedAt: daysAgo(1) })).identifiers[0].id;
    id.future = (await ann.insert({ title: 'Coming next month', body: '<p>Soon</p>', published: true, publishedAt: daysAgo(-10) })).identifiers[0].id;

    const cats = t.ds.getRepository('KnowledgeBaseCategory');
    id.cat = (await cats.insert({ name: 'Getting Started', sortOrder: 1 })).identifiers[0].id;
    id.hiddenCat = (await cats.insert({ name: 'Internal', hidden: true, sortOrder: 2 })).identifiers[0].id;
    const kb = t.ds.getRepository('KnowledgeBaseArticle');
    const article = (title: string, slug: string, body: string, over: Record<string, unknown> = {}) => kb.insert({ categoryId: id.cat, title, slug, body, published: true, ...over });
    await article('Our 100% uptime promise', 'uptime', '<p>We aim for it.</p>');
    await article('Naming databases', 'naming', '<p>Use names like shop_db for each site.</p>');
    await article('Naming mailboxes', 'mailboxes', '<p>Names like shopXdb are fine.</p>');
    await article('Formatting test', 'formatting', HOSTILE);
    await article('Unfinished 100% draft', 'draft-article', '<p>Not yet.</p>', { published: false });
    await article('Secret 100% runbook', 'runbook', '<p>Hidden category.</p>', { categoryId: id.hiddenCat });

    await t.ds.getRepository('NetworkIssue').insert([
      { title: 'Packet loss in Dallas', description: 'Fixed by replacing a line card.', type: 'system', affectedSystem: 'Dallas network', status: 'resolved', priority: 'high', startAt: daysAgo(20), endAt: daysAgo(20) },
      { title: 'Old disk swap', description: null, type: 'other', affectedSystem: 'Backups', status: 'resolved', priority: 'low', startAt: daysAgo(40), endAt: daysAgo(40) },
      { title: 'Kernel updates', description: 'Reboots one after the other.', type: 'system', affectedSystem: 'KVM nodes', status: 'scheduled', priority: 'medium', startAt: daysAgo(-5) },
      { title: 'Delayed email to Microsoft', description: 'Deferred by <b>Outlook</b>.', type: 'system', affectedSystem: 'Outbound email', status: 'investigating', priority: 'medium', startAt: daysAgo(0) },
    ]);
  });

  afterAll(async () => {
    await t?.close();
  });

  test('announcements: published ones, newest first; drafts and future ones are 404', async () => {
    const list = await t.agent().get('/announcements').expect(200);
    expect(list.text.indexOf('NVMe everywhere')).toBeGreaterThan(-1);
    expect(list.text.indexOf('NVMe everywhere')).toBeLessThan(list.text.indexOf('Frankfurt is live'));
    expect(list.text).not.toContain('Draft holiday hours');
    expect(list.text).not.toContain('Coming next month');
    await t.agent().get(`/announcements/${id.old}`).expect(200);
    await t.agent().get(`/announcements/${id.draft}`).expect(404);
    await t.agent().get(`/announcements/${id.future}`).expect(404);
    await t.agent().get('/announcements/999999').expect(404);
    await t.agent().get('/announcements/abc').expect(404);
  });

  test.each([['announcement', () => `/announcements/${id.recent}`], ['article', () => '/knowledgebase/formatting']])(
    "the %s body keeps safe formatting and shows everything else as text",
    async (_label, path) => {
      const page = await t.agent().get(path()).expect(200);
      expect(page.text).toContain('Hello <strong>there</strong>');
      expect(page.text).toContain('<a href="https://docs.example/guide" rel="nofollow noopener noreferrer">good link</a>');
      expect(page.text).toContain('<li>one</li><li>two</li>');
      expect(page.text).toContain('&lt;b&gt;');
      for (const bad of ['<script>alert(1)', 'alert(1)', 'onerror', 'javascript:', '<img']) expect(page.text).not.toContain(bad);
      expect(page.text).toContain('bad link');
    },
  );

  test('the knowledge base lists published articles of listed categories', async () => {
    const page = await t.agent().get('/knowledgebase').expect(200);
    expect(page.text).toContain('Getting Started');
    expect(page.text).toContain('Naming databases');
    expect(page.text).not.toContain('Unfinished 100% draft');
    expect(page.text).not.toContain('Internal');
    expect(page.text).not.toContain('Secret 100% runbook');
  });

  test('search treats % and _ literally and finds only published, listed articles', async () => {
    const search = async (q: string) => (await t.agent().get('/knowledgebase').query({ q }).expect(200)).text;
    const percent = await search('%');
    expect(percent).toContain('Our 100% uptime promise');
    expect(percent).not.toContain('Naming databases');
    expect(percent).not.toContain('Unfinished 100% draft');
    expect(percent).not.toContain('Secret 100% runbook');
    const underscore = await search('shop_db');
    expect(underscore).toContain('Naming databases');
    expect(underscore).not.toContain('Naming mailboxes');
    expect(await search('_')).not.toContain('Naming mailboxes');
    expect(await search("!'\\")).toContain('0 articles found');
    const hostile = await search('<script>alert(1)</script>');
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).not.toContain('<script>alert(1)</script>');
  });

  test('an article counts its views; unpublished or unknown ones are 404', async () => {
    const views = async () => ((await t.ds.getRepository('KnowledgeBaseArticle').findOneByOrFail({ slug: 'uptime' })) as { views: number }).views;
    const before = await views();
    const page = await t.agent().get('/knowledgebase/uptime').expect(200);
    expect(page.text).toContain('We aim for it.');
    await t.agent().get('/knowledgebase/uptime').expect(200);
    expect(await views()).toBe(before + 2);
    await t.agent().get('/knowledgebase/draft-article').expect(404);
    await t.agent().get('/knowledgebase/no-such-article').expect(404);
    // Reachable by its link even though its category is not listed.
    await t.agent().get('/knowledgebase/runbook').expect(200);
  });

  test('network status lists current, scheduled and resolved issues, newest first', async () => {
    const page = (await t.agent().get('/network-status').expect(200)).text;
    const at = (s: string) => page.indexOf(s);
    expect(at('Current issues')).toBeLessThan(at('Delayed email to Microsoft'));
    expect(at('Delayed email to Microsoft')).toBeLessThan(at('Scheduled maintenance'));
    expect(at('Scheduled maintenance')).toBeLessThan(at('Kernel updates'));
    expect(at('Kernel updates')).toBeLessThan(at('Resolved'));
    expect(at('Resolved')).toBeLessThan(at('Packet loss in Dallas'));
    expect(at('Packet loss in Dallas')).toBeLessThan(at('Old disk swap'));
    expect(page).toContain('Affects: Outbound email');
    expect(page).toContain('Deferred by &lt;b&gt;Outlook&lt;/b&gt;.');
    expect(page).not.toContain('All systems are running normally');
  });
});
