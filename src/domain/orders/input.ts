/**
 * The shape of an order request, checked before anything is priced. Only the fields named here are ever read: a
 * request that also carries prices, totals or discounts (a tampered cart, FOSSBilling CVE-2023-3228) has those
 * fields ignored — the amounts come from the catalogue through quoteOrderLine, never from the caller.
 */
import { isIP } from 'node:net';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { isBillingCycle, type BillingCycle } from '../billing/periods.js';
import { cleanDomainItem, type CleanDomainItem, type DomainItemRequest } from './domain-lines.js';

export interface OrderItemRequest {
  type?: 'product';
  productId: number | string;
  cycle: string;
  /** optionId → choiceId or quantity, as quoteOrderLine takes them. */
  configOptions?: Record<string, number | string> | null;
  addonIds?: Array<number | string> | null;
  /** The domain a hosting product is for (required when the product says so). */
  domain?: string | null;
  /** Control-panel username wished for; the provisioning module picks one when absent. */
  username?: string | null;
}

export interface PlaceOrderInput {
  clientId: number;
  /** Products (with their options and addons) and domains to register or transfer, in the order shown. */
  items: Array<OrderItemRequest | DomainItemRequest>;
  promoCode?: string | null;
  paymentGateway?: string | null;
  ipAddress?: string | null;
  notes?: string | null;
  /** Staff member placing the order for the client (history), null when the client ordered. */
  adminId?: number | null;
}

/** One line as the order service uses it: known fields only, normalised. */
export interface CleanItem {
  productId: number | string;
  cycle: BillingCycle;
  configOptions: Record<string, number | string>;
  addonIds: Array<number | string>;
  domain: string | null;
  username: string | null;
}

export interface CleanOrder {
  clientId: number;
  items: CleanItem[];
  domains: CleanDomainItem[];
  promoCode: string | null;
  paymentGateway: string | null;
  ipAddress: string | null;
  notes: string | null;
  adminId: number | null;
}

/** More lines than any real checkout has; a cap keeps one request from holding the order lock for long. */
export const MAX_ITEMS = 25;

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const USERNAME = /^[a-z][a-z0-9]{0,15}$/;
const GATEWAY = /^[a-z0-9_]{1,32}$/;

const isId = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** Checks and normalises a request; every refusal names the field at fault. */
export function cleanOrder(input: PlaceOrderInput): Outcome<{ order: CleanOrder }> {
  if (!input || typeof input !== 'object') return fail('invalid_request', 'The order is empty.');
  if (!isId(input.clientId)) return fail('unknown_client', 'Choose the client the order is for.', 'clientId');
  if (!Array.isArray(input.items) || input.items.length === 0) return fail('no_items', 'An order needs at least one product or domain.', 'items');
  if (input.items.length > MAX_ITEMS) return fail('too_many_items', `An order can hold at most ${MAX_ITEMS} products.`, 'items');
  const items: CleanItem[] = [];
  const domains: CleanDomainItem[] = [];
  for (const [i, line] of input.items.entries()) {
    const field = (f: string) => `items.${i}.${f}`;
    if (!line || typeof line !== 'object') return fail('invalid_request', `Line ${i + 1} is not a product.`, `items.${i}`);
    if (line.type === 'domain') {
      const d = cleanDomainItem(line, i);
      if (!d.ok) return d;
      domains.push(d.item);
      continue;
    }
    const raw = line as OrderItemRequest;
    if (!isBillingCycle(raw.cycle)) return fail('invalid_cycle', `Line ${i + 1}: "${String(raw.cycle)}" is not a billing cycle.`, field('cycle'));
    const domain = typeof raw.domain === 'string' && raw.domain.trim() ? raw.domain.trim().toLowerCase().replace(/\.$/, '') : null;
    if (raw.domain !== undefined && raw.domain !== null && typeof raw.domain !== 'string') return fail('invalid_domain', `Line ${i + 1}: the domain must be text.`, field('domain'));
    if (domain !== null && !DOMAIN.test(domain)) return fail('invalid_domain', `Line ${i + 1}: "${domain.slice(0, 80)}" is not a domain name.`, field('domain'));
    const username = typeof raw.username === 'string' && raw.username.trim() ? raw.username.trim().toLowerCase() : null;
    if (username !== null && !USERNAME.test(username)) return fail('invalid_username', `Line ${i + 1}: a username is 1–16 letters and digits, starting with a letter.`, field('username'));
    items.push({
      productId: raw.productId,
      cycle: raw.cycle,
      configOptions: (raw.configOptions ?? {}) as Record<string, number | string>,
      addonIds: (raw.addonIds ?? []) as Array<number | string>,
      domain,
      username,
    });
  }
  const promoCode = typeof input.promoCode === 'string' && input.promoCode.trim() ? input.promoCode.trim() : null;
  if (promoCode && promoCode.length > 64) return fail('promo_unknown', 'There is no such promotion code.', 'promoCode');
  const paymentGateway = typeof input.paymentGateway === 'string' && input.paymentGateway.trim() ? input.paymentGateway.trim() : null;
  if (paymentGateway && !GATEWAY.test(paymentGateway)) return fail('invalid_gateway', 'Choose a payment method.', 'paymentGateway');
  const ipAddress = typeof input.ipAddress === 'string' && input.ipAddress.trim() ? input.ipAddress.trim() : null;
  if (ipAddress && !isIP(ipAddress)) return fail('invalid_ip', 'The IP address is not valid.', 'ipAddress');
  const notes = typeof input.notes === 'string' && input.notes.trim() ? input.notes.trim().slice(0, 10_000) : null;
  const adminId = isId(input.adminId) ? (input.adminId as number) : null;
  return succeed({ order: { clientId: input.clientId, items, domains, promoCode, paymentGateway, ipAddress, notes, adminId } });
}
