import { DEFAULT_SEQUENCES } from '../domain/billing/numbering.js';
/**
 * The in-memory plan of the demo company (clients, services, invoices, …) before it is written, and the business
 * settings it assumes. Plain data: no database access here.
 */
import type { EntityManager } from 'typeorm';
import type { InvoiceItemType } from '../entities/billing/invoice-item.entity.js';
import type { DomainStatus } from '../entities/domains/domain.entity.js';
import type { ServiceStatus } from '../entities/hosting/service.entity.js';
import type { OrderStatus } from '../entities/orders/order.entity.js';
import type { AddonKey, Cycle, DemoProductDef, ServerKey } from './content-catalog.js';
import type { CurrencyCode, DemoClientDef, GroupKey } from './content-people.js';

export type RecurringCycle = Exclude<Cycle, 'onetime'>;

/** Business settings the demo assumes; also written to the settings table. */
export const DEMO_BILLING = {
  invoiceDaysBefore: 14,
  dueSoonReminderDays: 7,
  overdue1Days: 1,
  overdue2Days: 7,
  overdue3Days: 14,
  suspendAfterDays: 5,
  terminateAfterDays: 30,
  cancelUnpaidOrdersAfterDays: 7,
};

export const DEMO_TAX_RATES: Array<{ name: string; country: string | null; state: string | null; rate: string; level: number; priority: number }> = [
  { name: 'Sales Tax', country: 'US', state: 'CA', rate: '7.2500', level: 1, priority: 0 },
  { name: 'VAT', country: 'GB', state: null, rate: '20.0000', level: 1, priority: 0 },
  { name: 'MwSt.', country: 'DE', state: null, rate: '19.0000', level: 1, priority: 0 },
  { name: 'TVA', country: 'FR', state: null, rate: '20.0000', level: 1, priority: 0 },
  { name: 'GST', country: 'CA', state: null, rate: '5.0000', level: 1, priority: 0 },
  { name: 'HST', country: 'CA', state: 'ON', rate: '13.0000', level: 1, priority: 0 },
  { name: 'QST', country: 'CA', state: 'QC', rate: '9.9750', level: 2, priority: 0 },
  { name: 'VAT', country: 'BD', state: null, rate: '15.0000', level: 1, priority: 0 },
];

/** The demo numbers its documents with the same formats a fresh installation starts with. */
export const NUMBER_FORMATS = DEFAULT_SEQUENCES as Record<'invoice' | 'order' | 'ticket' | 'quote' | 'credit_note', { format: string; resetYearly: boolean }>;

export type Scenario =
  | 'active'
  | 'cancel_requested'
  | 'suspended_abuse'
  | 'due_soon'
  | 'due_soon_partial'
  | 'due_soon_payment_pending'
  | 'overdue'
  | 'overdue_partial'
  | 'suspended_overdue'
  | 'pending'
  | 'pending_paid'
  | 'fraud'
  | 'order_cancelled'
  | 'refunded'
  | 'terminated'
  | 'terminated_collections'
  | 'cancelled';

/** Scenarios whose service runs (or ran) through full billing periods before the next due date. */
export const PERIODIC: Scenario[] = [
  'active',
  'cancel_requested',
  'suspended_abuse',
  'due_soon',
  'due_soon_partial',
  'due_soon_payment_pending',
  'overdue',
  'overdue_partial',
  'suspended_overdue',
  'terminated',
  'terminated_collections',
  'cancelled',
];

/** Where the next due date falls relative to today, per scenario (days). */
export const DUE_WINDOW: Partial<Record<Scenario, [number, number]>> = {
  due_soon: [1, 14],
  due_soon_partial: [2, 12],
  due_soon_payment_pending: [1, 10],
  overdue: [-4, -1],
  overdue_partial: [-4, -2],
  suspended_overdue: [-12, -6],
  terminated: [-200, -40],
  terminated_collections: [-150, -70],
  cancelled: [-180, -5],
};

export interface TaxInfo {
  rate1: string;
  name1: string | null;
  rate2: string;
  name2: string | null;
}

export interface ClientP {
  def: DemoClientDef;
  idx: number;
  id: number;
  userId: number | null;
  email: string;
  cur: CurrencyCode;
  currencyId: number;
  groupKey: GroupKey | null;
  groupPct: string | null;
  tax: TaxInfo;
  gateway: string | null;
  services: ServiceP[];
  domains: DomainP[];
  createdDate: string;
  creditBalance: number;
}

export interface AddonP {
  id: number;
  key: AddonKey;
  addonId: number;
  name: string;
  service: ServiceP;
  cycle: RecurringCycle;
  price: number;
  discount: number;
  recurring: number;
  status: 'pending' | 'active' | 'suspended' | 'terminated' | 'cancelled';
}

export interface OptionSel {
  optionKey: 'ram' | 'ips' | 'os';
  choiceKey: string;
  quantity: number;
  label: string;
  price: number;
  discount: number;
}

export interface ServiceP {
  id: number;
  client: ClientP;
  product: DemoProductDef;
  cycle: RecurringCycle;
  months: number;
  scenario: Scenario;
  serverKey: ServerKey | null;
  domain: string;
  username: string | null;
  password: string;
  R: string;
  N: string;
  /** Number of fully paid periods before N. */
  k: number;
  status: ServiceStatus;
  termination: string | null;
  nextInvoice: string | null;
  suspensionReason: string | null;
  suspendedAt: Date | null;
  overdueSuspended: boolean;
  basePrice: number;
  baseDiscount: number;
  setup: number;
  options: OptionSel[];
  recurring: number;
  promoDiscount: number;
  promo: boolean;
  firstPayment: number;
  addons: AddonP[];
  domainP: DomainP | null;
  order: OrderP | null;
  initialInvoice: InvoiceP | null;
  currentInvoice: InvoiceP | null;
  dedicatedIp: string | null;
  assignedIps: string[] | null;
  providerRef: string | null;
  providerData: Record<string, unknown> | null;
  forcedR?: [number, number];
}

export interface DomainP {
  id: number;
  client: ClientP;
  service: ServiceP | null;
  name: string;
  tld: string;
  years: number;
  regType: 'register' | 'transfer';
  status: DomainStatus;
  regDate: string;
  expiry: string | null;
  nextDue: string;
  nextInvoice: string | null;
  firstPayment: number;
  recurring: number;
  autoRenew: boolean;
  eppCode: string | null;
  order: OrderP | null;
  notes: string | null;
}

export type Outcome =
  | { kind: 'paid'; on: string; split?: boolean; manual?: boolean }
  | { kind: 'unpaid'; partial?: boolean; failedAttempt?: boolean }
  | { kind: 'payment_pending' }
  | { kind: 'cancelled'; on: string }
  | { kind: 'refunded'; paidOn: string; refundOn: string }
  | { kind: 'collections'; on: string }
  | { kind: 'draft' };

export interface LineP {
  type: InvoiceItemType;
  description: string;
  amount: number;
  quantity: number;
  unitPrice: number;
  taxable: boolean;
  periodStart: string | null;
  periodEnd: string | null;
  service?: ServiceP;
  addon?: AddonP;
  domain?: DomainP;
  billable?: BillableP;
  keyKind?: 'service' | 'addon' | 'domain';
}

export interface TxnP {
  id: number;
  invoice: InvoiceP | null;
  client: ClientP;
  type: 'payment' | 'refund';
  gateway: string;
  reference: string | null;
  amountIn: number;
  amountOut: number;
  status: 'pending' | 'completed' | 'failed';
  date: Date;
  description: string;
  refundOf: TxnP | null;
}

export interface InvoiceP {
  id: number;
  seq: number;
  client: ClientP;
  issue: string;
  due: string;
  lines: LineP[];
  outcome: Outcome;
  number: string | null;
  status: string;
  subtotal: number;
  tax1: number;
  tax2: number;
  total: number;
  amountPaid: number;
  credit: number;
  paidAt: Date | null;
  cancelledAt: Date | null;
  refundedAt: Date | null;
  notes: string | null;
  adminNotes: string | null;
  txns: TxnP[];
}

export interface OrderLineP {
  id: number;
  parent: OrderLineP | null;
  itemType: 'product' | 'addon' | 'domain_register' | 'domain_transfer' | 'config_option';
  productId: number | null;
  addonId: number | null;
  domainProductId: number | null;
  service: ServiceP | null;
  addon: AddonP | null;
  domain: DomainP | null;
  description: string;
  domainName: string | null;
  cycle: RecurringCycle | null;
  years: number | null;
  unitPrice: number;
  setupFee: number;
  discount: number;
  configOptions: Array<{ optionId: number; choiceId?: number | null; quantity?: number | null }> | null;
}

export interface OrderP {
  id: number;
  client: ClientP;
  date: string;
  hour: number;
  status: OrderStatus;
  lines: OrderLineP[];
  invoice: InvoiceP | null;
  promo: boolean;
  acceptedAt: Date | null;
  acceptedBy: string | null;
  fraudCheck: Record<string, unknown> | null;
  notes: string | null;
  history: Array<{ old: string | null; next: string; at: Date; by: string | null; note: string | null }>;
  number: string;
}

export interface BillableP {
  id: number;
  client: ClientP;
  service: ServiceP | null;
  description: string;
  amount: number;
  invoiceAction: 'noinvoice' | 'nextcron' | 'nextinvoice' | 'duedate' | 'recur';
  recurEvery: number;
  recurUnit: 'day' | 'week' | 'month' | 'year';
  recurCount: number | null;
  timesInvoiced: number;
  dueDate: string | null;
  nextInvoiceDate: string | null;
  invoiced: boolean;
}

export interface BuildOptions {
  m: EntityManager;
  today: string;
  nowMs: number;
  staffHashes: Map<string, string>;
  clientHash: string;
}

export interface BuildSummary {
  rows: number;
  counts: Record<string, number>;
}


/** The account of the fake registrar `npm run fake:registrar` starts; the demo's settings point at it. */
export const DEMO_REGISTRAR = { resellerId: '100000', apiKey: 'demo-registrar-key-not-a-secret', apiBase: 'http://127.0.0.1:4040/api' } as const;
