import { secretProperties } from '../db/columns.js';

export const REDACTED = '[redacted]';
/** Property names that are secret by their nature even when not declared with a secret column. */
const SECRET_NAME = /(password|secret|token|recovery|credential|api_?key|api_?pass|epp)/i;

export function isSecretProperty(name: string): boolean {
  return secretProperties.has(name) || SECRET_NAME.test(name);
}

/** A plain copy of the values with every secret replaced, Dates as ISO strings, relations left out. */
export function redactValues(values: Record<string, unknown> | undefined, only?: string[]): Record<string, unknown> | null {
  if (!values) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (only && !only.includes(k)) continue;
    if (v !== null && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v)) continue;
    out[k] = isSecretProperty(k) && v !== null && v !== undefined ? REDACTED : v instanceof Date ? v.toISOString() : v;
  }
  return out;
}
