import { ProductCategory } from './product-category.entity.js';
import { Product } from './product.entity.js';
import { ProductPrice } from './product-price.entity.js';
import { ConfigOptionGroup } from './config-option-group.entity.js';
import { ProductConfigGroup } from './product-config-group.entity.js';
import { ConfigOption } from './config-option.entity.js';
import { ConfigOptionChoice } from './config-option-choice.entity.js';
import { Addon } from './addon.entity.js';
import { DomainProduct } from './domain-product.entity.js';
import { DomainPrice } from './domain-price.entity.js';

export * from './values.js';
export * from './product-category.entity.js';
export * from './product.entity.js';
export * from './product-price.entity.js';
export * from './config-option-group.entity.js';
export * from './product-config-group.entity.js';
export * from './config-option.entity.js';
export * from './config-option-choice.entity.js';
export * from './addon.entity.js';
export * from './domain-product.entity.js';
export * from './domain-price.entity.js';

export const catalogEntities: Function[] = [
  ProductCategory,
  Product,
  ProductPrice,
  ConfigOptionGroup,
  ProductConfigGroup,
  ConfigOption,
  ConfigOptionChoice,
  Addon,
  DomainProduct,
  DomainPrice,
];
