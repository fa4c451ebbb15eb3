import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import * as fx from '../helpers/billing-fixtures.js';
import { chooseServer } from '../../src/domain/provisioning/placement.js';
import { chooseUsername } from '../../src/domain/provisioning/usernames.js';

/** Server placement by fill method and per-server username choice, against the real schema on both engines. */
describe(`server placement and usernames on ${testEngine()}`, () => {
  let db: TestDb;
  let clientId: number;
  let productId: number;
  let currencyId: number;
  let seq = 0;

  beforeAll(async () => {
    db = await openTestDb();
    currencyId = await fx.currency(db.ds);
    clientId = await fx.client(db.ds);
    const categoryId = (await db.ds.getRepository('ProductCategory').insert({ name: 'Hosting', slug: 'hosting' })).identifiers[0].id;
    productId = (await db.ds.getRepository('Product').insert({ categoryId, name: 'Shared Starter', slug: 'shared-starter', type: 'shared' })).identifiers[0].id;
  });
  afterAll(async () => db.close());

  const group = async (fillMethod: string, name = `Group ${++seq}`) =>
    (await db.ds.getRepository('ServerGroup').insert({ name, fillMethod })).identifiers[0].id as number;

  const server = async (serverGroupId: number | null, over: Record<string, unknown> = {}) =>
    (await db.ds.getRepository('Server').insert({
      name: `srv${++seq}`, hostname: `srv${seq}.example.net`, ipAddress: `192.0.2.${seq % 250}`, type: 'cpanel', status: 'active', maxAccounts: 100, serverGroupId, ...over,
    })).identifiers[0].id as number;

  const service = async (serverId: number | null, over: Record<string, unknown> = {}) =>
    (await db.ds.getRepository('Service').insert({
      clientId, productId, currencyId, serverId, status: 'active', domain: `s${++seq}.example`, ...over,
    })).identifiers[0].id as number;

  const services = async (serverId: number, n: number, status = 'active') => {
    for (let i = 0; i < n; i++) await service(serverId, { status });
  };

  const placed = async (groupId: number, type?: 'cpanel' | 'virtualizor') => {
    const r = await chooseServer(db.ds.manager, groupId, type ? { type } : {});
    if (!r.ok) throw new Error(`${r.error}: ${r.message}`);
    return r.serverId;
  };

  describe('chooseServer', () => {
    it('least_used picks the server with the fewest live accounts, ignoring terminated, cancelled and fraud ones', async () => {
      const g = await group('least_used');
      const [a, b, c] = [await server(g), await server(g), await server(g)];
      await services(a, 3);
      await services(b, 1);
      await services(b, 4, 'terminated');
      await services(b, 2, 'cancelled');
      await services(b, 1, 'fraud');
      await services(c, 1, 'pending');
      await services(c, 1, 'suspended');
      expect(await placed(g)).toBe(b);
      await services(b, 1, 'suspended');
      // a: 3, b: 2, c: 2 → tie goes to the lower id.
      expect(await placed(g)).toBe(b);
      await services(b, 1, 'pending');
      expect(await placed(g)).toBe(c);
    });

    it('least_used skips full, inactive and wrong-type servers', async () => {
      const g = await group('least_used');
      const full = await server(g, { maxAccounts: 2 });
      const maintenance = await server(g, { status: 'maintenance' });
      const inactive = await server(g, { status: 'inactive' });
      const vps = await server(g, { type: 'virtualizor' });
      const busy = await server(g);
      await services(full, 2);
      await services(busy, 5);
      expect(await placed(g, 'cpanel')).toBe(busy);
      expect(await placed(g)).toBe(vps);
      expect(await placed(g, 'virtualizor')).toBe(vps);
      expect([maintenance, inactive]).not.toContain(await placed(g));
    });

    it('round_robin picks the server whose newest service is oldest, never-used servers first', async () => {
      const g = await group('round_robin');
      const [a, b, c] = [await server(g), await server(g), await server(g)];
      await service(b);
      await service(a, { status: 'terminated' });
      // c has none.
      expect(await placed(g)).toBe(c);
      await service(c);
      expect(await placed(g)).toBe(b);
      await service(b);
      // Terminated accounts still mark where the last placement went: a's newest is now the oldest.
      expect(await placed(g)).toBe(a);
      await service(a);
      expect(await placed(g)).toBe(c);
      // Counts do not matter to round robin, but room does.
      await db.ds.getRepository('Server').update({ id: c }, { maxAccounts: 1 });
      expect(await placed(g)).toBe(b);
    });

    it('round_robin breaks ties between never-used servers by lowest id', async () => {
      const g = await group('round_robin');
      const [a, b] = [await server(g), await server(g)];
      expect(await placed(g)).toBe(a);
      await service(a);
      expect(await placed(g)).toBe(b);
    });

    it('fill_first fills the lowest id until full, then moves on', async () => {
      const g = await group('fill_first');
      const [a, b, c] = [await server(g, { maxAccounts: 2 }), await server(g, { maxAccounts: 2 }), await server(g, { maxAccounts: 2 })];
      await services(c, 1);
      expect(await placed(g)).toBe(a);
      await services(a, 1);
      expect(await placed(g)).toBe(a);
      await services(a, 1);
      expect(await placed(g)).toBe(b);
      await services(a, 3, 'terminated');
      await services(b, 1, 'suspended');
      await services(b, 1, 'pending');
      expect(await placed(g)).toBe(c);
      await db.ds.getRepository('Service').update({ serverId: a, status: 'active' }, { status: 'cancelled' });
      expect(await placed(g)).toBe(a);
    });

    it('treats a maximum of 0 or less as unlimited', async () => {
      const g = await group('fill_first');
      const a = await server(g, { maxAccounts: 0 });
      const b = await server(g, { maxAccounts: -1 });
      await services(a, 3);
      await services(b, 3);
      expect(await placed(g)).toBe(a);
      await db.ds.getRepository('Server').update({ id: a }, { maxAccounts: 3 });
      expect(await placed(g)).toBe(b);
    });

    it('counts soft-deleted services, whose accounts may still be on the panel', async () => {
      const g = await group('fill_first');
      const a = await server(g, { maxAccounts: 1 });
      const b = await server(g);
      const s = await service(a);
      await db.ds.getRepository('Service').softDelete({ id: s });
      expect(await placed(g)).toBe(b);
    });

    it('explains an empty group, a group without active servers of the type, and a missing group', async () => {
      const empty = await group('least_used', 'Shared US');
      expect(await chooseServer(db.ds.manager, empty, { type: 'cpanel' })).toEqual({
        ok: false, error: 'no_servers', message: 'Server group “Shared US” has no active cpanel server. Add one to the group or set an existing server\'s status to active.',
      });
      await server(empty, { status: 'inactive' });
      await server(empty, { type: 'virtualizor' });
      await server(null);
      const r = await chooseServer(db.ds.manager, empty, { type: 'cpanel' });
      expect(r.ok === false && r.error).toBe('no_servers');
      expect(r.ok === false && r.message).toContain('has no active cpanel server');
      const other = await chooseServer(db.ds.manager, empty);
      expect(other.ok).toBe(true);
      const missing = await chooseServer(db.ds.manager, 987654);
      expect(missing).toMatchObject({ ok: false, error: 'no_servers' });
      expect(missing.ok === false && missing.message).toContain('#987654 does not exist');
    });

    it('says when every server is full, with the counts', async () => {
      const g = await group('least_used', 'Shared EU');
      const servers = [await server(g, { maxAccounts: 100 }), await server(g, { maxAccounts: 100 }), await server(g, { maxAccounts: 100 })];
      // Enough rows to fill them, written in one statement per server to keep the test quick.
      for (const id of servers) {
        const rows = Array.from({ length: 100 }, () => ({ clientId, productId, currencyId, serverId: id, status: 'active', domain: `f${++seq}.example` }));
        await db.ds.getRepository('Service').insert(rows);
      }
      await server(g, { status: 'inactive' });
      expect(await chooseServer(db.ds.manager, g)).toEqual({
        ok: false, error: 'all_full',
        message: 'Every server in group “Shared EU” is full (3 servers, 300 accounts). Raise a server\'s maximum accounts or add a server to the group.',
      });
      const one = (await db.ds.getRepository('Service').findOneByOrFail({ serverId: servers[1] })) as { id: number };
      await db.ds.getRepository('Service').update({ id: one.id }, { status: 'terminated' });
      expect(await placed(g)).toBe(servers[1]);
    });
  });

  describe('chooseUsername', () => {
    it('avoids the first 8 characters of accounts on the same server, not on other servers', async () => {
      const s1 = await server(null);
      const s2 = await server(null);
      expect(await chooseUsername(db.ds.manager, s1, 'example.com')).toBe('example');
      await service(s1, { username: 'example' });
      expect(await chooseUsername(db.ds.manager, s1, 'www.example.com')).toBe('example1');
      expect(await chooseUsername(db.ds.manager, s2, 'example.com')).toBe('example');
      // An existing longer name shares the first 8 characters with example1.
      await service(s1, { username: 'example1shop' });
      await service(s1, { username: 'example2', status: 'terminated' });
      expect(await chooseUsername(db.ds.manager, s1, 'example.com')).toBe('example3');
    });

    it('matches first-8 collisions for 8-character bases and counts soft-deleted services', async () => {
      const s = await server(null);
      await service(s, { username: 'shopping' });
      expect(await chooseUsername(db.ds.manager, s, 'shoppingcart.com')).toBe('shoppin1');
      const gone = await service(s, { username: 'shoppin1' });
      await db.ds.getRepository('Service').softDelete({ id: gone });
      expect(await chooseUsername(db.ds.manager, s, 'shoppingcart.com')).toBe('shoppin2');
      // Names on the server that merely share the LIKE prefix do not block.
      await service(s, { username: 'shoes' });
      await service(s, { username: 'sho_pin3' });
      expect(await chooseUsername(db.ds.manager, s, 'shoppingcart.com')).toBe('shoppin2');
    });

    it('skips the names in `avoid`, by their first 8 characters', async () => {
      const s = await server(null);
      await service(s, { username: 'bucher' });
      expect(await chooseUsername(db.ds.manager, s, 'xn--bcher-kva.example', { avoid: new Set(['bucher1', 'bucher2']) })).toBe('bucher3');
      // A refused 7-character name only blocks itself; an 8-character prefix blocks every longer name sharing it.
      expect(await chooseUsername(db.ds.manager, s, 'xn--bcher-kva.example', { avoid: new Set(['bucher1', 'bucher2xyz']) })).toBe('bucher2');
      expect(await chooseUsername(db.ds.manager, s, 'thequickbrown.com', { avoid: new Set(['thequickfox']) })).toBe('thequic1');
      expect(await chooseUsername(db.ds.manager, s, 'shop.example', { avoid: new Set(['shop', 'SHOP1']) })).toBe('shop2');
    });

    it('without a server keeps the name unique across all servers', async () => {
      const s = await server(null);
      await service(s, { username: 'unplaced' });
      expect(await chooseUsername(db.ds.manager, null, 'unplaced.org')).toBe('unplace1');
      expect(await chooseUsername(db.ds.manager, await server(null), 'unplaced.org')).toBe('unplaced');
    });

    it('falls back to "user" for domains without usable characters', async () => {
      const s = await server(null);
      await service(s, { username: 'user' });
      expect(await chooseUsername(db.ds.manager, s, '2024.com')).toBe('user1');
    });
  });
});
