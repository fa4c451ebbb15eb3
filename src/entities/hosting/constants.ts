/**
 * Value lists shared by more than one hosting entity. Kept out of the entity files so that entities never import
 * each other at run time (they may only `import type`).
 */

/** How often a service or addon renews; 'free' and 'onetime' never produce a renewal invoice. */
export const BILLING_CYCLES = [
  'free',
  'onetime',
  'monthly',
  'quarterly',
  'semiannually',
  'annually',
  'biennially',
  'triennially',
] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];
