/**
 * WHOIS servers and their "not registered" answers for common TLDs, from IANA's root zone database
 * (https://www.iana.org/domains/root/db, "WHOIS Server") and each registry's documented reply. A sold TLD missing
 * here cannot be checked automatically: WhoisService says so rather than guessing a server.
 */
export interface WhoisServer {
  host: string;
  port: number;
  /** Matches the registry's answer for a name that is not registered. */
  available: RegExp;
}

const NOT_FOUND = /^(No match for|NOT FOUND|No Data Found|Domain not found|The queried object does not exist|Status:\s*(free|AVAILABLE)|No entries found|%% NOT FOUND|no matching objects found)/im;

export const WHOIS_SERVERS: Record<string, WhoisServer> = {
  com: { host: 'whois.verisign-grs.com', port: 43, available: /^No match for "/im },
  net: { host: 'whois.verisign-grs.com', port: 43, available: /^No match for "/im },
  org: { host: 'whois.publicinterestregistry.org', port: 43, available: NOT_FOUND },
  info: { host: 'whois.nic.info', port: 43, available: NOT_FOUND },
  biz: { host: 'whois.nic.biz', port: 43, available: NOT_FOUND },
  io: { host: 'whois.nic.io', port: 43, available: NOT_FOUND },
  co: { host: 'whois.nic.co', port: 43, available: NOT_FOUND },
  uk: { host: 'whois.nic.uk', port: 43, available: /No match for "/im },
  'co.uk': { host: 'whois.nic.uk', port: 43, available: /No match for "/im },
  de: { host: 'whois.denic.de', port: 43, available: /^Status:\s*free/im },
  nl: { host: 'whois.domain-registry.nl', port: 43, available: /is free/im },
  eu: { host: 'whois.eu', port: 43, available: /Status:\s*AVAILABLE/im },
  fr: { host: 'whois.nic.fr', port: 43, available: /No entries found/im },
  us: { host: 'whois.nic.us', port: 43, available: NOT_FOUND },
  ca: { host: 'whois.cira.ca', port: 43, available: NOT_FOUND },
  au: { host: 'whois.auda.org.au', port: 43, available: NOT_FOUND },
  'com.au': { host: 'whois.auda.org.au', port: 43, available: NOT_FOUND },
  bd: { host: 'whois.btcl.net.bd', port: 43, available: NOT_FOUND },
};

