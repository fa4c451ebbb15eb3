import { JobLock } from '../../src/entities/system/job-lock.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

/** Who holds each scheduled job's lease; staff read it when a run seems stuck (a lease ends by itself). */
export const jobLockResource = defineResource(JobLock, {
  navigation: NAV.reporting,
  sort: { sortBy: 'name', direction: 'asc' },
  listProperties: ['name', 'holder', 'lockedUntil', 'updatedAt'],
  showProperties: ['name', 'holder', 'lockedUntil', 'createdAt', 'updatedAt'],
  editProperties: [],
  properties: { name: { isTitle: true } },
  actions: { new: { isAccessible: false }, edit: { isAccessible: false } },
});
