import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { addDays } from '../../src/domain/billing/periods.js';
import { binary, invoice, postForm, save, signedInCustomer, today, type Customer } from './client-billing-fixtures.js';

type Row = Record<string, any>;

/**
 * Client area invoices: the list and its status filter, the detail with payments, the PDF (real Chromium), paying
 * from account credit with bank transfer instructions beside it — and none of it for another client's invoice.
 */
describe(`client area: invoices on ${testEngine()}`, () => {
  let t: TestApp;
  let alice: Customer;
  let bob: Customer;
  const invoiceRow = async (id: number) => (await t.ds.getRepository('Invoice').findOneByOrFail({ id })) as Row;
  const creditOf = async (clientId: number) => ((await t.ds.getRepository('Client').findOneByOrFail({ id: clientId })) as Row).creditBalance as number;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await signedInCustomer(t);
    bob = await signedInCustomer(t);
    await save(t.ds, 'PaymentGateway', { code: 'banktransfer', displayName: 'Bank Transfer', enabled: true, config: { instructions: 'IBAN <DE00 1234 5678>\nQuote the invoice number.' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists invoices by status: all (never drafts), unpaid (overdue marked), paid, cancelled', async () => {
    const c = await signedInCustomer(t);
    const numbers: Record<string, string> = {};
    const make = async (name: string, over: Row) => {
      const id = await invoice(t.ds, c.clientId, 1000, over);
      numbers[name] = (await invoiceRow(id)).invoiceNumber ?? `#${id}`;
    };
    await make('due', { dueDate: addDays(today(), 7) });
    await make('overdue', { dueDate: addDays(today(), -2) });
    await make('paid', { status: 'paid', amountPaid: 1000 });
    await make('cancelled', { status: 'cancelled' });
    await make('refunded', { status: 'refunded' });
    await make('draft', { status: 'draft', invoiceNumber: 'DRAFT-NOT-SHOWN' });
    await invoice(t.ds, bob.clientId, 1000, { invoiceNumber: 'BOB-INVOICE-1' });
    const shown = async (status?: string) => {
      const res = await c.agent.get(`/invoices${status ? `?status=${status}` : ''}`).expect(200);
      return Object.entries(numbers).filter(([, n]) => res.text.includes(n)).map(([k]) => k).concat(res.text.includes('BOB-INVOICE-1') ? ['bob'] : []);
    };
    expect(await shown()).toEqual(['due', 'overdue', 'paid', 'cancelled', 'refunded']);
    expect(await shown('all')).toEqual(['due', 'overdue', 'paid', 'cancelled', 'refunded']);
    expect(await shown('unpaid')).toEqual(['due', 'overdue']);
    expect(await shown('paid')).toEqual(['paid']);
    expect(await shown('cancelled')).toEqual(['cancelled']);
    expect(await shown('<script>')).toEqual(['due', 'overdue', 'paid', 'cancelled', 'refunded']);
    expect((await c.agent.get('/invoices?status=unpaid')).text).toContain('<span class="badge overdue">Overdue</span>');
  });

  it('shows an invoice’s lines, taxes, totals and the payments made on it (text escaped)', async () => {
    const id = await invoice(t.ds, alice.clientId, 1200, { subtotal: 1000, tax1: 200, taxRate1: '20.0000', taxName1: 'VAT' });
    await t.ds.getRepository('InvoiceItem').update({ invoiceId: id }, { description: 'Hosting <script>alert(1)</script>', unitPrice: 1000, amount: 1000 });
    const paid = await t.built.payments.recordPayment({ invoiceId: id, amount: 1200, gateway: 'banktransfer', transactionId: 'BANK-REF-77' });
    expect(paid.ok).toBe(true);
    const res = await alice.agent.get(`/invoices/${id}`).expect(200);
    for (const s of ['Hosting &lt;script&gt;alert(1)&lt;/script&gt;', 'VAT (20%)', '$2.00', '$12.00', 'BANK-REF-77', 'Bank Transfer', 'Paid']) expect(res.text).toContain(s);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).not.toContain('Pay with account credit');
    await alice.agent.get('/invoices/0').expect(404);
    await alice.agent.get('/invoices/999999').expect(404);
  });

  it('downloads the invoice PDF (application/pdf from Chromium); another client’s or a draft is 404', async () => {
    const id = await invoice(t.ds, alice.clientId, 4321);
    const res = await alice.agent.get(`/invoices/${id}/pdf`).buffer(true).parse(binary as never);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="CB-/);
    expect((res.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await bob.agent.get(`/invoices/${id}/pdf`)).status).toBe(404);
    const draft = await invoice(t.ds, alice.clientId, 100, { status: 'draft', invoiceNumber: null });
    expect((await alice.agent.get(`/invoices/${draft}/pdf`)).status).toBe(404);
    expect((await alice.agent.get(`/invoices/${draft}`)).status).toBe(404);
  });

  it('pays an invoice from account credit, with the bank transfer instructions on the pay page', async () => {
    await t.built.payments.addCredit({ clientId: alice.clientId, amount: 5000, description: 'Test credit' });
    const id = await invoice(t.ds, alice.clientId, 3000);
    const page = await alice.agent.get(`/invoices/${id}/pay`).expect(200);
    expect(page.text).toContain('Pay with account credit');
    expect(page.text).toContain('IBAN &lt;DE00 1234 5678&gt;');
    expect(page.text).toContain('$50.00');

    const bad = await postForm(alice.agent, `/invoices/${id}/pay`, { method: 'bitcoin' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Choose how to pay.');
    const noToken = await alice.agent.post(`/invoices/${id}/pay`).type('form').send({ method: 'credit' });
    expect(noToken.status).toBe(403);
    expect((await postForm(bob.agent, `/invoices/${id}/pay`, { method: 'credit' }, '/invoices')).status).toBe(404);
    expect([(await invoiceRow(id)).status, await creditOf(alice.clientId)]).toEqual(['unpaid', 5000]);

    const ok = await postForm(alice.agent, `/invoices/${id}/pay`, { method: 'credit' });
    expect([ok.status, ok.headers.location]).toEqual([303, `/invoices/${id}`]);
    const after = await invoiceRow(id);
    expect([after.status, after.credit, await creditOf(alice.clientId)]).toEqual(['paid', 3000, 2000]);
    const shown = await alice.agent.get(`/invoices/${id}`).expect(200);
    expect(shown.text).toContain('$30.00 of account credit applied. The invoice is paid');
    expect(shown.text).not.toContain('IBAN');

    // Part payment when the credit does not cover it all; then nothing left to apply.
    const big = await invoice(t.ds, alice.clientId, 2500);
    await postForm(alice.agent, `/invoices/${big}/pay`, { method: 'credit' });
    expect([(await invoiceRow(big)).status, (await invoiceRow(big)).credit, await creditOf(alice.clientId)]).toEqual(['unpaid', 2000, 0]);
    expect((await alice.agent.get(`/invoices/${big}`)).text).toContain('$20.00 of account credit applied. The rest is still due.');
    const none = await postForm(alice.agent, `/invoices/${big}/pay`, { method: 'credit' });
    expect(none.status).toBe(303);
    expect((await alice.agent.get(`/invoices/${big}`)).text).toContain('no account credit to apply');
    expect((await invoiceRow(big)).credit).toBe(2000);
  });

  it('keeps another client’s invoice out of reach: detail and pay page are 404 without its data', async () => {
    const id = await invoice(t.ds, alice.clientId, 777, { invoiceNumber: 'ALICE-PRIVATE-1' });
    for (const path of [`/invoices/${id}`, `/invoices/${id}/pay`]) {
      const res = await bob.agent.get(path);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('ALICE-PRIVATE-1');
    }
    expect((await bob.agent.get('/invoices')).text).not.toContain('ALICE-PRIVATE-1');
  });
});
