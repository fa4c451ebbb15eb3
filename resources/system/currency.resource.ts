import { Currency } from '../../src/entities/system/currency.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const currencyResource = defineResource(Currency, {
  navigation: NAV.settings,
  sort: { sortBy: 'code', direction: 'asc' },
  listProperties: ['code', 'prefix', 'suffix', 'exponent', 'exchangeRate', 'isDefault', 'updatedAt'],
  filterProperties: ['code', 'isDefault'],
  showProperties: ['code', 'prefix', 'suffix', 'exponent', 'exchangeRate', 'isDefault', 'createdAt', 'updatedAt'],
  editProperties: ['code', 'prefix', 'suffix', 'exponent', 'exchangeRate', 'isDefault'],
  properties: {
    code: { isTitle: true },
    exponent: { description: 'Decimal places of the minor unit: 2 for USD, 0 for JPY.' },
    exchangeRate: { description: 'Units of this currency per one unit of the default currency.' },
  },
});
