import type { ResourceOptions } from 'adminjs';

/** One AdminJS resource: an entity class and its options. Each file under resources/<domain>/ exports one. */
export interface ResourceSpec {
  resource: Function;
  options: ResourceOptions;
}

export function defineResource(resource: Function, options: ResourceOptions): ResourceSpec {
  return { resource, options };
}

