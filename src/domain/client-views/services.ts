import { moneyFormatter, toInt, type Db, type PageFor } from './money.js';

export interface ServiceListRow {
  id: number;
  product: string;
  domain: string | null;
  status: string;
  cycle: string;
  amount: string;
  nextDueDate: string | null;
}

/** One page of a client's services, newest first (soft-deleted ones are gone for the client too). */
export async function listServices(db: Db, clientId: number, pageFor: PageFor): Promise<{ total: number; rows: ServiceListRow[] }> {
  const base = () => db.getRepository('Service').createQueryBuilder('s').where('s.client_id = :clientId', { clientId });
  const total = await base().getCount();
  const page = pageFor(total);
  const money = await moneyFormatter(db);
  const rows = (await base()
    .innerJoin('products', 'p', 'p.id = s.product_id')
    .select(['s.id AS id', 'p.name AS product', 's.domain AS domain', 's.status AS status', 's.billing_cycle AS cycle', 's.recurring_amount AS amount', 's.currency_id AS currencyId', 's.next_due_date AS nextDueDate'])
    .orderBy('s.id', 'DESC')
    .limit(page.limit)
    .offset(page.offset)
    .getRawMany()) as Array<Record<string, unknown>>;
  return {
    total,
    rows: rows.map((r) => ({
      id: toInt(r.id),
      product: String(r.product),
      domain: (r.domain as string | null) ?? null,
      status: String(r.status),
      cycle: String(r.cycle),
      amount: r.cycle === 'free' ? 'Free' : money(toInt(r.amount), toInt(r.currencyId)),
      nextDueDate: dateOnly(r.nextDueDate),
    })),
  };
}

export interface ServiceDetail {
  id: number;
  productId: number;
  product: string;
  module: string;
  domain: string | null;
  status: string;
  suspensionReason: string | null;
  cycle: string;
  amount: string;
  firstPaymentAmount: string;
  registrationDate: string | null;
  nextDueDate: string | null;
  server: string | null;
  username: string | null;
  dedicatedIp: string | null;
  assignedIps: string[];
  hasAccount: boolean;
  addons: Array<{ name: string; status: string; cycle: string; amount: string; nextDueDate: string | null }>;
  cancellation: { type: string; status: string; requestedAt: Date | string } | null;
}

/**
 * One service of the client, or null when it is not theirs. Selected column by column: the account password
 * (encrypted at rest) is never read here, so no page can show it by mistake.
 */
export async function serviceOfClient(db: Db, clientId: number, serviceId: number): Promise<ServiceDetail | null> {
  const r = (await db
    .getRepository('Service')
    .createQueryBuilder('s')
    .innerJoin('products', 'p', 'p.id = s.product_id')
    .leftJoin('servers', 'srv', 'srv.id = s.server_id')
    .select([
      's.id AS id', 's.product_id AS productId', 'p.name AS product', 'p.module AS module', 's.domain AS domain', 's.status AS status',
      's.suspension_reason AS suspensionReason', 's.billing_cycle AS cycle', 's.recurring_amount AS amount', 's.first_payment_amount AS firstPaymentAmount',
      's.currency_id AS currencyId', 's.registration_date AS registrationDate', 's.next_due_date AS nextDueDate', 'srv.hostname AS server',
      's.username AS username', 's.dedicated_ip AS dedicatedIp', 's.assigned_ips AS assignedIps', 's.provider_ref AS providerRef',
    ])
    .where('s.id = :serviceId AND s.client_id = :clientId', { serviceId, clientId })
    .getRawOne()) as Record<string, unknown> | undefined;
  if (!r) return null;
  const money = await moneyFormatter(db);
  const currencyId = toInt(r.currencyId);
  const addons = (await db.getRepository('ServiceAddon').find({ where: { serviceId, clientId }, order: { id: 'ASC' } })) as Array<{
    name: string; status: string; billingCycle: string; recurringAmount: number; nextDueDate: string | null;
  }>;
  const cancellation = (await db.getRepository('CancellationRequest').findOne({ where: { serviceId, clientId }, order: { id: 'DESC' } })) as {
    type: string; status: string; createdAt: Date;
  } | null;
  return {
    id: toInt(r.id),
    productId: toInt(r.productId),
    product: String(r.product),
    module: String(r.module),
    domain: (r.domain as string | null) ?? null,
    status: String(r.status),
    suspensionReason: (r.suspensionReason as string | null) ?? null,
    cycle: String(r.cycle),
    amount: r.cycle === 'free' ? 'Free' : money(toInt(r.amount), currencyId),
    firstPaymentAmount: money(toInt(r.firstPaymentAmount), currencyId),
    registrationDate: dateOnly(r.registrationDate),
    nextDueDate: dateOnly(r.nextDueDate),
    server: (r.server as string | null) ?? null,
    username: (r.username as string | null) ?? null,
    dedicatedIp: (r.dedicatedIp as string | null) ?? null,
    assignedIps: parseIps(r.assignedIps).filter((ip) => ip !== r.dedicatedIp),
    hasAccount: Boolean(r.providerRef),
    addons: addons.map((a) => ({ name: a.name, status: a.status, cycle: a.billingCycle, amount: money(a.recurringAmount, currencyId), nextDueDate: a.nextDueDate })),
    cancellation: cancellation ? { type: cancellation.type, status: cancellation.status, requestedAt: cancellation.createdAt } : null,
  };
}

/** Raw date columns: 'YYYY-MM-DD' text on SQLite, a string or Date on MariaDB depending on the driver options. */
export function dateOnly(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

function parseIps(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string' || !v) return [];
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}
