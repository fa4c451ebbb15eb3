import { TASK_RUN_STATUSES, TaskRun } from '../../src/entities/system/task-run.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const taskRunResource = defineResource(TaskRun, {
  navigation: NAV.reporting,
  sort: { sortBy: 'startedAt', direction: 'desc' },
  listProperties: ['task', 'status', 'startedAt', 'finishedAt', 'runKey', 'dryRun', 'hostname'],
  filterProperties: ['task', 'status', 'runKey', 'dryRun', 'hostname', 'startedAt'],
  showProperties: ['task', 'status', 'runKey', 'dryRun', 'startedAt', 'finishedAt', 'hostname', 'counts', 'errors', 'createdAt', 'updatedAt'],
  properties: {
    task: { isTitle: true },
    status: { availableValues: TASK_RUN_STATUSES.map((v) => ({ value: v, label: v })) },
  },
});
