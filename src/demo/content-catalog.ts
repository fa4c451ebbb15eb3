/**
 * The demo product catalogue. Prices are curated in USD cents; EUR and GBP prices are derived with `localPrice`
 * (converted at the demo exchange rate, then set to a .x9 price point), so every currency has a price for every cycle.
 */
import type { CurrencyCode } from './content-people.js';

export type Cycle = 'onetime' | 'monthly' | 'quarterly' | 'semiannually' | 'annually' | 'biennially' | 'triennially';

export const CYCLE_MONTHS: Record<Exclude<Cycle, 'onetime'>, number> = {
  monthly: 1,
  quarterly: 3,
  semiannually: 6,
  annually: 12,
  biennially: 24,
  triennially: 36,
};

export const CYCLE_LABEL: Record<Exclude<Cycle, 'onetime'>, string> = {
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  semiannually: 'Semi-Annually',
  annually: 'Annually',
  biennially: 'Biennially',
  triennially: 'Triennially',
};

export const DEMO_CURRENCIES: Array<{ code: CurrencyCode; prefix: string; suffix: string; rate: string; isDefault: boolean }> = [
  { code: 'USD', prefix: '$', suffix: ' USD', rate: '1.00000000', isDefault: true },
  { code: 'EUR', prefix: '€', suffix: ' EUR', rate: '0.92000000', isDefault: false },
  { code: 'GBP', prefix: '£', suffix: ' GBP', rate: '0.79000000', isDefault: false },
];

const RATE_PERMILLE: Record<CurrencyCode, number> = { USD: 1000, EUR: 920, GBP: 790 };

/** A USD price in another currency: converted, then rounded to the nearest x.x9 price point. */
export function localPrice(usdCents: number, code: CurrencyCode): number {
  if (code === 'USD' || usdCents === 0) return usdCents;
  const converted = Math.round((usdCents * RATE_PERMILLE[code]) / 1000);
  return Math.max(9, Math.round(converted / 10) * 10 - 1);
}

export type ProductKey =
  | 'starter'
  | 'business'
  | 'pro'
  | 'legacy'
  | 'reseller_silver'
  | 'reseller_gold'
  | 'vps1'
  | 'vps2'
  | 'vps4'
  | 'dedicated'
  | 'ssl';

export type CategoryKey = 'shared' | 'reseller' | 'vps' | 'dedicated' | 'ssl';

export const DEMO_CATEGORIES: Array<{ key: CategoryKey; name: string; slug: string; description: string }> = [
  { key: 'shared', name: 'Shared Hosting', slug: 'shared-hosting', description: 'cPanel web hosting on fast NVMe servers with free SSL and daily snapshots.' },
  { key: 'reseller', name: 'Reseller Hosting', slug: 'reseller-hosting', description: 'White-label WHM reseller accounts for agencies and freelancers.' },
  { key: 'vps', name: 'Cloud VPS', slug: 'cloud-vps', description: 'KVM virtual servers with dedicated resources and full root access.' },
  { key: 'dedicated', name: 'Dedicated Servers', slug: 'dedicated-servers', description: 'Single-tenant bare-metal servers, set up by our engineers within one business day.' },
  { key: 'ssl', name: 'SSL Certificates', slug: 'ssl-certificates', description: 'Domain-validated certificates for sites not hosted with us.' },
];

export type ServerGroupKey = 'shared' | 'reseller' | 'vps';
export type PackageKey = 'starter' | 'business' | 'pro' | 'legacy' | 'reseller_silver' | 'reseller_gold';

export interface DemoProductDef {
  key: ProductKey;
  category: CategoryKey;
  name: string;
  slug: string;
  type: 'shared' | 'reseller' | 'vps' | 'dedicated' | 'ssl';
  module: 'none' | 'cpanel' | 'virtualizor';
  serverGroup: ServerGroupKey | null;
  package: PackageKey | null;
  /** USD cents per cycle: [recurring price, setup fee]. */
  prices: Partial<Record<Exclude<Cycle, 'onetime'>, [number, number]>>;
  description: string;
  features: string[];
  autoSetup: 'never' | 'order' | 'payment' | 'accept';
  requireDomain: boolean;
  featured?: boolean;
  hidden?: boolean;
  retired?: boolean;
  stock?: number;
  welcomeEmail: string | null;
  moduleConfig?: Record<string, unknown>;
}

export const DEMO_PRODUCTS: DemoProductDef[] = [
  {
    key: 'starter',
    category: 'shared',
    name: 'Shared Starter',
    slug: 'shared-starter',
    type: 'shared',
    module: 'cpanel',
    serverGroup: 'shared',
    package: 'starter',
    prices: { monthly: [499, 0], quarterly: [1437, 0], semiannually: [2754, 0], annually: [4788, 0], biennially: [8376, 0], triennially: [10764, 0] },
    description: '<p>One website with everything it needs to get online.</p>',
    features: ['1 website', '10 GB NVMe storage', '10 email accounts', 'Free SSL certificates', 'Daily snapshots'],
    autoSetup: 'payment',
    requireDomain: true,
    welcomeEmail: 'hosting_welcome',
  },
  {
    key: 'business',
    category: 'shared',
    name: 'Shared Business',
    slug: 'shared-business',
    type: 'shared',
    module: 'cpanel',
    serverGroup: 'shared',
    package: 'business',
    prices: { monthly: [999, 0], quarterly: [2877, 0], semiannually: [5634, 0], annually: [10788, 0], biennially: [19176, 0], triennially: [25164, 0] },
    description: '<p>Ten websites, more resources and staging for growing businesses.</p>',
    features: ['10 websites', '50 GB NVMe storage', 'Unlimited email accounts', 'Free SSL certificates', 'Staging environment'],
    autoSetup: 'payment',
    requireDomain: true,
    featured: true,
    welcomeEmail: 'hosting_welcome',
  },
  {
    key: 'pro',
    category: 'shared',
    name: 'Shared Pro',
    slug: 'shared-pro',
    type: 'shared',
    module: 'cpanel',
    serverGroup: 'shared',
    package: 'pro',
    prices: { monthly: [1799, 0], quarterly: [5187, 0], semiannually: [10134, 0], annually: [19188, 0], biennially: [35976, 0], triennially: [50364, 0] },
    description: '<p>Unlimited websites with twice the CPU and memory of Business.</p>',
    features: ['Unlimited websites', '100 GB NVMe storage', '2x CPU and memory', 'Free dedicated IP on annual plans', 'Priority support'],
    autoSetup: 'payment',
    requireDomain: true,
    welcomeEmail: 'hosting_welcome',
  },
  {
    key: 'legacy',
    category: 'shared',
    name: 'Shared Basic (2019)',
    slug: 'shared-basic-2019',
    type: 'shared',
    module: 'cpanel',
    serverGroup: 'shared',
    package: 'legacy',
    prices: { monthly: [399, 0], annually: [3999, 0] },
    description: '<p>Retired plan, kept for existing customers.</p>',
    features: ['1 website', '5 GB storage', '5 email accounts'],
    autoSetup: 'payment',
    requireDomain: true,
    hidden: true,
    retired: true,
    welcomeEmail: 'hosting_welcome',
  },
  {
    key: 'reseller_silver',
    category: 'reseller',
    name: 'Reseller Silver',
    slug: 'reseller-silver',
    type: 'reseller',
    module: 'cpanel',
    serverGroup: 'reseller',
    package: 'reseller_silver',
    prices: { monthly: [2499, 0], quarterly: [7197, 0], semiannually: [14094, 0], annually: [26988, 0] },
    description: '<p>Start your own hosting brand with 25 cPanel accounts.</p>',
    features: ['25 cPanel accounts', '100 GB NVMe storage', 'White-label nameservers', 'WHMCS-compatible API'],
    autoSetup: 'payment',
    requireDomain: true,
    welcomeEmail: 'hosting_welcome',
  },
  {
    key: 'reseller_gold',
    category: 'reseller',
    name: 'Reseller Gold',
    slug: 'reseller-gold',
    type: 'reseller',
    module: 'cpanel',
    serverGroup: 'reseller',
    package: 'reseller_gold',
    prices: { monthly: [4499, 0], quarterly: [12957, 0], semiannually: [25434, 0], annually: [48588, 0] },
    description: '<p>For established agencies: 60 accounts and generous resources.</p>',
    features: ['60 cPanel accounts', '250 GB NVMe storage', 'White-label nameservers', 'Free reseller SSL'],
    autoSetup: 'payment',
    requireDomain: true,
    featured: true,
    welcomeEmail: 'hosting_welcome',
  },
  {
    key: 'vps1',
    category: 'vps',
    name: 'Cloud VPS 1',
    slug: 'cloud-vps-1',
    type: 'vps',
    module: 'virtualizor',
    serverGroup: 'vps',
    package: null,
    prices: { monthly: [1200, 500], quarterly: [3480, 0], semiannually: [6720, 0], annually: [12960, 0] },
    description: '<p>1 vCPU, 2 GB RAM, 40 GB NVMe, 2 TB transfer.</p>',
    features: ['1 vCPU', '2 GB RAM', '40 GB NVMe', '2 TB transfer', '1 IPv4 + /64 IPv6'],
    autoSetup: 'payment',
    requireDomain: false,
    welcomeEmail: 'vps_welcome',
    moduleConfig: { planId: 11, virtType: 'kvm', diskGb: 40, ramMb: 2048, cores: 1 },
  },
  {
    key: 'vps2',
    category: 'vps',
    name: 'Cloud VPS 2',
    slug: 'cloud-vps-2',
    type: 'vps',
    module: 'virtualizor',
    serverGroup: 'vps',
    package: null,
    prices: { monthly: [2400, 500], quarterly: [6960, 0], semiannually: [13440, 0], annually: [25920, 0] },
    description: '<p>2 vCPU, 4 GB RAM, 80 GB NVMe, 4 TB transfer.</p>',
    features: ['2 vCPU', '4 GB RAM', '80 GB NVMe', '4 TB transfer', '1 IPv4 + /64 IPv6'],
    autoSetup: 'payment',
    requireDomain: false,
    featured: true,
    welcomeEmail: 'vps_welcome',
    moduleConfig: { planId: 12, virtType: 'kvm', diskGb: 80, ramMb: 4096, cores: 2 },
  },
  {
    key: 'vps4',
    category: 'vps',
    name: 'Cloud VPS 4',
    slug: 'cloud-vps-4',
    type: 'vps',
    module: 'virtualizor',
    serverGroup: 'vps',
    package: null,
    prices: { monthly: [4800, 500], quarterly: [13920, 0], semiannually: [26880, 0], annually: [51840, 0] },
    description: '<p>4 vCPU, 8 GB RAM, 160 GB NVMe, 6 TB transfer.</p>',
    features: ['4 vCPU', '8 GB RAM', '160 GB NVMe', '6 TB transfer', '1 IPv4 + /64 IPv6'],
    autoSetup: 'payment',
    requireDomain: false,
    welcomeEmail: 'vps_welcome',
    moduleConfig: { planId: 14, virtType: 'kvm', diskGb: 160, ramMb: 8192, cores: 4 },
  },
  {
    key: 'dedicated',
    category: 'dedicated',
    name: 'Dedicated E-2388G',
    slug: 'dedicated-e2388g',
    type: 'dedicated',
    module: 'none',
    serverGroup: null,
    package: null,
    prices: { monthly: [14900, 9900], quarterly: [43500, 4900], annually: [162000, 0] },
    description: '<p>Intel Xeon E-2388G (8 cores), 64 GB ECC RAM, 2 × 1 TB NVMe in RAID 1, 1 Gbit/s unmetered.</p>',
    features: ['Xeon E-2388G, 8 cores', '64 GB ECC RAM', '2 × 1 TB NVMe (RAID 1)', '1 Gbit/s unmetered', 'IPMI access'],
    autoSetup: 'never',
    requireDomain: false,
    stock: 3,
    welcomeEmail: 'dedicated_welcome',
  },
  {
    key: 'ssl',
    category: 'ssl',
    name: 'PositiveSSL DV',
    slug: 'positivessl-dv',
    type: 'ssl',
    module: 'none',
    serverGroup: null,
    package: null,
    prices: { annually: [1499, 0], biennially: [2698, 0] },
    description: '<p>Domain-validated certificate, issued in minutes, with a $10,000 warranty.</p>',
    features: ['Domain validation', 'Issued in minutes', '256-bit encryption', 'Site seal'],
    autoSetup: 'payment',
    requireDomain: true,
    welcomeEmail: null,
  },
];

export const DEMO_PACKAGES: Array<{
  key: PackageKey;
  name: string;
  diskQuotaMb: number | null;
  bandwidthMb: number | null;
  maxEmails: number | null;
  maxDatabases: number | null;
  maxFtp: number | null;
  maxDomains: number | null;
  maxSubdomains: number | null;
  maxParked: number | null;
  isReseller: boolean;
  shellAccess: boolean;
  status: 'active' | 'inactive';
}> = [
  { key: 'starter', name: 'meridian_starter', diskQuotaMb: 10240, bandwidthMb: 102400, maxEmails: 10, maxDatabases: 5, maxFtp: 5, maxDomains: 0, maxSubdomains: 10, maxParked: 5, isReseller: false, shellAccess: false, status: 'active' },
  { key: 'business', name: 'meridian_business', diskQuotaMb: 51200, bandwidthMb: null, maxEmails: null, maxDatabases: 25, maxFtp: 25, maxDomains: 9, maxSubdomains: 50, maxParked: 20, isReseller: false, shellAccess: false, status: 'active' },
  { key: 'pro', name: 'meridian_pro', diskQuotaMb: 102400, bandwidthMb: null, maxEmails: null, maxDatabases: null, maxFtp: null, maxDomains: null, maxSubdomains: null, maxParked: null, isReseller: false, shellAccess: true, status: 'active' },
  { key: 'legacy', name: 'basic_2019', diskQuotaMb: 5120, bandwidthMb: 51200, maxEmails: 5, maxDatabases: 2, maxFtp: 2, maxDomains: 0, maxSubdomains: 5, maxParked: 2, isReseller: false, shellAccess: false, status: 'inactive' },
  { key: 'reseller_silver', name: 'reseller_silver', diskQuotaMb: 102400, bandwidthMb: 1024000, maxEmails: null, maxDatabases: null, maxFtp: null, maxDomains: null, maxSubdomains: null, maxParked: null, isReseller: true, shellAccess: false, status: 'active' },
  { key: 'reseller_gold', name: 'reseller_gold', diskQuotaMb: 256000, bandwidthMb: 2560000, maxEmails: null, maxDatabases: null, maxFtp: null, maxDomains: null, maxSubdomains: null, maxParked: null, isReseller: true, shellAccess: true, status: 'active' },
];

export type ServerKey = 'cp1' | 'cp2' | 'cp3' | 'vz1';

export const DEMO_SERVER_GROUPS: Array<{ key: ServerGroupKey; name: string; fillMethod: 'least_used' | 'round_robin' | 'fill_first'; description: string }> = [
  { key: 'shared', name: 'Shared Hosting (US)', fillMethod: 'least_used', description: 'cPanel servers in Dallas for shared plans.' },
  { key: 'reseller', name: 'Reseller Hosting (EU)', fillMethod: 'fill_first', description: 'cPanel server in Frankfurt reserved for reseller accounts.' },
  { key: 'vps', name: 'KVM Cloud', fillMethod: 'round_robin', description: 'Virtualizor master controlling the KVM nodes.' },
];

export const DEMO_SERVERS: Array<{
  key: ServerKey;
  name: string;
  hostname: string;
  ipAddress: string;
  type: 'cpanel' | 'virtualizor';
  group: ServerGroupKey;
  port: number;
  maxAccounts: number;
  datacenter: string;
  monthlyCost: number;
  status: 'active' | 'inactive' | 'maintenance';
  notes: string;
}> = [
  { key: 'cp1', name: 'cPanel 1 (Dallas)', hostname: 'cp1.demo-host.test', ipAddress: '192.0.2.10', type: 'cpanel', group: 'shared', port: 2087, maxAccounts: 400, datacenter: 'Dallas, TX', monthlyCost: 18900, status: 'active', notes: 'AlmaLinux 9, cPanel 118, LiteSpeed. Demo server: not reachable.' },
  { key: 'cp2', name: 'cPanel 2 (Dallas)', hostname: 'cp2.demo-host.test', ipAddress: '192.0.2.11', type: 'cpanel', group: 'shared', port: 2087, maxAccounts: 400, datacenter: 'Dallas, TX', monthlyCost: 18900, status: 'active', notes: 'AlmaLinux 9, cPanel 118, LiteSpeed. Demo server: not reachable.' },
  { key: 'cp3', name: 'cPanel 3 (Frankfurt)', hostname: 'cp3.demo-host.test', ipAddress: '198.51.100.20', type: 'cpanel', group: 'reseller', port: 2087, maxAccounts: 600, datacenter: 'Frankfurt, DE', monthlyCost: 21500, status: 'active', notes: 'Reseller node. Demo server: not reachable.' },
  { key: 'vz1', name: 'Virtualizor Master', hostname: 'vz1.demo-host.test', ipAddress: '203.0.113.5', type: 'virtualizor', group: 'vps', port: 4085, maxAccounts: 120, datacenter: 'Dallas, TX', monthlyCost: 42000, status: 'active', notes: 'Controls kvm-node-01 and kvm-node-02. Demo server: not reachable.' },
];

/** Configurable options of the VPS products, priced per month in USD cents. */
export const VPS_OPTIONS: Array<{
  key: 'ram' | 'ips' | 'os';
  name: string;
  moduleKey: string;
  optionType: 'dropdown' | 'quantity';
  minQuantity: number;
  maxQuantity: number;
  choices: Array<{ key: string; name: string; moduleValue: string | null; monthlyUsd: number }>;
}> = [
  {
    key: 'ram',
    name: 'Extra RAM',
    moduleKey: 'ram',
    optionType: 'dropdown',
    minQuantity: 0,
    maxQuantity: 0,
    choices: [
      { key: 'none', name: 'None', moduleValue: '0', monthlyUsd: 0 },
      { key: '1g', name: '+1 GB', moduleValue: '1024', monthlyUsd: 400 },
      { key: '2g', name: '+2 GB', moduleValue: '2048', monthlyUsd: 750 },
      { key: '4g', name: '+4 GB', moduleValue: '4096', monthlyUsd: 1400 },
    ],
  },
  {
    key: 'ips',
    name: 'Additional IPv4 addresses',
    moduleKey: 'ips',
    optionType: 'quantity',
    minQuantity: 0,
    maxQuantity: 4,
    choices: [{ key: 'ip', name: 'IPv4 address', moduleValue: null, monthlyUsd: 300 }],
  },
  {
    key: 'os',
    name: 'Operating system',
    moduleKey: 'os',
    optionType: 'dropdown',
    minQuantity: 0,
    maxQuantity: 0,
    choices: [
      { key: 'ubuntu', name: 'Ubuntu 24.04 LTS', moduleValue: 'ubuntu-24.04-x86_64', monthlyUsd: 0 },
      { key: 'debian', name: 'Debian 12', moduleValue: 'debian-12-x86_64', monthlyUsd: 0 },
      { key: 'alma', name: 'AlmaLinux 9', moduleValue: 'almalinux-9-x86_64', monthlyUsd: 0 },
      { key: 'windows', name: 'Windows Server 2022 (+licence)', moduleValue: 'windows-2022', monthlyUsd: 1500 },
    ],
  },
];

export const VPS_OPTION_CYCLES: Array<Exclude<Cycle, 'onetime'>> = ['monthly', 'quarterly', 'semiannually', 'annually'];

export type AddonKey = 'ip' | 'backup' | 'ssl';

export const DEMO_ADDONS: Array<{
  key: AddonKey;
  name: string;
  description: string;
  products: ProductKey[];
  prices: Partial<Record<Exclude<Cycle, 'onetime'>, number>>;
  module: 'none' | 'cpanel';
  moduleConfig: Record<string, unknown> | null;
}> = [
  { key: 'ip', name: 'Dedicated IP address', description: 'A dedicated IPv4 address for your hosting account.', products: ['starter', 'business', 'pro', 'reseller_silver', 'reseller_gold'], prices: { monthly: 300, annually: 3000 }, module: 'cpanel', moduleConfig: { action: 'add_dedicated_ip' } },
  { key: 'backup', name: 'Daily Off-site Backups', description: 'Daily backups kept 30 days in a second data centre, restorable from cPanel.', products: ['starter', 'business', 'pro', 'vps1', 'vps2', 'vps4'], prices: { monthly: 250, annually: 2500 }, module: 'none', moduleConfig: null },
  { key: 'ssl', name: 'PositiveSSL Certificate', description: 'Commercial DV certificate with warranty and site seal, installed for you.', products: ['starter', 'business', 'pro'], prices: { annually: 1499 }, module: 'none', moduleConfig: null },
];

export const DEMO_TLDS: Array<{ tld: string; register: number; renew: number; transfer: number; graceDays: number; redemptionDays: number; eppRequired: boolean; idProtection: boolean }> = [
  { tld: '.com', register: 1299, renew: 1499, transfer: 1299, graceDays: 30, redemptionDays: 30, eppRequired: true, idProtection: true },
  { tld: '.net', register: 1499, renew: 1699, transfer: 1499, graceDays: 30, redemptionDays: 30, eppRequired: true, idProtection: true },
  { tld: '.org', register: 1399, renew: 1599, transfer: 1399, graceDays: 30, redemptionDays: 30, eppRequired: true, idProtection: true },
  { tld: '.io', register: 3999, renew: 4999, transfer: 3999, graceDays: 30, redemptionDays: 30, eppRequired: true, idProtection: true },
  { tld: '.co.uk', register: 799, renew: 899, transfer: 599, graceDays: 30, redemptionDays: 60, eppRequired: false, idProtection: false },
  { tld: '.de', register: 899, renew: 999, transfer: 899, graceDays: 0, redemptionDays: 30, eppRequired: true, idProtection: false },
];

export const DOMAIN_YEARS = [1, 2, 3];
