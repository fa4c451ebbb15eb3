import type { Outcome } from '../shared/outcome.js';

/**
 * The contract every payment gateway module keeps (Stripe, PayPal, SSLCommerz; bank transfer and credit need none of
 * it). A module only talks to its provider and says what happened, verified; it never touches the database. The
 * payment services decide what that means for invoices, exactly once (see notifications.ts).
 *
 * Amounts are integer minor units (cents) of `currency` (ISO 4217, upper case); `exponent` says how many decimals
 * the currency has, for providers that want decimal strings. Nothing here ever carries a card number: customers type
 * those on the provider's hosted page.
 */

/** A gateway's settings as staff saved them (payment_gateways row), credentials decrypted. */
export interface GatewaySettings {
  code: string;
  displayName: string;
  testMode: boolean;
  /** Non-secret options (accepted currencies, instructions, fee handling…). */
  config: Record<string, unknown>;
  /** Secret keys, e.g. { secretKey, webhookSecret } for Stripe; never shown, never logged. */
  credentials: Record<string, string>;
}

export interface CheckoutRequest {
  /** Our reference for this attempt, unique: the idempotency key and what the provider echoes back. */
  attemptId: string;
  invoice: { id: number; number: string; description: string };
  amount: number;
  currency: string;
  exponent: number;
  customer: { clientId: number; email: string; name: string; country: string | null; phone: string | null; address: string | null; city: string | null; postcode: string | null };
  /** The provider's customer id already known for this client (Stripe cus_…), if any. */
  providerCustomerId: string | null;
  /** Ask the provider to keep the payment method for later charges (renewals), where it can. */
  saveMethod: boolean;
  /** Where the customer's browser comes back: after paying, after giving up. */
  returnUrl: string;
  cancelUrl: string;
  /** Where the provider posts its notification, for providers that take it per payment (SSLCommerz ipn_url). */
  notifyUrl: string;
}

export interface CheckoutStarted {
  /** Send the customer's browser here (the provider's hosted page). */
  redirectUrl: string;
  /** The provider's id of this checkout (Stripe cs_…, PayPal order id, SSLCommerz sessionkey). */
  reference: string;
  /** What was sent and answered, secrets left out, for the gateway log. */
  request: unknown;
  response: unknown;
}

/** A saved way to pay, as the provider describes it (only tokens and display hints). */
export interface SavedMethodInfo {
  providerCustomerId: string | null;
  token: string;
  type: 'card' | 'bank' | 'paypal';
  brand: string | null;
  lastFour: string | null;
  expMonth: number | null;
  expYear: number | null;
}

/**
 * What a verified notification (webhook, IPN, or the provider's answer on the customer's return) says happened.
 * `eventId` is unique per provider event and is the dedupe key; `transactionReference` is the provider's id of the
 * money movement (charge, capture, bank_tran_id), unique per payment.
 */
export interface GatewayEvent {
  eventId: string;
  eventType: string;
  outcome: 'succeeded' | 'pending' | 'failed' | 'refunded' | 'ignored';
  /** Our CheckoutRequest.attemptId, when the provider echoes it back. */
  attemptId: string | null;
  /** The provider's checkout id (CheckoutStarted.reference), when the event names it. */
  checkoutReference: string | null;
  transactionReference: string | null;
  /** Our invoice id as the provider echoes it (metadata); checked against the attempt, never trusted alone. */
  invoiceId: number | null;
  amount: number | null;
  currency: string | null;
  /** Provider fees in the same currency, when known. */
  fees: number | null;
  /** Why a payment failed, in words a customer can read. */
  failureMessage: string | null;
  /** A payment method the provider saved with this payment. */
  savedMethod: SavedMethodInfo | null;
  /** The notification as received (parsed), for the gateway log. Secrets and card data are never in it. */
  payload: unknown;
}

/** An incoming HTTP notification: the raw body (signatures are over the exact bytes) and what came with it. */
export interface IncomingNotification {
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
  /** Parsed form fields, for providers that post forms (SSLCommerz IPN). */
  form: Record<string, string>;
  query: Record<string, string>;
  ip: string | null;
  receivedAt: Date;
}

export interface RefundRequest {
  /** GatewayEvent.transactionReference of the payment being refunded. */
  transactionReference: string;
  amount: number;
  currency: string;
  exponent: number;
  reason: string;
  idempotencyKey: string;
}

export interface RefundDone {
  refundReference: string;
  /** 'pending': the provider accepted it but confirms later (by webhook). */
  status: 'succeeded' | 'pending';
  request: unknown;
  response: unknown;
}

export interface ChargeRequest {
  method: SavedMethodInfo;
  amount: number;
  currency: string;
  exponent: number;
  invoice: { id: number; number: string; description: string };
  /** Also our attempt id: modules echo it back (metadata) so the provider's webhook of the charge finds its attempt. */
  idempotencyKey: string;
}

export interface ChargeDone {
  status: 'succeeded' | 'pending' | 'declined';
  transactionReference: string | null;
  fees: number | null;
  declineMessage: string | null;
  request: unknown;
  response: unknown;
}

/** Failures a module reports: 'declined' (the customer's bank said no), 'config' (bad keys), 'unavailable' (retry). */
export type GatewayFailureKind = 'declined' | 'config' | 'unavailable' | 'invalid';

export interface PaymentGatewayModule {
  readonly code: string;
  /** Shown to staff when they configure it. */
  readonly name: string;
  /** The credential keys staff must fill in, with labels. */
  readonly credentialFields: ReadonlyArray<{ key: string; label: string }>;
  readonly supports: { refunds: boolean; savedMethods: boolean };

  /** Creates the hosted checkout for one invoice's amount. */
  startCheckout(settings: GatewaySettings, request: CheckoutRequest): Promise<Outcome<CheckoutStarted>>;

  /**
   * Checks a webhook/IPN is genuine (signature over the raw body with the signing secret and a 300 s tolerance, or
   * the provider's validation API) and says what it reports. A forged, stale or unreadable notification is a failure
   * with error 'forged' or 'stale' or 'invalid', and must change nothing.
   */
  verifyNotification(settings: GatewaySettings, incoming: IncomingNotification): Promise<Outcome<{ event: GatewayEvent }>>;

  /**
   * The customer's browser came back to the return URL (query parameters as received). Providers that settle on
   * return (PayPal captures the approved order; SSLCommerz validates val_id) do it here and report the event; the
   * others answer null and the webhook decides.
   */
  completeReturn(settings: GatewaySettings, query: Record<string, string>, checkoutReference: string): Promise<Outcome<{ event: GatewayEvent | null }>>;

  refund(settings: GatewaySettings, request: RefundRequest): Promise<Outcome<RefundDone>>;

  /** Charges a saved method without the customer present (renewals). Modules without saved methods fail 'unsupported'. */
  chargeSavedMethod(settings: GatewaySettings, request: ChargeRequest): Promise<Outcome<ChargeDone>>;

  /** A harmless authenticated call that proves the keys work (Test Configuration in the admin). */
  testConfiguration(settings: GatewaySettings): Promise<Outcome<{ message: string }>>;
}
