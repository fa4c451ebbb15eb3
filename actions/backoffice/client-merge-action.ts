import type { AdminServices } from '../index.js';
import { mergeClients } from '../../src/domain/backoffice/client-merge.js';
import { systemClock } from '../../src/domain/shared/clock.js';
import { recordAction, text } from './shared.js';

/** "Merge into another client" on Client: this client's records move to the one named, and this one is closed. */
export function clientMergeAction(services: AdminServices) {
  return {
    mergeIntoAnotherClient: recordAction(
      {
        icon: 'GitMerge',
        isVisible: (ctx) => !ctx.record?.params?.deletedAt,
        form: {
          title: 'Merge into another client',
          description: 'Moves this client’s services, domains, invoices, transactions, credit, orders, tickets, contacts, payment methods, quotes and custom fields to the client you name, then closes this one. Both must use the same currency, and at most one of them may have a client-area login. This cannot be undone.',
          fields: [{ name: 'into', label: 'Client to keep (id or email)', required: true }],
          submitLabel: 'Merge',
        },
      },
      async (id, staff, p) => {
        const into = text(p, 'into');
        let intoId = /^[1-9]\d{0,9}$/.test(into) ? Number(into) : 0;
        if (!intoId && into.includes('@')) {
          const found = (await services.ds.getRepository('Client').createQueryBuilder('c').where('LOWER(c.email) = :e', { e: into.toLowerCase() }).getOne()) as { id: number } | null;
          if (!found) return { ok: false, message: `No client has the email ${into}.` };
          intoId = found.id;
        }
        if (!intoId) return { ok: false, message: 'Enter the id or the email of the client to keep.' };
        const out = await mergeClients(services.ds, systemClock, { fromClientId: id, intoClientId: intoId, adminId: staff.id, adminName: staff.email });
        return out.ok ? { ok: true, message: out.message } : out;
      },
    ),
  };
}
