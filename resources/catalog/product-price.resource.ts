import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { ProductPrice } from '../../src/entities/catalog/product-price.entity.js';
import { PRICE_CYCLES } from '../../src/entities/catalog/values.js';

/** One row per owner × currency × cycle; set exactly one of product, addon or option choice. */
export const productPriceResource = defineResource(ProductPrice, {
  navigation: NAV.products,
  listProperties: ['productId', 'addonId', 'configOptionChoiceId', 'currencyId', 'cycle', 'price', 'setupFee', 'enabled'],
  filterProperties: ['productId', 'addonId', 'configOptionChoiceId', 'currencyId', 'cycle', 'enabled'],
  editProperties: ['productId', 'addonId', 'configOptionChoiceId', 'currencyId', 'cycle', 'price', 'setupFee', 'enabled'],
  sort: { sortBy: 'createdAt', direction: 'desc' },
  properties: {
    cycle: { availableValues: PRICE_CYCLES.map((v) => ({ value: v, label: v })) },
    enabled: { description: 'Off = this cycle is not offered (a price of 0 means free)' },
    priceKey: { isVisible: { list: false, filter: false, show: true, edit: false } },
  },
});
