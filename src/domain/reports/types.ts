/** The shape every report returns: columns that say how to show each value, rows, and totals rows (per currency). */
export type ColumnKind = 'text' | 'date' | 'int' | 'money' | 'seconds' | 'percent';

export interface ReportColumn {
  key: string;
  label: string;
  kind: ColumnKind;
}

/**
 * One line of a report. Money values are integer minor units; a row holding money also carries `currency` (ISO code)
 * and `exponent` (its minor-unit digits) so it can be printed exactly.
 */
export type ReportRow = Record<string, string | number | null>;

export interface ReportResult {
  columns: ReportColumn[];
  rows: ReportRow[];
  /** Sums of the rows, one per currency where money is involved; first column says "Total". */
  totals: ReportRow[];
  /** Figures that are not a sum of the rows (e.g. all active clients), shown above the table. */
  summary?: Array<{ label: string; value: number | string }>;
  /** What the figures include, in the business's words. */
  note?: string;
}

/** Adds money/int fields of rows into one totals row per currency (exact integer sums). */
export function totalsByCurrency(rows: ReportRow[], keys: string[], labelKey: string): ReportRow[] {
  const out = new Map<string, ReportRow>();
  for (const r of rows) {
    const cur = String(r.currency ?? '');
    let t = out.get(cur);
    if (!t) {
      t = { [labelKey]: 'Total', currency: r.currency ?? null, exponent: r.exponent ?? 2 };
      for (const k of keys) t[k] = 0;
      out.set(cur, t);
    }
    for (const k of keys) t[k] = (t[k] as number) + Number(r[k] ?? 0);
  }
  return [...out.values()].sort((a, b) => String(a.currency).localeCompare(String(b.currency)));
}
