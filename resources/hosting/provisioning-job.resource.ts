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
  listProperties: ['action', 'serviceId', 'domainId', 'status', 'attempts', 'lastError', 'nextAttemptAt', 'requestedById', 'createdAt'],
  filterProperties: ['action', 'serviceId', 'domainId', 'status', 'requestedById', 'nextAttemptAt', 'idempotencyKey', 'createdAt'],
  showProperties: [
    'action',
    'serviceId',
    'domainId',
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
  // Status moves only through the queue and the Retry / Cancel actions (a hand-set 'queued' would skip the checks
  // they make); staff may still give a job more attempts or move its next attempt.
  editProperties: ['maxAttempts', 'nextAttemptAt', 'reason'],
  // Jobs are asked for through the service's actions, which change the service and queue the call together.
  actions: { new: { isAccessible: false } },
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
