import type { ResourceOptions } from 'adminjs';

/** One AdminJS resource: an entity class and its options. Each file under resources/<domain>/ exports one. */
export interface ResourceSpec {
  resource: Function;
  options: ResourceOptions;
  /**
   * Encrypted secrets staff may type in (server credentials, EPP codes): shown on the edit form as an empty
   * password field; a value typed there replaces the stored one, an empty field keeps it. Never shown back.
   */
  writeOnlySecrets?: string[];
}

export function defineResource(resource: Function, options: ResourceOptions, extra: { writeOnlySecrets?: string[] } = {}): ResourceSpec {
  return { resource, options, ...extra };
}

