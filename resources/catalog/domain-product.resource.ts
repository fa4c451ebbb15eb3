import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { DomainProduct } from '../../src/entities/catalog/domain-product.entity.js';

/** TLDs on sale; prices per currency and term are Domain Prices. */
export const domainProductResource = defineResource(DomainProduct, {
  navigation: NAV.products,
  listProperties: ['tld', 'registrar', 'minYears', 'maxYears', 'eppRequired', 'hidden', 'sortOrder'],
  filterProperties: ['tld', 'registrar', 'hidden', 'idProtection', 'dnsManagement'],
  editProperties: [
    'tld', 'registrar', 'eppRequired', 'dnsManagement', 'emailForwarding', 'idProtection',
    'minYears', 'maxYears', 'graceDays', 'redemptionDays', 'hidden', 'sortOrder',
  ],
  sort: { sortBy: 'sortOrder', direction: 'asc' },
  properties: {
    tld: { isTitle: true, description: "With the leading dot, lower case: '.com', '.co.uk'" },
    registrar: { description: "Registrar module code ('logicboxes'); empty = registered by hand through staff to-dos" },
    graceDays: { description: 'Days after expiry a normal renewal is still possible' },
    redemptionDays: { description: 'Days after grace the registry holds the domain for restore' },
  },
});
