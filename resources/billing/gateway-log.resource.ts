import { GATEWAY_LOG_DIRECTIONS, GATEWAY_LOG_RESULTS, GatewayLog } from '../../src/entities/billing/gateway-log.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

// Under Billing, as in WHMCS (Billing › Gateway Log): billing staff are the ones who act on a flagged notification.
export const gatewayLogResource = defineResource(GatewayLog, {
  navigation: NAV.billing,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['eventType', 'createdAt', 'gateway', 'direction', 'result', 'reference', 'invoiceId', 'transactionId'],
  filterProperties: ['gateway', 'direction', 'result', 'eventId', 'eventType', 'reference', 'invoiceId', 'transactionId', 'ipAddress', 'createdAt'],
  showProperties: [
    'eventType',
    'createdAt',
    'gateway',
    'direction',
    'result',
    'message',
    'eventId',
    'reference',
    'invoiceId',
    'transactionId',
    'ipAddress',
    'request',
    'response',
  ],
  // A log: nothing in it is edited, only the message may be annotated.
  editProperties: ['message'],
  properties: {
    eventType: { isTitle: true },
    direction: { availableValues: GATEWAY_LOG_DIRECTIONS.map((v) => ({ value: v, label: v })) },
    result: { availableValues: GATEWAY_LOG_RESULTS.map((v) => ({ value: v, label: v })) },
    message: { type: 'textarea' },
  },
});
