import type { TestApp } from './app.js';
import type { FakeWhm } from '../fakes/whm-server.js';

type Row = Record<string, any>;

/**
 * A cPanel plan on sale and provisioned on the fake WHM: category, server group, server, package, product (set up on
 * payment, needs a domain) and its monthly price. `server` and `product` add or override columns.
 */
export async function cpanelPlanOnFakeWhm(
  t: TestApp,
  whm: FakeWhm,
  o: { currencyId: number; price?: number; category?: Row; server?: Row; product?: Row },
): Promise<{ productId: number; serverId: number }> {
  const save = async (entity: string, data: Row) => (await t.ds.getRepository(entity).save(t.ds.getRepository(entity).create(data))) as Row;
  const category = (await save('ProductCategory', { name: 'Hosting', slug: 'hosting', ...o.category })).id;
  const group = (await save('ServerGroup', { name: 'Shared', fillMethod: 'least_used' })).id;
  const serverId = (await save('Server', { name: 'whm1', hostname: '127.0.0.1', ipAddress: '127.0.0.1', port: whm.port, secure: false, type: 'cpanel', username: whm.user, apiToken: whm.token, serverGroupId: group, maxAccounts: 100, ...o.server })).id;
  const pkg = (await save('HostingPackage', { serverId, name: 'starter' })).id;
  const productId = (await save('Product', { categoryId: category, name: 'Starter', slug: 'starter', type: 'shared', module: 'cpanel', serverGroupId: group, hostingPackageId: pkg, autoSetup: 'payment', requireDomain: true, paymentType: 'recurring', taxable: false, ...o.product })).id;
  await save('ProductPrice', { productId, addonId: null, configOptionChoiceId: null, currencyId: o.currencyId, cycle: 'monthly', price: o.price ?? 1500, setupFee: 0, enabled: true });
  return { productId, serverId };
}
