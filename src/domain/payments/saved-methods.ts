import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../db/transaction.js';
import type { SavedMethodInfo } from './gateway.js';

interface MethodRow {
  id: number;
  gatewayToken: string | null;
  isDefault: boolean;
  status: string;
}

/**
 * Keeps a payment method the provider saved during a payment (only its token and display hints). The same token
 * saved again updates the row instead of adding a second; the client's first method becomes the default.
 */
export async function saveMethodFromEvent(m: EntityManager, input: { clientId: number; gateway: string; method: SavedMethodInfo }): Promise<number> {
  const repo = m.getRepository('PaymentMethod');
  // Tokens are encrypted with a random nonce, so they are compared after decryption, among this client's few methods.
  const mine = (await repo.find({ where: { clientId: input.clientId, gateway: input.gateway } })) as MethodRow[];
  const hints = {
    gatewayCustomerId: input.method.providerCustomerId,
    type: input.method.type,
    brand: input.method.brand,
    lastFour: input.method.lastFour,
    expMonth: input.method.expMonth,
    expYear: input.method.expYear,
    status: 'active',
  };
  const same = mine.find((r) => r.gatewayToken === input.method.token);
  if (same) {
    await repo.save({ ...same, ...hints });
    return same.id;
  }
  const isDefault = !mine.some((r) => r.isDefault && r.status === 'active');
  const saved = (await repo.save(repo.create({ clientId: input.clientId, gateway: input.gateway, gatewayToken: input.method.token, isDefault, description: '', ...hints }))) as { id: number };
  return saved.id;
}

export interface SavedMethodView {
  id: number;
  description: string;
  gateway: string;
  expires: string | null;
  isDefault: boolean;
}

/** The client's active saved methods, default first (what the client area lists; never the token). */
export async function listSavedMethods(db: DataSource | EntityManager, clientId: number): Promise<SavedMethodView[]> {
  const rows = (await db.getRepository('PaymentMethod').find({ where: { clientId, status: 'active' }, order: { isDefault: 'DESC', id: 'ASC' }, select: { id: true, description: true, gateway: true, expMonth: true, expYear: true, isDefault: true } })) as Array<{
    id: number; description: string; gateway: string; expMonth: number | null; expYear: number | null; isDefault: boolean;
  }>;
  return rows.map((r) => ({ id: r.id, description: r.description, gateway: r.gateway, isDefault: r.isDefault, expires: r.expMonth && r.expYear ? `${String(r.expMonth).padStart(2, '0')}/${r.expYear}` : null }));
}

/** Makes one of the client's methods the one renewals are charged to; another client's id changes nothing. */
export async function setDefaultMethod(ds: DataSource, clientId: number, methodId: number): Promise<boolean> {
  return inTransaction(ds, async (m) => {
    const repo = m.getRepository('PaymentMethod');
    const mine = await repo.findOne({ where: { id: methodId, clientId, status: 'active' } });
    if (!mine) return false;
    await repo.update({ clientId, isDefault: true }, { isDefault: false });
    await repo.update({ id: methodId }, { isDefault: true });
    return true;
  });
}

/**
 * Removes a saved method from the account (kept as 'invalid' for the record, token wiped); if it was the default,
 * the next one becomes the default so renewals keep a card to charge.
 */
export async function removeMethod(ds: DataSource, clientId: number, methodId: number): Promise<boolean> {
  return inTransaction(ds, async (m) => {
    const repo = m.getRepository('PaymentMethod');
    const mine = (await repo.findOne({ where: { id: methodId, clientId, status: 'active' } })) as { id: number; isDefault: boolean } | null;
    if (!mine) return false;
    await repo.update({ id: methodId }, { status: 'invalid', isDefault: false, gatewayToken: null });
    if (mine.isDefault) {
      const next = (await repo.findOne({ where: { clientId, status: 'active' }, order: { id: 'ASC' } })) as { id: number } | null;
      if (next) await repo.update({ id: next.id }, { isDefault: true });
    }
    return true;
  });
}
