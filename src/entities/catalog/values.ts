/**
 * Value lists shared by several catalogue entities. They live here, not in an entity file, because entity files never
 * import each other at run time.
 */

/** Billing terms a price can be quoted for. 'onetime' is the single price of a one-time product or addon. */
export const PRICE_CYCLES = ['onetime', 'monthly', 'quarterly', 'semiannually', 'annually', 'biennially', 'triennially'] as const;
export type PriceCycle = (typeof PRICE_CYCLES)[number];

/** How a product or addon is charged: free (no invoice), once, or on a recurring cycle. */
export const PAYMENT_TYPES = ['free', 'onetime', 'recurring'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

/** The provisioning module that creates the account on a server; 'none' = staff set it up by hand. */
export const PROVISIONING_MODULES = ['none', 'cpanel', 'virtualizor'] as const;
export type ProvisioningModule = (typeof PROVISIONING_MODULES)[number];
