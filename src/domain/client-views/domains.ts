import type { Db, PageFor } from './money.js';

export interface DomainListRow {
  id: number;
  name: string;
  status: string;
  registrationDate: string | null;
  expiryDate: string | null;
  nextDueDate: string | null;
  autoRenew: boolean;
}

/** One page of a client's domains, soonest expiry first (what needs attention leads); unknown expiry last. */
export async function listDomains(db: Db, clientId: number, pageFor: PageFor): Promise<{ total: number; rows: DomainListRow[] }> {
  const repo = db.getRepository('Domain');
  const total = await repo.count({ where: { clientId } });
  const page = pageFor(total);
  const rows = (await repo
    .createQueryBuilder('d')
    .where('d.client_id = :clientId', { clientId })
    .orderBy('CASE WHEN d.expiry_date IS NULL THEN 1 ELSE 0 END', 'ASC')
    .addOrderBy('d.expiry_date', 'ASC')
    .addOrderBy('d.domain_name', 'ASC')
    .take(page.limit)
    .skip(page.offset)
    .getMany()) as Array<{ id: number; domainName: string; status: string; registrationDate: string | null; expiryDate: string | null; nextDueDate: string | null; autoRenew: boolean }>;
  return {
    total,
    rows: rows.map((d) => ({ id: d.id, name: d.domainName, status: d.status, registrationDate: d.registrationDate, expiryDate: d.expiryDate, nextDueDate: d.nextDueDate, autoRenew: Boolean(d.autoRenew) })),
  };
}
