import type { ActionContext, ActionRequest, RecordJSON } from 'adminjs';
import type { AdminServices } from '../index.js';
import { confirmedByAdmin } from '../support.js';
import { bulkAction, noticeOf, reply } from './service-provisioning-actions.js';

const status = (ctx: ActionContext) => String(ctx.record?.params?.status ?? '');
const jobLabel = (r: RecordJSON) => `Job #${r.id} (${String(r.params.action ?? '').replace('_', ' ')})`;
const CANCEL_NOTE = 'Nothing more is sent to the server for it; the service keeps the status Meridian gave it.';

/**
 * The failed-jobs screen: Retry (attempts start again and it runs now) and Cancel, one job or the selected ones,
 * and a "Failed jobs" button on the job list that filters it to the jobs waiting for staff.
 */
export function jobActions({ provisioning }: AdminServices) {
  const guarded = (guard: string, isVisible: (ctx: ActionContext) => boolean, run: (jobId: number) => Promise<Parameters<typeof noticeOf>[0]>) => ({
    actionType: 'record',
    component: false,
    guard,
    isVisible,
    handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
      if (!confirmedByAdmin(request)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
      return reply(ctx, noticeOf(await run(Number(ctx.record!.id()))));
    },
  });
  const retry = async (id: number) => {
    const out = await provisioning.retryJob(id);
    return out.ok ? { ...out, message: `Job #${id} run again: ${out.message}` } : out;
  };
  return {
    retryJob: { icon: 'RotateCw', ...guarded('Run this job again now? Its attempts start again.', (ctx) => ['failed', 'cancelled'].includes(status(ctx)), retry) },
    cancelJob: { icon: 'XCircle', ...guarded(`Cancel this job? ${CANCEL_NOTE}`, (ctx) => ['queued', 'failed'].includes(status(ctx)), (id) => provisioning.cancelJob(id)) },
    bulkRetryJobs: bulkAction({ verb: 'retried', guard: 'Run the selected jobs again now?', label: jobLabel, each: retry }),
    bulkCancelJobs: bulkAction({ verb: 'cancelled', guard: `Cancel the selected jobs? ${CANCEL_NOTE}`, label: jobLabel, each: (id) => provisioning.cancelJob(id) }),
    failedJobs: {
      actionType: 'resource',
      icon: 'AlertTriangle',
      component: false,
      handler: async (_req: ActionRequest, _res: unknown, ctx: ActionContext) => ({
        redirectUrl: `${ctx.h.resourceUrl({ resourceId: ctx.resource.id() })}?filters.status=failed&sortBy=createdAt&direction=desc`,
      }),
    },
  };
}
