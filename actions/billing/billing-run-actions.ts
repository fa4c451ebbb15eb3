import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { formatDecimal } from '../../src/domain/shared/money.js';
import { fail } from '../../src/domain/shared/outcome.js';
import { confirmedByAdmin } from '../support.js';

/** "Billing preview" and "Run billing now" on the invoices screen: the same service the scheduler calls. */
export function billingRunActions({ billing }: AdminServices) {
  const run = (dryRun: boolean) => async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
    if (!dryRun && !confirmedByAdmin(request)) return {};
    const date = typeof request.query?.date === 'string' && request.query.date ? request.query.date : undefined;
    const outcome = await billing.run({ dryRun, date });
    if (!outcome.ok) return { notice: { message: fail(outcome.error, outcome.message).message, type: 'error' } };
    const r = outcome.report;
    const c = r.counts;
    const preview = r.renewals.plan
      .slice(0, 5)
      .map((i) => `client #${i.clientId} ${formatDecimal(i.total)} due ${i.dueDate}`)
      .join('; ');
    const summary = `${dryRun ? 'Preview — a run now would create' : 'Billing run created'} ${c.invoices} invoices (${c.lines} lines), ${c.lateFees} late fees, ${c.reminders} reminders, ${c.suspensions} suspensions, ${c.terminations} terminations${r.errors.length ? `, with ${r.errors.length} errors (see the run record)` : ''}.${preview ? ` First: ${preview}.` : ''}`;
    return { notice: { message: summary, type: r.status === 'failed' ? 'error' : 'success' }, redirectUrl: ctx.h.resourceUrl({ resourceId: ctx.resource.id() }) };
  };
  return {
    billingPreview: { actionType: 'resource', icon: 'Eye', component: false, handler: run(true) },
    runBillingNow: { actionType: 'resource', icon: 'Play', component: false, guard: 'Run the daily billing now? Renewal invoices, reminders and overdue suspensions will be processed.', handler: run(false) },
  };
}
