import {
  NETWORK_ISSUE_PRIORITIES,
  NETWORK_ISSUE_STATUSES,
  NETWORK_ISSUE_TYPES,
  NetworkIssue,
} from '../../src/entities/support/network-issue.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const networkIssueResource = defineResource(NetworkIssue, {
  navigation: NAV.support,
  sort: { sortBy: 'startAt', direction: 'desc' },
  listProperties: ['title', 'type', 'serverId', 'priority', 'status', 'startAt', 'endAt'],
  filterProperties: ['title', 'type', 'serverId', 'priority', 'status', 'startAt', 'endAt'],
  showProperties: ['title', 'type', 'serverId', 'affectedSystem', 'affectedServiceIds', 'priority', 'status', 'startAt', 'endAt', 'description', 'createdAt', 'updatedAt'],
  editProperties: ['title', 'type', 'serverId', 'affectedSystem', 'priority', 'status', 'startAt', 'endAt', 'description'],
  properties: {
    title: { isTitle: true },
    type: { availableValues: NETWORK_ISSUE_TYPES.map((v) => ({ value: v, label: v })) },
    priority: { availableValues: NETWORK_ISSUE_PRIORITIES.map((v) => ({ value: v, label: v })) },
    status: { availableValues: NETWORK_ISSUE_STATUSES.map((v) => ({ value: v, label: v })) },
    description: { type: 'textarea' },
    affectedServiceIds: { isVisible: { list: false, edit: false, show: true, filter: false } },
  },
});
