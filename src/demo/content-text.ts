/**
 * Words of the demo: email templates, support conversations, knowledge base, announcements and staff notes.
 * Email bodies are Handlebars using plain variables only ({{client.firstName}}, {{invoice.number}}, …).
 */

import { STANDARD_EMAIL_TEMPLATES, type StandardEmailTemplate } from '../domain/notifications/standard-templates.js';

export type DemoEmailTemplate = StandardEmailTemplate;
/** The demo shows the templates every installation starts with. */
export const DEMO_EMAIL_TEMPLATES: DemoEmailTemplate[] = STANDARD_EMAIL_TEMPLATES;

export type TicketNeed = 'any' | 'shared' | 'vps' | 'abuse' | 'domain' | 'suspended' | 'reseller' | 'dedicated' | 'guest';
export type Dept = 'Sales' | 'Technical Support' | 'Billing';

export interface DemoTicketDef {
  subject: string;
  department: Dept;
  status: 'open' | 'answered' | 'customer_reply' | 'on_hold' | 'in_progress' | 'closed';
  priority: 'low' | 'medium' | 'high' | 'urgent';
  need: TicketNeed;
  /** When the ticket was opened, hours before now. */
  hoursAgo: number;
  rating?: number;
  guest?: { name: string; email: string };
  /** 'client' = the ticket's client (or guest); 'staff:<key>' = a staff member; 'note:<key>' = internal note. */
  messages: Array<[string, string]>;
}

/** {first} = client's first name, {domain} = the linked service's domain or the client's site. */
export const DEMO_TICKETS: DemoTicketDef[] = [
  {
    subject: 'Website showing 500 Internal Server Error',
    department: 'Technical Support',
    status: 'open',
    priority: 'high',
    need: 'shared',
    hoursAgo: 3,
    messages: [['client', 'Since this morning {domain} returns a 500 error on every page. I have not changed anything on the site. Could you take a look please?']],
  },
  {
    subject: 'Do you offer Node.js hosting?',
    department: 'Sales',
    status: 'open',
    priority: 'medium',
    need: 'guest',
    hoursAgo: 9,
    guest: { name: 'Mateo Silva', email: 'mateo.silva@inbox.example' },
    messages: [['client', 'Hi, I am looking to move a small Express application (about 2,000 visits a day). Do your shared plans support Node.js apps, or would I need a VPS? Thanks, Mateo']],
  },
  {
    subject: 'VPS unreachable after reboot',
    department: 'Technical Support',
    status: 'open',
    priority: 'urgent',
    need: 'vps',
    hoursAgo: 1,
    messages: [
      ['client', 'I rebooted {domain} from the client area about 20 minutes ago and it has not come back. Ping times out and SSH refuses to connect.'],
      ['client', 'Still down. This is our production API, please escalate.'],
    ],
  },
  {
    subject: 'Copies of last quarter\u2019s invoices with our VAT number',
    department: 'Billing',
    status: 'open',
    priority: 'low',
    need: 'any',
    hoursAgo: 26,
    messages: [['client', 'Hello, our accountant needs copies of last quarter\u2019s invoices showing our VAT number. Could you add it to our profile and re-send them? Many thanks, {first}']],
  },
  {
    subject: 'How do I set up email on my iPhone?',
    department: 'Technical Support',
    status: 'answered',
    priority: 'medium',
    need: 'shared',
    hoursAgo: 30,
    messages: [
      ['client', 'I created info@{domain} in cPanel but cannot get it working on my iPhone. Which settings should I use?'],
      ['staff:support', 'Hi {first},\n\nUse these settings (account type IMAP):\n- Incoming server: mail.{domain}, port 993, SSL\n- Outgoing server: mail.{domain}, port 465, SSL\n- Username: the full email address, and its password\n\nLet us know if it still refuses to connect and we will check the mail logs.'],
    ],
  },
  {
    subject: 'Upgrade from Starter to Business',
    department: 'Sales',
    status: 'answered',
    priority: 'low',
    need: 'shared',
    hoursAgo: 52,
    messages: [
      ['client', 'We are outgrowing our Starter plan. If I upgrade to Business today, do I lose the time I already paid for?'],
      ['staff:billing', 'Hi {first}, not at all: upgrades are pro-rated. The unused part of your current period is credited against the Business price, and your files, databases and email stay exactly where they are. You can upgrade from Services > Upgrade/Downgrade in the client area.'],
    ],
  },
  {
    subject: 'Domain not resolving after nameserver change',
    department: 'Technical Support',
    status: 'answered',
    priority: 'high',
    need: 'domain',
    hoursAgo: 70,
    messages: [
      ['client', 'I changed the nameservers of {domain} to yours yesterday but the site still shows the old host.'],
      ['staff:fatima', 'Hi {first}, the registry already returns ns1.demo-host.test and ns2.demo-host.test for {domain}. Resolvers that cached the old records can take up to 24 hours to pick up the change.'],
      ['client', 'It works on my phone (4G) but still not from my office network.'],
      ['staff:fatima', 'That is your office resolver\u2019s cache. Running `ipconfig /flushdns` (Windows) or restarting the router usually clears it; otherwise it expires on its own within a few hours.'],
    ],
  },
  {
    subject: 'Charged twice this month?',
    department: 'Billing',
    status: 'answered',
    priority: 'medium',
    need: 'any',
    hoursAgo: 40,
    messages: [
      ['client', 'I see two payments to you on my bank statement this month. Was I charged twice?'],
      ['staff:billing', 'Hi {first}, I checked your account: one payment is your hosting renewal and the other the yearly renewal of your domain, on two separate invoices. Nothing was charged twice. Both invoices are under Billing > My Invoices.'],
    ],
  },
  {
    subject: 'Can you enable nested virtualisation?',
    department: 'Technical Support',
    status: 'answered',
    priority: 'medium',
    need: 'vps',
    hoursAgo: 95,
    messages: [
      ['client', 'I would like to run Docker Desktop with a small VM inside {domain}. Is nested virtualisation available?'],
      ['staff:lukas', 'Hi {first}, nested virtualisation is not available on the shared KVM nodes, for stability reasons. Plain Docker (without Docker Desktop) works fine on our VPS. If you need nested VMs, our dedicated servers support it.'],
    ],
  },
  {
    subject: 'Emails going to spam at Gmail',
    department: 'Technical Support',
    status: 'customer_reply',
    priority: 'high',
    need: 'shared',
    hoursAgo: 48,
    messages: [
      ['client', 'Our newsletters and even normal replies from {domain} land in spam for Gmail users.'],
      ['staff:support', 'Hi {first}, DKIM was not enabled for {domain}; I have switched it on and corrected the SPF record. Please also publish a DMARC record (v=DMARC1; p=none) and try again in an hour.'],
      ['client', 'Thanks. Better for most people, but two recipients still get us in spam. I have pasted the message headers below.\n\nAuthentication-Results: spf=pass dkim=pass dmarc=pass'],
    ],
  },
  {
    subject: 'Service suspended — I paid yesterday',
    department: 'Billing',
    status: 'customer_reply',
    priority: 'medium',
    need: 'suspended',
    hoursAgo: 22,
    messages: [
      ['client', 'My hosting for {domain} was suspended this morning but I paid by bank transfer yesterday.'],
      ['staff:billing', 'Hi {first}, bank transfers take one or two business days to reach us. If you send the remittance advice we can unsuspend the account now, and apply the payment when it arrives.'],
      ['client', 'Here is the remittance advice: reference MDH-{first}-0419, sent from our business account.'],
    ],
  },
  {
    subject: 'Discount for a non-profit organisation?',
    department: 'Sales',
    status: 'customer_reply',
    priority: 'low',
    need: 'any',
    hoursAgo: 120,
    messages: [
      ['client', 'We are a registered charity. Do you offer discounts for non-profits?'],
      ['staff:billing', 'Hi {first}, yes: 20% off all hosting for registered charities and schools. Please send us your registration number and we will move your account into the Non-profit group.'],
      ['client', 'Our charity registration number is 1187654. Thank you!'],
    ],
  },
  {
    subject: 'Custom nameservers for our reseller brand',
    department: 'Technical Support',
    status: 'customer_reply',
    priority: 'medium',
    need: 'reseller',
    hoursAgo: 140,
    messages: [
      ['client', 'We would like our customers to see ns1.northwind-hosting.test and ns2.northwind-hosting.test instead of yours. What do we need to do?'],
      ['staff:support', 'Hi {first}, register the two hosts as glue records at your registrar pointing to 198.51.100.21 and 198.51.100.22, then tell us and we will set them as the default nameservers of your reseller account.'],
      ['note:support', 'Reseller on cp3. IPs .21/.22 reserved for them in the IPAM sheet.'],
      ['client', 'Done: both glue records are registered. Can you confirm it works on your side?'],
    ],
  },
  {
    subject: 'Migrate 12 WordPress sites from our old host',
    department: 'Technical Support',
    status: 'on_hold',
    priority: 'medium',
    need: 'shared',
    hoursAgo: 210,
    messages: [
      ['client', 'We are moving 12 WordPress sites from another provider to our new account. Can you migrate them for us?'],
      ['staff:fatima', 'Hi {first}, of course, free of charge. Please send the old host\u2019s cPanel login (or full cPanel backups) and tell us which day suits you for the DNS switch.'],
      ['note:fatima', 'On hold until the client sends the old host credentials.'],
    ],
  },
  {
    subject: 'Change billing currency to EUR',
    department: 'Billing',
    status: 'on_hold',
    priority: 'low',
    need: 'any',
    hoursAgo: 300,
    messages: [
      ['client', 'Could you switch our account from USD to EUR? Our bank charges us conversion fees.'],
      ['staff:billing', 'Hi {first}, the currency of an account cannot change once it has invoices, but we can open a EUR account and move your services at their next renewal. I have put this ticket on hold until you confirm you would like that.'],
    ],
  },
  {
    subject: 'Abuse report: high outbound traffic from our VPS',
    department: 'Technical Support',
    status: 'in_progress',
    priority: 'urgent',
    need: 'abuse',
    hoursAgo: 7,
    messages: [
      ['client', 'We just received your abuse notification about {domain} sending a lot of traffic. We did not start anything unusual.'],
      ['staff:lukas', 'Hi {first}, the VPS was sending about 800 Mbit/s of UDP to a single target, so we null-routed its IP to protect the network. We are looking into it and will update you within the hour.'],
      ['note:lukas', 'Rescue ISO mounted. Found a cryptominer and a flood script in /tmp owned by www-data: outdated WordPress plugin. Snapshot taken before cleanup.'],
    ],
  },
  {
    subject: 'SMART errors on the second disk',
    department: 'Technical Support',
    status: 'in_progress',
    priority: 'high',
    need: 'dedicated',
    hoursAgo: 30,
    messages: [
      ['client', 'smartctl reports reallocated sectors on /dev/nvme1n1 of {domain}. The RAID is still healthy.'],
      ['staff:lukas', 'Hi {first}, thanks for the early warning. The data centre will hot-swap the disk tonight at 02:00 UTC; no downtime is expected. We will confirm once the RAID has rebuilt.'],
    ],
  },
  {
    subject: 'Refund for unused months',
    department: 'Billing',
    status: 'in_progress',
    priority: 'medium',
    need: 'any',
    hoursAgo: 60,
    messages: [
      ['client', 'We are closing our shop. Can we get a refund for the unused months of our annual plan?'],
      ['staff:billing', 'Hi {first}, I am reviewing this with our billing manager and will come back to you by tomorrow.'],
      ['note:billing', 'Paid 45 days ago, outside the 30-day guarantee. Propose account credit for the unused months instead of a refund.'],
    ],
  },
  {
    subject: 'Do you have servers in Europe?',
    department: 'Sales',
    status: 'closed',
    priority: 'low',
    need: 'any',
    hoursAgo: 400,
    rating: 5,
    messages: [
      ['client', 'Most of our visitors are in Germany. Do you have servers in Europe?'],
      ['staff:admin', 'Hi {first}, yes: our Frankfurt location hosts reseller and shared accounts, with about 10 ms latency to most of Germany. We can move your account there at no cost.'],
      ['client', 'Perfect, thank you!'],
    ],
  },
  {
    subject: 'Increase PHP memory_limit',
    department: 'Technical Support',
    status: 'closed',
    priority: 'medium',
    need: 'shared',
    hoursAgo: 600,
    rating: 5,
    messages: [
      ['client', 'WooCommerce says the PHP memory limit of {domain} is too low (128M).'],
      ['staff:support', 'Hi {first}, you can change it yourself in cPanel > MultiPHP INI Editor. I have raised it to 512M for you this time.'],
    ],
  },
  {
    subject: 'Site hacked — redirecting to spam pages',
    department: 'Technical Support',
    status: 'closed',
    priority: 'high',
    need: 'shared',
    hoursAgo: 900,
    rating: 4,
    messages: [
      ['client', 'Visitors of {domain} coming from Google are redirected to a pharmacy spam site!'],
      ['staff:fatima', 'Hi {first}, we found injected code in two plugin files and in .htaccess. We cleaned them, restored the plugins from yesterday\u2019s backup and reset the WordPress admin passwords (sent to you separately).'],
      ['client', 'Thank you so much, everything looks normal again.'],
      ['staff:fatima', 'Glad to hear it. Please keep plugins updated and consider our daily off-site backups addon. Closing this ticket now.'],
    ],
  },
  {
    subject: 'Update my payment details',
    department: 'Billing',
    status: 'closed',
    priority: 'medium',
    need: 'any',
    hoursAgo: 700,
    messages: [
      ['client', 'Our company bank account changed. Where do I update the payment details for future invoices?'],
      ['staff:billing', 'Hi {first}, nothing to update on our side for bank transfers: simply pay future invoices from the new account, quoting the invoice number as reference. Our own bank details are unchanged.'],
    ],
  },
  {
    subject: 'All our sites are down',
    department: 'Technical Support',
    status: 'closed',
    priority: 'urgent',
    need: 'shared',
    hoursAgo: 480,
    rating: 3,
    messages: [
      ['client', 'None of our websites load, including {domain}!'],
      ['staff:lukas', 'Hi {first}, an upstream router in Dallas dropped packets for about 40 minutes. It has been fixed and all sites are reachable again. Details are on our network status page. Sorry for the trouble.'],
    ],
  },
  {
    subject: 'Transfer domain to another registrar',
    department: 'Technical Support',
    status: 'closed',
    priority: 'low',
    need: 'domain',
    hoursAgo: 1100,
    messages: [
      ['client', 'I would like to move {domain} to the registrar of my new agency. How do I get the transfer code?'],
      ['staff:support', 'Hi {first}, I have removed the registrar lock and sent the EPP code to the registrant email address. The transfer usually completes within 5 days.'],
    ],
  },
  {
    subject: 'Quote for three dedicated servers',
    department: 'Sales',
    status: 'closed',
    priority: 'medium',
    need: 'guest',
    hoursAgo: 1300,
    guest: { name: 'Grace Okafor', email: 'grace.okafor@harborlogistics.example' },
    messages: [
      ['client', 'We need three dedicated servers for a new warehouse system, ideally on annual billing. Could you send a quote?'],
      ['staff:admin', 'Hi Grace, thank you for your interest. I have sent a formal quote to your email: three Dedicated E-2388G on annual billing with free setup.'],
      ['client', 'Received, thank you. We will review it internally.'],
    ],
  },
];

export const DEMO_PREDEFINED_REPLIES: Array<{ title: string; category: string; message: string; usedCount: number }> = [
  { title: 'Greeting', category: 'General', message: 'Hi {{client.firstName}},\n\nThank you for contacting {{company.name}}.', usedCount: 212 },
  { title: 'Need more information', category: 'General', message: 'Could you send us the exact URL, the time it happened and a screenshot of the error? That will help us find the cause quickly.', usedCount: 87 },
  { title: 'DNS propagation', category: 'Domains', message: 'DNS changes can take up to 24 hours to reach every resolver. You can check progress at any public DNS checker; nothing else is needed on your side.', usedCount: 64 },
  { title: 'Email client settings', category: 'Email', message: 'Incoming (IMAP): mail.yourdomain, port 993, SSL\nOutgoing (SMTP): mail.yourdomain, port 465, SSL\nUsername: your full email address.', usedCount: 58 },
  { title: 'Bank transfer clearing time', category: 'Billing', message: 'Bank transfers take one to two business days to reach us. Please send the remittance advice and we will apply the payment as soon as it arrives.', usedCount: 31 },
  { title: 'Closing ticket', category: 'General', message: 'As we have not heard back from you, we are closing this ticket. Simply reply to reopen it at any time.', usedCount: 143 },
];

export const DEMO_KB: Array<{ category: string; description: string; articles: Array<{ title: string; slug: string; body: string; views: number; published?: boolean }> }> = [
  {
    category: 'Getting Started',
    description: 'First steps with your new hosting account.',
    articles: [
      { title: 'Logging in to cPanel', slug: 'logging-in-to-cpanel', views: 1843, body: '<p>Open <code>https://yourdomain:2083</code> or use the <strong>Log in to cPanel</strong> button on the service page of the client area. Your username and password are in the welcome email.</p>' },
      { title: 'Pointing your domain to our nameservers', slug: 'pointing-your-domain-to-our-nameservers', views: 1290, body: '<p>At your registrar, set the nameservers to <code>ns1.demo-host.test</code> and <code>ns2.demo-host.test</code>. Changes take up to 24 hours to propagate.</p>' },
      { title: 'Installing WordPress with Softaculous', slug: 'installing-wordpress-with-softaculous', views: 967, body: '<p>In cPanel open <strong>Softaculous Apps Installer</strong>, choose WordPress, pick your domain and click <em>Install</em>. It takes about a minute.</p>' },
    ],
  },
  {
    category: 'Email',
    description: 'Mailboxes, forwarders and deliverability.',
    articles: [
      { title: 'Setting up email on your phone', slug: 'setting-up-email-on-your-phone', views: 1502, body: '<p>Use IMAP with <code>mail.yourdomain</code> on port 993 (SSL) for incoming mail and SMTP on port 465 (SSL) for outgoing mail. The username is the full address.</p>' },
      { title: 'Improving deliverability with SPF, DKIM and DMARC', slug: 'spf-dkim-dmarc', views: 611, body: '<p>Enable DKIM and SPF in cPanel &gt; <strong>Email Deliverability</strong>, then publish a DMARC record such as <code>v=DMARC1; p=none; rua=mailto:you@yourdomain</code>.</p>' },
    ],
  },
  {
    category: 'Billing',
    description: 'Invoices, payments and account credit.',
    articles: [
      { title: 'Paying an invoice by bank transfer', slug: 'paying-by-bank-transfer', views: 402, body: '<p>Quote the invoice number as the payment reference. Transfers take one to two business days to clear; the invoice is marked paid automatically when the money arrives.</p>' },
      { title: 'How account credit works', slug: 'how-account-credit-works', views: 188, body: '<p>Credit on your account is applied automatically to new invoices. You can add funds from <strong>Billing &gt; Add Funds</strong>.</p>' },
      { title: 'Upcoming: card payments', slug: 'upcoming-card-payments', views: 0, published: false, body: '<p>Draft — card payments through Stripe are coming soon.</p>' },
    ],
  },
];

export const DEMO_ANNOUNCEMENTS: Array<{ title: string; body: string; daysAgo: number; published: boolean }> = [
  { title: 'Our Frankfurt location is live', body: '<p>Reseller and shared hosting are now available in Frankfurt, Germany, for lower latency across Europe. Existing customers can ask support for a free move.</p>', daysAgo: 120, published: true },
  { title: 'New Cloud VPS plans with NVMe storage', body: '<p>All Cloud VPS plans now run on NVMe storage with twice the transfer allowance, at the same price.</p>', daysAgo: 45, published: true },
  { title: 'PHP 7.4 will be retired on shared servers', body: '<p>PHP 7.4 has been end-of-life since 2022. Sites still using it will be moved to PHP 8.1 in 30 days; please test your site with PHP 8.1 in cPanel &gt; MultiPHP Manager.</p>', daysAgo: 6, published: true },
  { title: 'Holiday support hours', body: '<p>Draft: support hours over the holidays.</p>', daysAgo: -20, published: false },
];

export const DEMO_TODOS: Array<{ title: string; description: string | null; staff: string | null; priority: 'low' | 'medium' | 'high'; dueInDays: number; status: 'pending' | 'in_progress' | 'completed' }> = [
  { title: 'Renew the wildcard certificate for demo-host.test', description: 'Expires in three weeks; used by the client area and the mail servers.', staff: 'lukas', priority: 'high', dueInDays: 10, status: 'pending' },
  { title: 'Chase the collections invoice of Harry Wilson', description: 'Second letter sent; decide on the debt collection agency next week.', staff: 'billing', priority: 'medium', dueInDays: 5, status: 'in_progress' },
  { title: 'Write KB article about the PHP 8.1 migration', description: null, staff: 'support', priority: 'low', dueInDays: 20, status: 'pending' },
  { title: 'Reconcile bank transfers for last month', description: 'All transfers matched except one unidentified payment of $47.88.', staff: 'billing', priority: 'medium', dueInDays: -3, status: 'completed' },
  { title: 'Order spare NVMe disks for the Dallas racks', description: 'Two 1 TB drives for the dedicated servers.', staff: null, priority: 'low', dueInDays: 14, status: 'pending' },
];

export const DEMO_EVENTS: Array<{ title: string; description: string; inDays: number; hour: number; hours: number | null; allDay: boolean; color: string; staff: string | null }> = [
  { title: 'Kernel updates on KVM nodes', description: 'Maintenance window announced to VPS customers.', inDays: 5, hour: 2, hours: 3, allDay: false, color: '#ef4444', staff: null },
  { title: 'Monthly billing review', description: 'Overdue invoices, collections and refunds.', inDays: 2, hour: 15, hours: 1, allDay: false, color: '#3b82f6', staff: null },
  { title: 'Priya on leave', description: 'Billing tickets go to Alex.', inDays: 12, hour: 0, hours: null, allDay: true, color: '#10b981', staff: 'billing' },
  { title: 'Call with Northwind Web Partners', description: 'Quarterly review of their reseller account.', inDays: 8, hour: 16, hours: 1, allDay: false, color: '#8b5cf6', staff: 'admin' },
];
