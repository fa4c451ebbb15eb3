import type { DataSource } from 'typeorm';

type Row = Record<string, any>;

/** Short ways for tests to write a row through its entity (so hooks run) and read back what money tests check. */
export function records(ds: () => DataSource) {
  return {
    save: async (entity: string, data: Row) => (await ds().getRepository(entity).save(ds().getRepository(entity).create(data))) as Row,
    invoice: async (id: number) => (await ds().getRepository('Invoice').findOneByOrFail({ id })) as Row,
    paymentsOf: async (invoiceId: number) => (await ds().getRepository('Transaction').find({ where: { invoiceId, type: 'payment' } })) as Row[],
    logs: async (where: Row) => (await ds().getRepository('GatewayLog').find({ where, order: { id: 'ASC' } })) as Row[],
  };
}
