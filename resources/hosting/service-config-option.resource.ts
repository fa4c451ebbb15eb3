import { ServiceConfigOption } from '../../src/entities/hosting/service-config-option.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const serviceConfigOptionResource = defineResource(ServiceConfigOption, {
  navigation: NAV.products,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['serviceId', 'optionId', 'choiceId', 'quantity', 'updatedAt'],
  filterProperties: ['serviceId', 'optionId', 'choiceId'],
  showProperties: ['serviceId', 'optionId', 'choiceId', 'quantity', 'createdAt', 'updatedAt'],
  editProperties: ['serviceId', 'optionId', 'choiceId', 'quantity'],
  properties: {
    // A join row: the service it configures is the most useful label.
    serviceId: { isTitle: true },
  },
});
