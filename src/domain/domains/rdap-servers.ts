/**
 * RDAP base URLs per TLD, from IANA's bootstrap registry for DNS (RFC 9224, https://data.iana.org/rdap/dns.json).
 * Written 2026-12-06 without access to that file: these are the long-standing entries (as published through 2025)
 * of the common gTLDs and of ccTLDs that run RDAP. Check them against the file, and refresh from it when adding TLDs. A TLD missing
 * here (many ccTLDs, .de among them, have no RDAP service) is checked over WHOIS, and WhoisService falls back to
 * WHOIS whenever an RDAP server errs, so a stale entry costs time, never a wrong answer.
 */
const VERISIGN = 'https://rdap.verisign.com';
const IDENTITY_DIGITAL = 'https://rdap.identitydigital.services/rdap/';
const GOOGLE = 'https://pubapi.registry.google/rdap/';
const centralnic = (tld: string) => `https://rdap.centralnic.com/${tld}/`;

export const RDAP_SERVERS: Record<string, string> = {
  com: `${VERISIGN}/com/v1/`,
  net: `${VERISIGN}/net/v1/`,
  org: 'https://rdap.publicinterestregistry.org/rdap/',
  info: IDENTITY_DIGITAL,
  mobi: IDENTITY_DIGITAL,
  pro: IDENTITY_DIGITAL,
  io: IDENTITY_DIGITAL,
  biz: 'https://rdap.nic.biz/',
  co: 'https://rdap.nic.co/',
  us: 'https://rdap.nic.us/',
  app: GOOGLE,
  dev: GOOGLE,
  page: GOOGLE,
  xyz: centralnic('xyz'),
  online: centralnic('online'),
  store: centralnic('store'),
  site: centralnic('site'),
  tech: centralnic('tech'),
  website: centralnic('website'),
  space: centralnic('space'),
  shop: 'https://rdap.gmoregistry.net/rdap/',
  // Nominet answers for every name under .uk, the second-level .co.uk and .org.uk included.
  uk: 'https://rdap.nominet.uk/uk/',
  nl: 'https://rdap.sidn.nl/',
  fr: 'https://rdap.nic.fr/',
  ca: 'https://rdap.ca.fury.ca/rdap/',
  au: 'https://rdap.cctld.au/rdap/',
};

/**
 * The RDAP base URL for a sold TLD ('co.uk' → the .uk server, as the bootstrap file lists top-level labels only),
 * or null when the TLD has none and WHOIS must answer.
 */
export function rdapBaseFor(tld: string, servers: Record<string, string> = RDAP_SERVERS): string | null {
  const bare = tld.replace(/^\./, '').toLowerCase();
  return servers[bare] ?? servers[bare.split('.').pop() ?? ''] ?? null;
}
