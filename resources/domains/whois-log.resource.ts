import { WHOIS_RESULTS, WhoisLog } from '../../src/entities/domains/whois-log.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const whoisLogResource = defineResource(WhoisLog, {
  navigation: NAV.reporting,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['domain', 'result', 'clientId', 'userId', 'ipAddress', 'createdAt'],
  filterProperties: ['domain', 'result', 'clientId', 'userId', 'ipAddress', 'createdAt'],
  showProperties: ['domain', 'result', 'clientId', 'userId', 'ipAddress', 'rawResponse', 'createdAt'],
  properties: {
    domain: { isTitle: true },
    result: { availableValues: WHOIS_RESULTS.map((v) => ({ value: v, label: v })) },
    rawResponse: { type: 'textarea' },
  },
});
