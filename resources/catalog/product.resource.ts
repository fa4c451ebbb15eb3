import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { AUTO_SETUP_MODES, Product, PRODUCT_TYPES } from '../../src/entities/catalog/product.entity.js';
import { PAYMENT_TYPES, PROVISIONING_MODULES } from '../../src/entities/catalog/values.js';

const values = (list: readonly string[]) => list.map((v) => ({ value: v, label: v }));

/** seed 003 Products/Packages. Prices are ProductPrice rows (one per currency and cycle). */
export const productResource = defineResource(Product, {
  navigation: NAV.products,
  listProperties: ['name', 'categoryId', 'type', 'module', 'paymentType', 'hidden', 'retired'],
  filterProperties: ['name', 'slug', 'categoryId', 'type', 'module', 'paymentType', 'serverGroupId', 'hostingPackageId', 'hidden', 'retired'],
  showProperties: [
    'name', 'slug', 'categoryId', 'type', 'description', 'features',
    'module', 'serverGroupId', 'hostingPackageId', 'moduleConfig', 'autoSetup',
    'paymentType', 'prorataBilling', 'prorataDay', 'prorataCutoffDay', 'taxable',
    'stockControl', 'stockQuantity', 'requireDomain', 'welcomeEmailTemplate',
    'hidden', 'retired', 'featured', 'sortOrder', 'createdAt', 'updatedAt',
  ],
  editProperties: [
    'name', 'slug', 'categoryId', 'type', 'description', 'features',
    'module', 'serverGroupId', 'hostingPackageId', 'moduleConfig', 'autoSetup',
    'paymentType', 'prorataBilling', 'prorataDay', 'prorataCutoffDay', 'taxable',
    'stockControl', 'stockQuantity', 'requireDomain', 'welcomeEmailTemplate',
    'hidden', 'retired', 'featured', 'sortOrder',
  ],
  sort: { sortBy: 'sortOrder', direction: 'asc' },
  properties: {
    name: { isTitle: true },
    description: { type: 'textarea' },
    type: { availableValues: values(PRODUCT_TYPES) },
    module: { availableValues: values(PROVISIONING_MODULES) },
    paymentType: { availableValues: values(PAYMENT_TYPES) },
    autoSetup: {
      availableValues: values(AUTO_SETUP_MODES),
      description: 'never = staff set up by hand; order = at once; payment = on first payment; accept = when staff accept the order',
    },
    features: { isArray: true, type: 'string', description: 'Storefront bullet points' },
    moduleConfig: { isVisible: { list: false, filter: false, show: true, edit: false } },
    prorataDay: { description: 'Day of month (1–28) all services of this product renew on' },
    prorataCutoffDay: { description: 'Orders after this day also pay the next full month' },
    welcomeEmailTemplate: { description: 'Email template name; empty = default for the product type' },
  },
});
