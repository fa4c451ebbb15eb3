import { domainToASCII, domainToUnicode } from 'node:url';
import { fail, succeed, type Outcome } from '../shared/outcome.js';

export interface DomainName {
  /** The name as registries know it: lower case ASCII, internationalised labels in punycode (xn--). */
  ascii: string;
  /** The same name as people read it. */
  unicode: string;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain name typed by a person (or pasted from a browser) made into the registry's form, or the reason it is not
 * one: 'Example.COM.', ' https://shop.example/ ' and 'bücher.de' are accepted (the last as xn--bcher-kva.de);
 * 'shop', 'exa mple.com', '-x.com' and names over 253 characters are not.
 */
export function parseDomainName(input: string): Outcome<DomainName> {
  let raw = String(input ?? '').trim();
  if (!raw) return fail('invalid_domain', 'Enter a domain name, such as example.com.', 'domain');
  // A pasted address: drop the scheme, the path and a trailing dot; "www." is the web server, not the domain.
  raw = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '').replace(/\.$/, '');
  if (/^www\./i.test(raw) && raw.split('.').length > 2) raw = raw.slice(4);
  if (raw.length > 253 * 4 || /[\s@:/\\?#]/.test(raw)) return fail('invalid_domain', `"${raw.slice(0, 60)}" is not a domain name: use letters, digits and hyphens, with dots between the parts.`, 'domain');
  const ascii = domainToASCII(raw.toLowerCase());
  if (!ascii) return fail('invalid_domain', `"${raw.slice(0, 60)}" is not a domain name: use letters, digits and hyphens, with dots between the parts.`, 'domain');
  const labels = ascii.split('.');
  if (labels.length < 2) return fail('invalid_domain', `Add the ending to "${raw.slice(0, 60)}", for example ${raw.slice(0, 60)}.com.`, 'domain');
  if (ascii.length > 253) return fail('invalid_domain', 'That domain name is too long (at most 253 characters).', 'domain');
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) {
    return fail('invalid_domain', bad.length > 63 ? 'Each part of a domain name can be at most 63 characters long.' : 'Each part of a domain name uses letters, digits and hyphens, and cannot start or end with a hyphen.', 'domain');
  }
  return succeed({ ascii, unicode: domainToUnicode(ascii) });
}

/** The TLD of a name among those sold (longest match, so shop.co.uk is under .co.uk when both .uk and .co.uk are). */
export function tldOf(ascii: string, sold: Iterable<string>): { sld: string; tld: string } | null {
  const tlds = [...sold].map((t) => t.replace(/^\./, '').toLowerCase()).sort((a, b) => b.length - a.length);
  for (const tld of tlds) {
    if (ascii.endsWith(`.${tld}`)) {
      const sld = ascii.slice(0, -(tld.length + 1));
      if (sld && !sld.includes('.')) return { sld, tld };
    }
  }
  return null;
}
