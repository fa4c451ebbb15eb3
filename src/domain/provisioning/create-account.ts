import { chooseServer } from './placement.js';
import { chooseUsername, generatePassword } from './usernames.js';
import { done, failed, fromProvider, providerOf, retry, type JobContext, type ProductRow, type ProvisioningDeps, type StepResult } from './context.js';
import type { HostingProvider, RemoteAccount } from './provider.js';
import type { ServerRow } from './servers.js';
import { sendWelcome } from './welcome.js';

/** Reasons WHM gives when the name is taken or not allowed: pick another name and try again. */
const NAME_REFUSED = /already has an account named|already has a group named|already has a database owner named|same initial|reserved username|not a valid username|group for that username already exists/i;
const MAX_NAMES = 5;

/**
 * Creates the account of a service — safely repeatable. createacct is not idempotent (a retry after a timeout finds
 * the first account and fails, or worse, makes a second one), so:
 * 1. the chosen server, username and password are saved on the service before the panel is called, and every retry
 *    reuses them;
 * 2. before creating, and after any failure that may hide a success, the panel is searched: an account that is ours
 *    (same user and domain / same hostname and owner) is adopted, one that is someone else's makes us pick a new name;
 * 3. the steps after it (recording the account, the welcome email) undo the account when they fail, so a failed
 *    job leaves nothing behind for the retry to trip over.
 */
export async function createAccount(deps: ProvisioningDeps, ctx: JobContext): Promise<StepResult> {
  const { service, product, client } = ctx;
  if (product.module === 'none') return done({ skipped: 'The product has no provisioning module; set it up by hand.' });
  if (service.providerRef) {
    // Already created by an earlier attempt that stopped before its email went out.
    if (!service.providerData?.welcomeSentAt) await sendWelcome(deps, ctx, null).catch(() => undefined);
    return done({ ref: service.providerRef, already: true });
  }
  if (!['pending', 'active'].includes(service.status)) return done({ skipped: `The service is ${service.status}.` });

  let serverId = service.serverId;
  if (!serverId) {
    if (!product.serverGroupId) return failed(`Product “${product.name}” has no server group, so there is no server to create the account on.`);
    const placed = await chooseServer(deps.ds.manager, product.serverGroupId, { type: product.module });
    if (!placed.ok) return retry(placed.message);
    serverId = placed.serverId;
    await deps.ds.getRepository('Service').update({ id: service.id }, { serverId });
  }
  const found = await providerOf(deps, serverId);
  if ('message' in found) return failed(found.message);
  const { server, provider } = found;
  if (server.type !== product.module) return failed(`Server “${server.name}” is a ${server.type} server but product “${product.name}” uses the ${product.module} module.`);
  const plan = await planOf(deps, ctx);
  if (!plan) return failed(product.module === 'cpanel' ? `Product “${product.name}” has no WHM package.` : `Product “${product.name}” has no Virtualizor plan (module setting planId).`);
  const domain = service.domain?.trim().toLowerCase() || (product.module === 'virtualizor' ? `vps${service.id}.${server.hostname}` : null);
  if (!domain) return failed('A hosting account needs a domain; the service has none.');

  const avoid = new Set<string>();
  for (let attempt = 0; attempt < MAX_NAMES; attempt++) {
    const username = attempt === 0 && service.username ? service.username : await chooseUsername(deps.ds.manager, serverId, domain, { avoid });
    const password = service.password ?? generatePassword();
    await deps.ds.getRepository('Service').update({ id: service.id }, { username, password, domain });
    Object.assign(service, { username, password, domain, serverId });

    const existing = await lookFor(provider, server, username, domain, client.email);
    if (!existing.ok) return existing.step;
    if (existing.account) {
      if (isOurs(server, existing.account, username, domain)) return finish(deps, ctx, provider, existing.account.ref, existing.account.ip, false);
      avoid.add(username);
      continue;
    }
    const created = await provider.createAccount({
      username, password, domain, contactEmail: client.email, plan,
      osTemplate: optionString(product.moduleConfig, 'osTemplate', 'osId'), virt: optionString(product.moduleConfig, 'virtType', 'virt'),
      firstName: client.firstName, lastName: client.lastName,
    });
    if (created.ok) return finish(deps, ctx, provider, created.ref, created.ip, true);
    if (created.failure === 'transient') {
      // The panel may have created it anyway (createacct outliving the timeout): look before trying again.
      const again = await lookFor(provider, server, username, domain, client.email);
      if (again.ok && again.account && isOurs(server, again.account, username, domain)) return finish(deps, ctx, provider, again.account.ref, again.account.ip, false);
      return retry(created.message);
    }
    if (created.failure === 'permanent' && NAME_REFUSED.test(created.message)) {
      avoid.add(username);
      continue;
    }
    return fromProvider(created);
  }
  return failed(`No free username after ${MAX_NAMES} tries (refused: ${[...avoid].join(', ')}).`);
}

async function lookFor(provider: HostingProvider, server: ServerRow, username: string, domain: string, email: string) {
  const r = await provider.findAccount(server.type === 'cpanel' ? { username, domain } : { domain, email });
  return r.ok ? { ok: true as const, account: r.account } : { ok: false as const, step: fromProvider(r) };
}

/** An account is ours when it is exactly what this service asked for; a namesake belongs to someone else. */
function isOurs(server: ServerRow, account: RemoteAccount, username: string, domain: string): boolean {
  const same = (a: string | null, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();
  return server.type === 'cpanel' ? same(account.username, username) && same(account.domain, domain) : same(account.domain, domain);
}

/** Records the account on the service and sends the welcome email; undoes the account if either fails. */
async function finish(deps: ProvisioningDeps, ctx: JobContext, provider: HostingProvider, ref: string, ip: string | null, createdNow: boolean): Promise<StepResult> {
  const { service } = ctx;
  const undoAccount = async (why: string) => {
    if (!createdNow) return why;
    const removed = await provider.terminate(ref);
    return removed.ok || removed.failure === 'not_found' ? `${why} The new account ${ref} was removed again.` : `${why} Removing the new account ${ref} failed too: ${removed.message}`;
  };
  const before = { status: service.status, providerData: service.providerData, dedicatedIp: service.dedicatedIp };
  const providerData = { ...(service.providerData ?? {}), createdAt: deps.clock.now().toISOString(), adopted: !createdNow };
  try {
    await deps.ds.getRepository('Service').update(
      { id: service.id },
      { providerRef: ref, dedicatedIp: ip ?? service.dedicatedIp, providerData, ...(service.status === 'pending' ? { status: 'active' } : {}) },
    );
  } catch (e) {
    return retry(await undoAccount(`Recording the account on the service failed: ${(e as Error).message}.`));
  }
  Object.assign(service, { providerRef: ref, dedicatedIp: ip ?? service.dedicatedIp, providerData });
  const mail = await sendWelcome(deps, ctx, ip);
  if (mail.kind === 'done') return done({ ref, ip, adopted: !createdNow, welcome: mail.result.sent ?? false });
  await deps.ds.getRepository('Service').update({ id: service.id }, { providerRef: null, ...before });
  Object.assign(service, { providerRef: null, ...before });
  const why = await undoAccount(`The welcome email could not be sent: ${mail.message}.`);
  return mail.kind === 'retry' ? retry(why) : failed(why);
}

const planOf = (deps: ProvisioningDeps, ctx: JobContext) => planOfProduct(deps.ds, ctx.product);

/** The WHM package name or Virtualizor plan id a product's accounts are made with; null when it has none. */
export async function planOfProduct(ds: ProvisioningDeps['ds'], product: Pick<ProductRow, 'module' | 'moduleConfig' | 'hostingPackageId'>): Promise<string | null> {
  if (product.module === 'cpanel') {
    const override = optionString(product.moduleConfig, 'package');
    if (override) return override;
    if (!product.hostingPackageId) return null;
    const pkg = (await ds.getRepository('HostingPackage').findOneBy({ id: product.hostingPackageId })) as { name: string } | null;
    return pkg?.name ?? null;
  }
  return optionString(product.moduleConfig, 'planId', 'plan');
}

function optionString(config: Record<string, unknown> | null, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = config?.[k];
    if (v !== undefined && v !== null && String(v).trim() !== '') return String(v).trim();
  }
  return null;
}
