import type { TestApp } from './app.js';
import type { FakeLogicBoxes } from '../fakes/logicboxes-server.js';

type Row = Record<string, any>;

/** The settings that point the LogicBoxes module at the fake, and a sender address for the domain emails. */
export async function useFakeRegistrar(t: TestApp, lb: FakeLogicBoxes): Promise<void> {
  const setting = (key: string, value: string | null, type = 'string', secretValue: string | null = null) => t.ds.getRepository('Setting').save(t.ds.getRepository('Setting').create({ key, value, type, secretValue }));
  await setting('mail.fromEmail', 'noreply@meridian.test');
  await setting('registrar.logicboxes.resellerId', lb.resellerId);
  await setting('registrar.logicboxes.apiKey', null, 'secret', lb.apiKey);
  await setting('registrar.logicboxes.testMode', 'true', 'bool');
}

/** A TLD on sale with prices for 1–3 years: register and renew per year times the term, transfer for 1 year. */
export async function sellTld(
  t: TestApp,
  tld: string,
  o: { currencyId: number; registrar?: string | null; register: number; renew: number; transfer: number; sortOrder?: number; graceFee?: number | null; redemptionFee?: number | null; transferYears?: number[] },
): Promise<number> {
  const product = (await t.ds.getRepository('DomainProduct').save(t.ds.getRepository('DomainProduct').create({
    tld, registrar: o.registrar === undefined ? 'logicboxes' : o.registrar, eppRequired: true, minYears: 1, maxYears: 10, sortOrder: o.sortOrder ?? 0, graceDays: 30, redemptionDays: 30,
  }))) as Row;
  for (const years of [1, 2, 3]) {
    await t.ds.getRepository('DomainPrice').save(t.ds.getRepository('DomainPrice').create({
      domainProductId: product.id, currencyId: o.currencyId, years, register: o.register * years, renew: o.renew * years,
      transfer: (o.transferYears ?? [1, 2, 3]).includes(years) ? o.transfer : null, graceFee: o.graceFee ?? null, redemptionFee: o.redemptionFee ?? null,
    }));
  }
  return product.id as number;
}

/** Pays what is left on an invoice by bank transfer, as staff recording it would. */
export async function payInFull(t: TestApp, invoiceId: number): Promise<void> {
  const inv = (await t.ds.getRepository('Invoice').findOneByOrFail({ id: invoiceId })) as Row;
  const paid = await t.built.payments.recordPayment({ invoiceId, amount: inv.total - inv.amountPaid, gateway: 'banktransfer', transactionId: `bank-${invoiceId}-${Date.now()}` });
  if (!paid.ok) throw new Error(paid.message);
}

/** Makes queued jobs due now (skipping any retry backoff) and runs them, as the scheduler's next minute would. */
export async function runDueJobs(t: TestApp) {
  await t.ds.getRepository('ProvisioningJob').createQueryBuilder().update().set({ nextAttemptAt: new Date(Date.now() - 1000) }).where("status = 'queued'").execute();
  return t.built.provisioning.worker.runDue();
}
