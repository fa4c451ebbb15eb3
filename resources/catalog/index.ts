import type { ResourceSpec } from '../define.js';
import { productCategoryResource } from './product-category.resource.js';
import { productResource } from './product.resource.js';
import { productPriceResource } from './product-price.resource.js';
import { configOptionGroupResource } from './config-option-group.resource.js';
import { configOptionResource } from './config-option.resource.js';
import { configOptionChoiceResource } from './config-option-choice.resource.js';
import { productConfigGroupResource } from './product-config-group.resource.js';
import { addonResource } from './addon.resource.js';
import { domainProductResource } from './domain-product.resource.js';
import { domainPriceResource } from './domain-price.resource.js';

export const catalogResources: ResourceSpec[] = [
  productCategoryResource,
  productResource,
  productPriceResource,
  configOptionGroupResource,
  configOptionResource,
  configOptionChoiceResource,
  productConfigGroupResource,
  addonResource,
  domainProductResource,
  domainPriceResource,
];
