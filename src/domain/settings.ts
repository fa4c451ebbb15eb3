import type { EntityManager, DataSource } from 'typeorm';
import { parseMoney } from './shared/money.js';

/**
 * Typed access to the settings table (key/value rows staff edit in the admin). Every setting has a default here,
 * so a missing row never breaks a job; a malformed value falls back to the default rather than stopping billing.
 */
export async function readSettings(db: DataSource | EntityManager, prefix: string): Promise<Map<string, string>> {
  const rows = (await db.getRepository('Setting').createQueryBuilder('s').where('s.key LIKE :p', { p: `${prefix}%` }).getMany()) as Array<{ key: string; value: string | null }>;
  return new Map(rows.filter((r) => r.value !== null).map((r) => [r.key, r.value as string]));
}

const int = (m: Map<string, string>, key: string, def: number, min = 0, max = 3650) => {
  const v = Number(m.get(key));
  return Number.isInteger(v) && v >= min && v <= max ? v : def;
};
const bool = (m: Map<string, string>, key: string, def: boolean) => {
  const v = m.get(key)?.trim().toLowerCase();
  return v === undefined ? def : ['1', 'true', 'yes', 'on'].includes(v);
};

export interface LateFee {
  kind: 'fixed' | 'percent';
  /** cents when fixed; a decimal percentage string when percent */
  value: number | string;
}

export interface BillingSettings {
  /** Renewal invoices are created this many days before the due date; per-cycle overrides below. */
  invoiceDaysBefore: number;
  invoiceDaysBeforeByCycle: Record<string, number>;
  /**
   * Domain renewals are invoiced this many days before expiry: earlier than hosting, because a domain must be renewed
   * at the registry before it expires, and a payment by bank transfer takes days. Defaults to invoiceDaysBefore.
   */
  domainInvoiceDaysBefore: number;
  /** Days to pay a new (non-renewal) invoice. */
  paymentTermsDays: number;
  /** One invoice per client per run for everything due together (WHMCS "invoice services together"). */
  invoiceTogether: boolean;
  taxInclusive: boolean;
  autoApplyCredit: boolean;
  dueSoonReminderDays: number;
  overdueReminderDays: [number, number, number];
  lateFeeEnabled: boolean;
  lateFeeDays: number;
  lateFee: LateFee | null;
  suspendAfterDays: number;
  terminateAfterDays: number;
  /** 0 = off */
  cancelUnpaidOrdersAfterDays: number;
}

export function parseLateFee(raw: string | undefined): LateFee | null {
  if (!raw) return null;
  const s = raw.trim();
  try {
    if (s.endsWith('%')) {
      const p = s.slice(0, -1).trim();
      if (!/^\d+(\.\d{1,4})?$/.test(p)) return null;
      return { kind: 'percent', value: p };
    }
    const cents = parseMoney(s);
    return cents > 0 ? { kind: 'fixed', value: cents } : null;
  } catch {
    return null;
  }
}

export async function billingSettings(db: DataSource | EntityManager): Promise<BillingSettings> {
  const m = await readSettings(db, 'billing.');
  const byCycle: Record<string, number> = {};
  for (const [k, v] of m) {
    const cycle = /^billing\.invoiceDaysBefore\.(\w+)$/.exec(k)?.[1];
    if (cycle && Number.isInteger(Number(v)) && Number(v) >= 0) byCycle[cycle] = Number(v);
  }
  return {
    invoiceDaysBefore: int(m, 'billing.invoiceDaysBefore', 14),
    invoiceDaysBeforeByCycle: byCycle,
    domainInvoiceDaysBefore: int(m, 'billing.domainInvoiceDaysBefore', int(m, 'billing.invoiceDaysBefore', 14)),
    paymentTermsDays: int(m, 'billing.paymentTermsDays', 7),
    invoiceTogether: bool(m, 'billing.invoiceTogether', true),
    taxInclusive: bool(m, 'billing.taxInclusive', false),
    autoApplyCredit: bool(m, 'billing.autoApplyCredit', true),
    dueSoonReminderDays: int(m, 'billing.dueSoonReminderDays', 3),
    overdueReminderDays: [int(m, 'billing.overdueReminder1Days', 1), int(m, 'billing.overdueReminder2Days', 7), int(m, 'billing.overdueReminder3Days', 14)],
    lateFeeEnabled: bool(m, 'billing.lateFeeEnabled', false),
    lateFeeDays: int(m, 'billing.lateFeeDays', 7),
    lateFee: parseLateFee(m.get('billing.lateFeeAmount')),
    suspendAfterDays: int(m, 'billing.suspendAfterDays', 5),
    terminateAfterDays: int(m, 'billing.terminateAfterDays', 30),
    cancelUnpaidOrdersAfterDays: int(m, 'billing.cancelUnpaidOrdersAfterDays', 0),
  };
}
