import type { RecordJSON } from 'adminjs';
import type { AdminServices } from '../index.js';
import { bulkAction } from '../provisioning/service-provisioning-actions.js';
import { YEAR_CHOICES, yearsOf } from './domain-actions.js';

const domainLabel = (r: RecordJSON) => String(r.params.domainName || `#${r.id}`);

/** Renew and Sync for many domains at once (the staff side of a registrar price run or an audit after an outage). */
export function domainBulkActions({ domains }: AdminServices) {
  return {
    bulkRenewDomains: bulkAction({
      verb: 'renewed',
      label: domainLabel,
      form: {
        title: 'Renew the selected domains at the registrar',
        description: 'Each active, grace or redemption domain is renewed at its registrar now, without an invoice; the registrar charges the reseller account for each.',
        fields: [{ name: 'years', label: 'Years', type: 'select', options: YEAR_CHOICES, help: 'Empty: 1 year.' }],
        submitLabel: 'Renew now',
      },
      each: (id, adminId, p) => domains.renewNow(id, yearsOf(p, 1), { adminId }),
    }),
    bulkSyncDomains: bulkAction({ verb: 'synced', label: domainLabel, guard: 'Read the selected domains back from their registrars now?', each: (id) => domains.sync(id) }),
  };
}
