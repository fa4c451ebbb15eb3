/**
 * The variables email templates can use, filled with believable sample values. Used to check a template when it is
 * saved (it must render with this data), for the admin's "Send test email" and "Preview", and as the reference of
 * what the code passes: the senders (billing, orders, support, provisioning) build the same shapes from their
 * records. Amounts are already formatted in the client's currency ("$118.00"); raw minor units are available as
 * `…Cents` for the {{money}} helper; dates are 'YYYY-MM-DD'.
 */
export const SAMPLE_EMAIL_CONTEXT = {
  company: { name: 'Meridian Demo Hosting', url: 'https://meridian-demo.test', email: 'hello@meridian-demo.test' },
  clientArea: { url: 'https://meridian-demo.test/' },
  client: {
    id: 1,
    firstName: 'Alex',
    lastName: 'Morgan',
    companyName: 'Morgan Design Ltd',
    email: 'alex.morgan@example.test',
  },
  currency: { code: 'USD', prefix: '$', suffix: '', exponent: 2 },
  invoice: {
    id: 42,
    number: 'INV-2026-00042',
    date: '2026-03-01',
    dueDate: '2026-03-15',
    total: '$118.00',
    totalCents: 11800,
    balance: '$118.00',
    balanceCents: 11800,
    status: 'Unpaid',
    daysOverdue: 7,
    url: 'https://meridian-demo.test/invoices/42',
    items: [
      { description: 'Business Hosting (example.test) 2026-03-15 – 2026-04-14', amount: '$100.00', amountCents: 10000 },
      { description: 'VAT 18%', amount: '$18.00', amountCents: 1800 },
    ],
  },
  order: { id: 7, number: '7281945031', date: '2026-03-01', total: '$118.00', totalCents: 11800 },
  payment: {
    amount: '$118.00', amountCents: 11800, date: '2026-03-02', method: 'Bank transfer', reference: 'TXN-55123',
    failureMessage: 'Your card has insufficient funds.', nextAttemptText: 'We will try again on 2026-03-05.',
  },
  service: {
    id: 12,
    productName: 'Business Hosting',
    domain: 'example.test',
    username: 'exampl12',
    password: '(sent separately)',
    dedicatedIp: '203.0.113.10',
    nextDueDate: '2026-04-15',
    suspensionReason: 'Overdue on payment',
  },
  server: { hostname: 'cp1.meridian-demo.test', nameserver1: 'ns1.meridian-demo.test', nameserver2: 'ns2.meridian-demo.test' },
  domain: {
    name: 'example.test', expiryDate: '2026-04-30', autoRenewText: 'on', url: 'https://meridian-demo.test/domains', doneText: 'registered',
    nameserversText: 'ns1.example.net, ns2.example.net', operation: 'transfer', reason: 'Invalid auth code', creditText: '$12.00',
  },
  ticket: { number: 'TKT-482913', subject: 'Website showing 500 Internal Server Error', department: 'Technical Support', priority: 'high', url: 'https://meridian-demo.test/tickets/482913' },
  reply: { message: 'We restarted PHP-FPM on your account; the site answers again.', authorName: 'Fatima Rahman' },
  staff: { firstName: 'Fatima', lastName: 'Rahman' },
  reset: { url: 'https://meridian-demo.test/password/reset/sample-token' },
  verify: { url: 'https://meridian-demo.test/verify-email/sample-token' },
  emailChange: { url: 'https://meridian-demo.test/account/email/confirm/sample-token', newEmail: 'alex.new@example.test' },
  invite: { url: 'https://meridian-demo.test/account/invite/sample-token', accountName: 'Morgan Design Ltd' },
  job: { id: 311, action: 'create', serviceId: 12, subject: 'service #12', attempts: 5, error: 'WHM answered HTTP 503 (server error).', reason: 'Order ORD-00042 accepted' },
  cancellation: { type: 'at the end of the paid period', endDate: '2026-04-15', reason: 'The service is under a minimum term until 2026-06-30.' },
  quote: { id: 5, number: 'Q-00005', subject: 'Managed WordPress migration', total: '$450.00', totalCents: 45000, validUntil: '2026-04-01', url: 'https://meridian-demo.test/quotes/5' },
};
