import { NumberSequence } from '../../src/entities/billing/number-sequence.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const numberSequenceResource = defineResource(NumberSequence, {
  navigation: NAV.settings,
  sort: { sortBy: 'name', direction: 'asc' },
  listProperties: ['name', 'format', 'nextValue', 'resetYearly', 'lastYear', 'updatedAt'],
  filterProperties: ['name', 'resetYearly'],
  showProperties: ['name', 'format', 'nextValue', 'resetYearly', 'lastYear', 'createdAt', 'updatedAt'],
  // lastYear is maintained by the allocator. A nextValue set back onto an issued number makes the next allocation
  // fail on that document's unique number index rather than issue a duplicate.
  editProperties: ['name', 'format', 'nextValue', 'resetYearly'],
  properties: {
    name: { isTitle: true },
    lastYear: { isVisible: { list: true, edit: false, show: true, filter: false } },
  },
});
