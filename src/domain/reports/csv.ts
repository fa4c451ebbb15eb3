/**
 * CSV export (RFC 4180): comma-separated, CRLF line ends, a field quoted when it holds a comma, a double quote, CR or
 * LF, with quotes doubled inside. Text that a spreadsheet would run as a formula (it starts with = + - @, or a tab
 * or CR that some spreadsheets skip before one) gets a leading single quote, so a client named "=HYPERLINK(…)"
 * stays text. Numbers the report computed itself (money, counts) are written plainly, so "-12.50" stays a number.
 */
import { formatDecimal } from '../shared/money.js';
import type { ReportColumn, ReportResult, ReportRow } from './types.js';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe for spreadsheets. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field, quoted when RFC 4180 requires it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A decimal the report computed (e.g. "-12.50"): written as is, never taken for a formula. */
export interface Decimal {
  decimal: string;
}
export type CsvCell = string | number | Decimal | null | undefined;

/** Rows of already-typed cells: strings are text (neutralised), numbers and decimals are written as they are. */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  const one = (c: CsvCell) => (c === null || c === undefined ? '' : typeof c === 'number' ? String(c) : typeof c === 'object' ? c.decimal : csvField(neutraliseFormula(c)));
  const line = (cells: CsvCell[]) => cells.map(one).join(',');
  return [line(header), ...rows.map(line)].map((l) => `${l}\r\n`).join('');
}

/** A report cell as CSV wants it: money as a plain decimal in the row's currency, seconds as whole seconds. */
function cell(col: ReportColumn, row: ReportRow): CsvCell {
  const v = row[col.key];
  if (v === null || v === undefined) return null;
  if (col.kind === 'money') return { decimal: formatDecimal(Number(v), Number(row.exponent ?? 2)) };
  if (col.kind === 'int' || col.kind === 'seconds' || col.kind === 'percent') return Number(v);
  return String(v);
}

/** A whole report: header, rows, then the totals rows. */
export function reportToCsv(report: ReportResult): string {
  const header = report.columns.map((c) => c.label);
  const lines = [...report.rows, ...report.totals].map((r) => report.columns.map((c) => cell(c, r)));
  return toCsv(header, lines);
}
