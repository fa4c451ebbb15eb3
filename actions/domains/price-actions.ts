import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { isFormDisplay } from '../support.js';
import { Components } from '../../src/admin/components.js';
import { formatDecimal } from '../../src/domain/shared/money.js';
import { PRICE_FIELDS, updateTldPrices, type PriceChange, type PriceChangeLine, type PriceField } from '../../src/domain/domains/price-update.js';

const OPERATION_LABELS: Record<PriceField, string> = { register: 'Registration', renew: 'Renewal', transfer: 'Transfer', graceFee: 'Grace fee', redemptionFee: 'Redemption fee' };
const PREVIEW_LINES = 12;

const money = (v: number | null, exponent: number) => (v === null ? 'not offered' : formatDecimal(v, exponent));

function describe(lines: PriceChangeLine[], exponent: number): string {
  const shown = lines.slice(0, PREVIEW_LINES).map((l) => `${l.tld} ${l.years}y ${OPERATION_LABELS[l.operation].toLowerCase()} ${money(l.before, exponent)} → ${money(l.after, exponent)}`);
  return `${shown.join('; ')}${lines.length > PREVIEW_LINES ? `; and ${lines.length - PREVIEW_LINES} more` : ''}`;
}

/** "1, 2,5" → [1, 2, 5]; empty → every term that has a price; anything else → null (refused). */
function parseYears(raw: unknown): number[] | undefined | null {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) return undefined;
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (!parts.every((p) => /^\d{1,2}$/.test(p))) return null;
  return parts.map(Number);
}

/**
 * Bulk price change on the TLD list: pick TLDs, then one change (set, percent, add) to the chosen prices and terms in
 * one currency. Without "Apply" it only previews (an info notice, so the form keeps its values for the real run).
 */
export function domainPriceActions({ ds }: AdminServices) {
  return {
    bulkUpdatePrices: {
      actionType: 'bulk',
      icon: 'DollarSign',
      component: Components.ActionForm,
      custom: {
        title: 'Change prices of the selected TLDs',
        description: 'One change to the ticked prices of every selected TLD. Preview first: leave “Apply” unticked to see what would change. A change that would make any price negative is refused as a whole.',
        fields: [
          { name: 'currency', label: 'Currency code', help: 'For example USD; empty = the default currency.' },
          ...PRICE_FIELDS.map((f) => ({ name: `op_${f}`, label: OPERATION_LABELS[f], type: 'checkbox' })),
          { name: 'kind', label: 'Change', type: 'select', required: true, options: [{ value: 'percent', label: 'By a percentage (10, -10, 7.5)' }, { value: 'add', label: 'Add an amount (-1.00 lowers)' }, { value: 'set', label: 'Set to an amount' }] },
          { name: 'value', label: 'Percentage or amount', required: true },
          { name: 'years', label: 'Terms (years)', help: 'Comma-separated, e.g. 1,2,3; empty = every term that has a price. “Set” creates the listed terms where missing.' },
          { name: 'rounding', label: 'Rounding', type: 'select', options: [{ value: 'cent', label: 'To the cent' }, { value: 'to_99', label: 'To the nearest .99' }] },
          { name: 'apply', label: 'Apply (otherwise preview only)', type: 'checkbox' },
        ],
        submitLabel: 'Preview / apply',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        const records = ctx.records ?? [];
        const answer = (message: string, type: 'success' | 'error' | 'info') => ({ records: records.map((r) => r.toJSON(ctx.currentAdmin)), notice: { message, type } });
        if (isFormDisplay(request.method)) return { records: records.map((r) => r.toJSON(ctx.currentAdmin)) };
        const p = (request.payload ?? {}) as Record<string, unknown>;
        const code = String(p.currency ?? '').trim().toUpperCase();
        const currency = (await ds.getRepository('Currency').findOne({ where: code ? { code } : { isDefault: true } })) as { id: number; code: string; exponent: number } | null;
        if (!currency) return answer(code ? `No currency has the code “${code.slice(0, 10)}”.` : 'There is no default currency; give a currency code.', 'error');
        const years = parseYears(p.years);
        if (years === null) return answer('Write the terms as whole years separated by commas, e.g. 1,2,3.', 'error');
        const kind = String(p.kind ?? '');
        const value = String(p.value ?? '').trim();
        if (!value) return answer('Enter the percentage or amount.', 'error');
        let change: PriceChange;
        if (kind === 'percent') change = { kind, percent: value.replace(/%$/, '') };
        else if (kind === 'add' || kind === 'set') change = { kind, amount: value };
        else return answer('Choose how to change the prices.', 'error');
        const apply = p.apply === 'true' || p.apply === true;
        const out = await updateTldPrices(ds, {
          domainProductIds: records.map((r) => Number(r.id())),
          currencyId: currency.id,
          operations: PRICE_FIELDS.filter((f) => p[`op_${f}`] === 'true' || p[`op_${f}`] === true),
          years,
          change,
          rounding: p.rounding === 'to_99' ? 'to_99' : 'cent',
          dryRun: !apply,
        });
        if (!out.ok) return answer(out.message, 'error');
        if (!out.preview.length) return answer('No price would change.', 'info');
        const detail = describe(out.preview, currency.exponent ?? 2);
        return apply
          ? answer(`${out.preview.length} ${currency.code} price${out.preview.length === 1 ? '' : 's'} changed in ${out.rowsChanged} term${out.rowsChanged === 1 ? '' : 's'}: ${detail}.`, 'success')
          : answer(`Preview, nothing saved — ${out.preview.length} ${currency.code} price${out.preview.length === 1 ? '' : 's'} would change: ${detail}. Tick “Apply” to save.`, 'info');
      },
    },
  };
}
