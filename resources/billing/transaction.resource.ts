import { TRANSACTION_STATUSES, TRANSACTION_TYPES, Transaction } from '../../src/entities/billing/transaction.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const transactionResource = defineResource(Transaction, {
  navigation: NAV.billing,
  sort: { sortBy: 'date', direction: 'desc' },
  listProperties: ['description', 'date', 'clientId', 'gateway', 'transactionId', 'amountIn', 'amountOut', 'status'],
  filterProperties: ['clientId', 'invoiceId', 'gateway', 'transactionId', 'type', 'status', 'currencyId', 'date', 'refundOfId'],
  showProperties: [
    'description',
    'date',
    'clientId',
    'invoiceId',
    'type',
    'status',
    'gateway',
    'transactionId',
    'paymentMethodId',
    'currencyId',
    'exchangeRate',
    'amountIn',
    'amountOut',
    'fees',
    'refundOfId',
    'gatewayResponse',
    'createdAt',
    'updatedAt',
  ],
  // Amounts and status must move together with the invoice's amountPaid and status, so payments, refunds and manual
  // receipts are recorded through billing actions; only the reference details can be corrected here.
  editProperties: ['description', 'transactionId', 'date'],
  properties: {
    description: { isTitle: true },
    type: { availableValues: TRANSACTION_TYPES.map((v) => ({ value: v, label: v })) },
    status: { availableValues: TRANSACTION_STATUSES.map((v) => ({ value: v, label: v })) },
    gatewayResponse: { isVisible: { list: false, edit: false, show: true, filter: false } },
    exchangeRate: { isVisible: { list: false, edit: false, show: true, filter: false } },
    paymentMethodId: { isVisible: { list: false, edit: false, show: true, filter: true } },
  },
});
