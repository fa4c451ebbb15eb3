import {
  PROVISIONING_ACTIONS,
  PROVISIONING_JOB_STATUSES,
  ProvisioningJob,
} from '../../src/entities/hosting/provisioning-job.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

const showOnly = { list: false, edit: false, show: true, filter: false };

export const provisioningJobResource = defineResource(ProvisioningJob, {
  navigation: NAV.products,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['action', 'serviceId', 'status', 'attempts', 'nextAttemptAt', 'requestedById', 'createdAt'],
  filterProperties: ['action', 'serviceId', 'status', 'requestedById', 'nextAttemptAt', 'idempotencyKey', 'createdAt'],
  showProperties: [
    'action',
    'serviceId',
    'status',
    'reason',
    'attempts',
    'maxAttempts',
    'nextAttemptAt',
    'lockedBy',
    'lockedAt',
    'startedAt',
    'finishedAt',
    'lastError',
    'requestedById',
    'idempotencyKey',
    'params',
    'result',
    'createdAt',
    'updatedAt',
  ],
  // Requeue (status 'queued', nextAttemptAt) or give up ('dead'); everything else is the queue's own record.
  editProperties: ['status', 'maxAttempts', 'nextAttemptAt', 'reason'],
  properties: {
    action: { isTitle: true, availableValues: PROVISIONING_ACTIONS.map((v) => ({ value: v, label: v })) },
    status: { availableValues: PROVISIONING_JOB_STATUSES.map((v) => ({ value: v, label: v })) },
    lastError: { type: 'textarea' },
    lockedBy: { isVisible: showOnly },
    lockedAt: { isVisible: showOnly },
    params: { isVisible: showOnly },
    result: { isVisible: showOnly },
  },
});
