/**
 * What a domain service returns (Lago style): success with its data, or an expected failure with a stable code
 * and a message a person can act on. Exceptions are for bugs. Adapters map codes to AdminJS notices, flash
 * messages or HTTP statuses; `field` names the input at fault, for form errors.
 */
export type Outcome<T extends object = object> = ({ ok: true } & T) | Failure;

export interface Failure {
  ok: false;
  error: string;
  message: string;
  field?: string;
}

export const fail = (error: string, message: string, field?: string): Failure => ({ ok: false, error, message, ...(field ? { field } : {}) });
export const succeed = <T extends object>(data: T): { ok: true } & T => ({ ok: true, ...data });
