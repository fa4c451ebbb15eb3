import { nextDueDate, type RecurringCycle } from './periods.js';

/**
 * A recurring promotion may discount only the first N renewals (promotions.recur_for). Rather than count renewals
 * as they are billed — a count a retried or re-run billing could bump twice — the order records the date the
 * discount ends: the due date N periods after the first renewal. A period is priced by its start date alone, so
 * billing it again, or early ("Generate invoice now"), always gives the same price.
 */
export interface RenewalPricing {
  recurringAmount: number;
  regularAmount: number | null;
  promotionEndsOn: string | null;
}

/** The price of the period starting on `periodStart`. */
export function renewalPrice(item: RenewalPricing, periodStart: string): number {
  if (item.promotionEndsOn && item.regularAmount !== null && periodStart >= item.promotionEndsOn) return item.regularAmount;
  return item.recurringAmount;
}

/**
 * When the discount of a code limited to `recurFor` renewals ends, given the first renewal's due date.
 * null when nothing ends: a first-payment-only code (already priced at full), or recurFor 0 (every renewal, forever).
 */
export function promotionEndDate(anchorDay: number, firstRenewalDue: string | null, cycle: RecurringCycle | string, recurFor: number | null): string | null {
  if (!firstRenewalDue || !recurFor || recurFor <= 0) return null;
  let due = firstRenewalDue;
  for (let i = 0; i < recurFor; i++) {
    const next = nextDueDate(anchorDay, due, cycle as RecurringCycle);
    if (!next) return null;
    due = next;
  }
  return due;
}
