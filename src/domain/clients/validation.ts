import { isEmailAddress } from '../notifications/email-service.js';
import { MAX_PASSWORD_BYTES } from '../access/auth-service.js';

/** Field name → what is wrong with it, for the form to show beside each field. */
export type FieldErrors = Record<string, string>;

/** A refusal of a form: the message for the page, and one message per field at fault. */
export interface FormFailure {
  ok: false;
  error: string;
  message: string;
  fields: FieldErrors;
}

export const formFailure = (fields: FieldErrors, message = 'Please correct the fields marked below.'): FormFailure => ({ ok: false, error: 'invalid', message, fields });

/** Codes Intl knows as regions but that are not countries an address can be in. */
const NOT_COUNTRIES = new Set(['AC', 'CP', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ']);

/** ISO 3166-1 alpha-2 codes with their English names, sorted by name (for the country select). */
export const COUNTRIES: ReadonlyArray<{ code: string; name: string }> = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const out: Array<{ code: string; name: string }> = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code)) continue;
      const name = names.of(code);
      if (name && name !== code) out.push({ code, name });
    }
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
})();
const COUNTRY_CODES = new Set(COUNTRIES.map((c) => c.code));

export const isCountry = (code: string): boolean => COUNTRY_CODES.has(code);

export const MIN_PASSWORD_LENGTH = 10;

/** Why a new password will not do (with its confirmation), or null. */
export function newPasswordProblem(password: string, confirm: string, email: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!password) errors.password = 'Choose a password.';
  else if (password.length < MIN_PASSWORD_LENGTH) errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  else if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) errors.password = `Use at most ${MAX_PASSWORD_BYTES} bytes.`;
  else if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) errors.password = 'Your password must not be your email address.';
  else if (password !== confirm) errors.passwordConfirm = 'The two passwords differ.';
  return errors;
}

export function emailProblem(email: string): string | null {
  if (!email) return 'Enter your email address.';
  if (email.length > 254 || !isEmailAddress(email)) return 'Enter a valid email address, like name@example.com.';
  return null;
}

/** The person and address of a client account, as the profile and registration forms send them. */
export interface ProfileInput {
  firstName: string;
  lastName: string;
  companyName: string;
  phone: string;
  address1: string;
  address2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  taxId: string;
}

export const PROFILE_FIELDS: Array<keyof ProfileInput> = ['firstName', 'lastName', 'companyName', 'phone', 'address1', 'address2', 'city', 'state', 'postcode', 'country', 'taxId'];

const LIMITS: Record<keyof ProfileInput, number> = {
  firstName: 100, lastName: 100, companyName: 255, phone: 32, address1: 255, address2: 255, city: 100, state: 100, postcode: 20, country: 2, taxId: 64,
};

/**
 * Checks the person and address fields. Free text may hold any printable character (it is escaped when shown);
 * only control characters are refused.
 */
export function profileProblems(input: ProfileInput, opts: { addressRequired?: boolean } = {}): FieldErrors {
  const errors: FieldErrors = {};
  for (const key of PROFILE_FIELDS) {
    const v = input[key];
    if (v.length > LIMITS[key]) errors[key] = `At most ${LIMITS[key]} characters.`;
    else if (/[\u0000-\u001f\u007f]/.test(v)) errors[key] = 'Remove the control characters.';
  }
  if (!input.firstName) errors.firstName ??= 'Enter your first name.';
  if (!input.lastName) errors.lastName ??= 'Enter your last name.';
  if (!input.country) errors.country ??= 'Choose your country.';
  else if (!isCountry(input.country)) errors.country ??= 'Choose a country from the list.';
  if (input.phone && !errors.phone && !/^\+?[0-9 ().-]{5,32}$/.test(input.phone)) errors.phone = 'Enter a phone number with digits, spaces and + ( ) - only.';
  if (input.taxId && !errors.taxId && !/^[A-Za-z0-9 .\-/]{2,64}$/.test(input.taxId)) errors.taxId = 'A tax ID has letters, digits, spaces, dots, dashes and slashes only.';
  if (opts.addressRequired) {
    if (!input.address1) errors.address1 ??= 'Enter your street address.';
    if (!input.city) errors.city ??= 'Enter your city.';
  }
  return errors;
}

/** Empty optional fields are stored as NULL. */
export const orNull = (s: string): string | null => (s ? s : null);
