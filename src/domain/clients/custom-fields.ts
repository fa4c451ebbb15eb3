import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../db/transaction.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';

/** A custom field as a form shows it. */
export interface FieldDef {
  id: number;
  name: string;
  description: string | null;
  fieldType: 'text' | 'textarea' | 'dropdown' | 'checkbox' | 'password' | 'link';
  options: string[];
  required: boolean;
  adminOnly: boolean;
  validationRegex: string | null;
}

/** Whose values: a client's profile fields, or a service's product fields. */
export type FieldOwner = { kind: 'client'; clientId: number } | { kind: 'service'; serviceId: number; clientId: number };

/** Form input keys are `cf_<field id>`, so a field renamed by staff never breaks a form in flight. */
export const inputName = (f: Pick<FieldDef, 'id'>) => `cf_${f.id}`;

const MAX_VALUE = 2000;

/**
 * Custom fields staff add to client profiles and to products (their services): which apply, their current values,
 * checking a submitted form against their rules, and saving — all of a form's fields or none. Staff-only fields are
 * left out of anything a client sees or sends. Password-type values are kept encrypted and never shown back.
 */
export class CustomFields {
  constructor(private readonly ds: DataSource) {}

  async definitions(owner: FieldOwner, opts: { staff: boolean }): Promise<FieldDef[]> {
    const where: Record<string, unknown> = { appliesTo: owner.kind === 'client' ? 'client' : 'product' };
    if (owner.kind === 'service') {
      const service = (await this.ds.getRepository('Service').findOne({ where: { id: owner.serviceId }, select: { id: true, productId: true } })) as { productId: number } | null;
      if (!service) return [];
      where.productId = service.productId;
    }
    const rows = (await this.ds.getRepository('CustomField').find({ where, order: { sortOrder: 'ASC', id: 'ASC' } })) as Array<FieldDef & { options: string[] | null }>;
    return rows.filter((f) => opts.staff || !f.adminOnly).map((f) => ({ ...f, options: Array.isArray(f.options) ? f.options.map(String) : [] }));
  }

  /** A product's fields its order form asks for (not staff-only ones). */
  async forOrder(productId: number): Promise<FieldDef[]> {
    const rows = (await this.ds.getRepository('CustomField').find({ where: { appliesTo: 'product', productId, showOnOrder: true, adminOnly: false }, order: { sortOrder: 'ASC', id: 'ASC' } })) as Array<FieldDef & { options: string[] | null }>;
    return rows.map((f) => ({ ...f, options: Array.isArray(f.options) ? f.options.map(String) : [] }));
  }

  /** Current values by field id ('' when unset); password fields answer '' (write-only). */
  async values(owner: FieldOwner, defs: FieldDef[]): Promise<Record<number, string>> {
    const rows = (await this.ds.getRepository('CustomFieldValue').find({ where: { ownerKey: ownerKey(owner) } })) as Array<{ fieldId: number; value: string | null }>;
    const byField = new Map(rows.map((r) => [r.fieldId, r.value ?? '']));
    return Object.fromEntries(defs.map((d) => [d.id, d.fieldType === 'password' ? '' : (byField.get(d.id) ?? '')]));
  }

  /** Each field's problem in words, by input name; values normalised (checkbox → 'on' / ''). */
  check(defs: FieldDef[], input: Record<string, unknown>): { values: Map<number, string>; errors: Record<string, string> } {
    const values = new Map<number, string>();
    const errors: Record<string, string> = {};
    for (const d of defs) {
      const raw = input[inputName(d)];
      const text = typeof raw === 'string' ? raw.trim() : '';
      const v = d.fieldType === 'checkbox' ? (['on', 'true', '1', 'yes'].includes(text.toLowerCase()) ? 'on' : '') : text;
      const problem = fieldProblem(d, v);
      if (problem) errors[inputName(d)] = problem;
      else values.set(d.id, v);
    }
    return { values, errors };
  }

  /** Saves every field of the form, or none when one is wrong. An empty password field keeps the stored secret. */
  async save(owner: FieldOwner, defs: FieldDef[], input: Record<string, unknown>, m?: EntityManager): Promise<Outcome | (Outcome & { errors: Record<string, string> })> {
    const { values, errors } = this.check(defs, input);
    if (Object.keys(errors).length) return { ...fail('invalid_input', 'Please correct the highlighted fields.'), errors };
    const write = async (tx: EntityManager) => {
      const repo = tx.getRepository('CustomFieldValue');
      for (const d of defs) {
        const v = values.get(d.id) ?? '';
        if (d.fieldType === 'password' && !v) continue;
        const existing = (await repo.findOne({ where: { fieldId: d.id, ownerKey: ownerKey(owner) } })) as Record<string, unknown> | null;
        const data = d.fieldType === 'password' ? { value: null, secretValue: v } : { value: v || null };
        if (existing) await repo.save({ ...existing, ...data });
        else await repo.save(repo.create({ fieldId: d.id, clientId: owner.clientId, serviceId: owner.kind === 'service' ? owner.serviceId : null, ticketId: null, ...data }));
      }
    };
    if (m) await write(m);
    else await inTransaction(this.ds, write);
    return succeed({});
  }
}

/** Fields as a client-area form shows them (see templates/client/partials/custom-fields.hbs). */
export function formFields(defs: FieldDef[], values: Record<string, string>, errors: Record<string, string> = {}) {
  return defs.map((d) => ({
    name: inputName(d), label: d.name, description: d.description, type: d.fieldType, options: d.options, required: d.required,
    value: d.fieldType === 'password' ? '' : (values[inputName(d)] ?? ''), error: errors[inputName(d)] ?? null,
  }));
}

/** The `cf_<id>` fields of a posted form, as strings (anything else is not read). */
export function postedFields(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((body && typeof body === 'object' ? body : {}) as Record<string, unknown>)) {
    if (/^cf_\d{1,15}$/.test(k) && typeof v === 'string') out[k] = v.slice(0, MAX_VALUE + 1);
  }
  return out;
}

export function ownerKey(owner: FieldOwner): string {
  return owner.kind === 'service' ? `service:${owner.serviceId}` : `client:${owner.clientId}`;
}

function fieldProblem(d: FieldDef, v: string): string | null {
  if (d.required && !v && d.fieldType !== 'password') return d.fieldType === 'checkbox' ? `Tick "${d.name}" to go on.` : `Enter ${d.name}.`;
  if (!v) return null;
  if (v.length > MAX_VALUE) return `${d.name} is too long (at most ${MAX_VALUE} characters).`;
  if (d.fieldType === 'dropdown' && !d.options.includes(v)) return `Choose one of the options for ${d.name}.`;
  if (d.fieldType === 'link' && !/^https?:\/\/[^\s]+$/i.test(v)) return `${d.name} must be a web address starting with http:// or https://.`;
  if (d.validationRegex) {
    let pattern: RegExp | null = null;
    try {
      pattern = new RegExp(d.validationRegex);
    } catch {
      pattern = null; // A broken pattern staff typed is not the customer's fault: the value is taken as it is.
    }
    if (pattern && !pattern.test(v)) return `${d.name} is not in the expected format.`;
  }
  return null;
}
