import { readFileSync } from 'node:fs';
import { allEntities } from '../../src/entities/index.js';

const doc = readFileSync(new URL('../../../docs/data-model.md', import.meta.url), 'utf8');

/** The tables the seeds name (000: the 41-table WHMCS design; 001: the WHM/billing/admin schemas). */
const SEED_000 = 'users staff staff_permissions clients client_contacts client_groups product_categories products domain_products service_addons orders order_items order_status_history invoices invoice_items transactions billable_items quotes services domains servers support_tickets ticket_replies ticket_departments predefined_replies network_issues affiliates affiliate_referrals promotions system_settings currencies payment_gateways tax_rates activity_logs whois_logs gateway_logs cancellation_requests custom_fields client_custom_field_values todo_list calendar_events'.split(' ');
const SEED_001 = 'servers packages accounts resellers backups activity_logs billing_plans subscriptions invoices invoice_items payments payment_methods licenses users roles permissions role_user permission_role audit_logs settings api_tokens'.split(' ');

describe('docs/data-model.md', () => {
  it('maps all 41 tables of seed 000 and every table of seed 001 to an entity that exists', () => {
    expect(SEED_000).toHaveLength(41);
    const names = new Set(allEntities.map((e) => e.name));
    for (const [seed, tables] of [['000', SEED_000], ['001', SEED_001]] as const) {
      for (const table of tables) {
        const row = new RegExp(`^\\| ${seed} \\| ${table} \\| (.+) \\|$`, 'm').exec(doc);
        if (!row) throw new Error(`seed ${seed} table ${table} is not mapped in docs/data-model.md`);
        const entities = row[1].match(/[A-Z][A-Za-z]+/g) ?? [];
        expect(entities.some((e) => names.has(e))).toBe(true);
      }
    }
  });
});
