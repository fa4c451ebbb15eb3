import {
  CANCELLATION_STATUSES,
  CANCELLATION_TYPES,
  CancellationRequest,
} from '../../src/entities/hosting/cancellation-request.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

const showOnly = { list: false, edit: false, show: true, filter: false };

export const cancellationRequestResource = defineResource(CancellationRequest, {
  navigation: NAV.clients,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['serviceId', 'clientId', 'type', 'status', 'processedById', 'createdAt'],
  filterProperties: ['serviceId', 'clientId', 'type', 'status', 'processedById', 'processedAt', 'createdAt'],
  showProperties: ['serviceId', 'clientId', 'type', 'status', 'reason', 'staffNotes', 'processedById', 'processedAt', 'createdAt', 'updatedAt'],
  editProperties: ['serviceId', 'clientId', 'type', 'reason', 'status', 'staffNotes'],
  properties: {
    // No natural name: the service it cancels identifies the request.
    serviceId: { isTitle: true },
    type: { availableValues: CANCELLATION_TYPES.map((v) => ({ value: v, label: v })) },
    status: { availableValues: CANCELLATION_STATUSES.map((v) => ({ value: v, label: v })) },
    reason: { type: 'textarea' },
    staffNotes: { type: 'textarea' },
    processedById: { isVisible: { list: true, edit: false, show: true, filter: true } },
    processedAt: { isVisible: showOnly },
  },
});
