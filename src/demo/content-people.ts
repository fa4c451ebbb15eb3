/**
 * People of the demo company: its staff and its ~50 clients. Addresses are plausible but invented; every email is on
 * a reserved `.example` / `.test` domain (RFC 2606) so no demo mail can ever reach a real mailbox.
 */

export interface DemoStaffDef {
  key: string;
  role: 'Full Administrator' | 'Billing' | 'Support' | 'Read-only';
  email: string;
  /** Null = invited, cannot log in until a password is set. */
  password: string | null;
  firstName: string;
  lastName: string;
  jobTitle: string;
  phone: string;
  departments: Array<'Sales' | 'Technical Support' | 'Billing'>;
}

export const DEMO_STAFF: DemoStaffDef[] = [
  {
    key: 'admin',
    role: 'Full Administrator',
    email: 'admin@demo.meridian.test',
    password: 'meridian-admin',
    firstName: 'Alex',
    lastName: 'Morgan',
    jobTitle: 'Operations Director',
    phone: '+1 512 555 0100',
    departments: ['Sales', 'Technical Support', 'Billing'],
  },
  {
    key: 'billing',
    role: 'Billing',
    email: 'billing@demo.meridian.test',
    password: 'meridian-billing',
    firstName: 'Priya',
    lastName: 'Nair',
    jobTitle: 'Billing Manager',
    phone: '+1 512 555 0101',
    departments: ['Billing', 'Sales'],
  },
  {
    key: 'support',
    role: 'Support',
    email: 'support@demo.meridian.test',
    password: 'meridian-support',
    firstName: 'Tomás',
    lastName: 'Herrera',
    jobTitle: 'Support Team Lead',
    phone: '+1 512 555 0102',
    departments: ['Technical Support', 'Sales'],
  },
  {
    key: 'readonly',
    role: 'Read-only',
    email: 'readonly@demo.meridian.test',
    password: 'meridian-readonly',
    firstName: 'Jordan',
    lastName: 'Lee',
    jobTitle: 'External Auditor',
    phone: '+1 512 555 0103',
    departments: [],
  },
  {
    key: 'fatima',
    role: 'Support',
    email: 'fatima.rahman@demo.meridian.test',
    password: null,
    firstName: 'Fatima',
    lastName: 'Rahman',
    jobTitle: 'Systems Engineer',
    phone: '+1 512 555 0104',
    departments: ['Technical Support'],
  },
  {
    key: 'lukas',
    role: 'Support',
    email: 'lukas.becker@demo.meridian.test',
    password: null,
    firstName: 'Lukas',
    lastName: 'Becker',
    jobTitle: 'Network Engineer',
    phone: '+1 512 555 0105',
    departments: ['Technical Support'],
  },
];

export type GroupKey = 'vip' | 'reseller' | 'nonprofit';

export const DEMO_CLIENT_GROUPS: Array<{ key: GroupKey; name: string; colour: string; discountPercent: string; description: string }> = [
  { key: 'vip', name: 'VIP', colour: '#d4a017', discountPercent: '10.00', description: 'Long-standing, high-value customers: 10% off catalogue prices and priority support.' },
  { key: 'reseller', name: 'Resellers', colour: '#6f42c1', discountPercent: '15.00', description: 'Web agencies reselling our hosting to their own customers: 15% off.' },
  { key: 'nonprofit', name: 'Non-profit', colour: '#20a26b', discountPercent: '20.00', description: 'Registered charities and schools: 20% off on proof of status.' },
];

export type CurrencyCode = 'USD' | 'EUR' | 'GBP';

export interface DemoClientDef {
  firstName: string;
  lastName: string;
  company: string | null;
  /** Main website: the domain their first hosting account is for. */
  site: string;
  address1: string;
  city: string;
  state: string | null;
  postcode: string;
  country: string;
  phone: string;
  currency: CurrencyCode;
  group?: GroupKey;
  taxId?: string;
  taxExempt?: boolean;
  status?: 'active' | 'inactive' | 'closed';
  deleted?: boolean;
  /** Role in the demo story. */
  tag?: 'credit' | 'affiliate' | 'reseller' | 'fraud' | 'collections' | 'cancelled' | 'closed' | 'referred';
  login?: boolean;
  language?: string;
}

export const DEMO_CLIENTS: DemoClientDef[] = [
  // United States
  { firstName: 'Olivia', lastName: 'Bennett', company: 'Bennett Design Studio', site: 'bennettdesign.com', address1: '1120 SW Morrison St', city: 'Portland', state: 'OR', postcode: '97205', country: 'US', phone: '+1 503 555 0143', currency: 'USD', login: true },
  { firstName: 'Marcus', lastName: 'Johnson', company: 'Johnson & Reed Law LLP', site: 'johnsonreedlaw.com', address1: '233 S Wacker Dr, Suite 4100', city: 'Chicago', state: 'IL', postcode: '60606', country: 'US', phone: '+1 312 555 0187', currency: 'USD', group: 'vip', login: true },
  { firstName: 'Emily', lastName: 'Carter', company: null, site: 'emilycooks.net', address1: '2207 S Congress Ave', city: 'Austin', state: 'TX', postcode: '78704', country: 'US', phone: '+1 512 555 0119', currency: 'USD', tag: 'affiliate', login: true },
  { firstName: 'Daniel', lastName: 'Kim', company: 'Kim Digital Agency', site: 'kimdigital.io', address1: '800 W 6th St, Floor 3', city: 'Los Angeles', state: 'CA', postcode: '90017', country: 'US', phone: '+1 213 555 0164', currency: 'USD' },
  { firstName: 'Sarah', lastName: 'Mitchell', company: 'Mitchell Bakery', site: 'mitchellbakery.com', address1: '455 Market St', city: 'San Diego', state: 'CA', postcode: '92101', country: 'US', phone: '+1 619 555 0122', currency: 'USD' },
  { firstName: 'James', lastName: 'Rodriguez', company: 'Rodriguez Auto Repair', site: 'rodriguezauto.com', address1: '1450 NW 7th Ave', city: 'Miami', state: 'FL', postcode: '33136', country: 'US', phone: '+1 305 555 0158', currency: 'USD' },
  { firstName: 'Ashley', lastName: 'Thompson', company: 'Lakeside Yoga Collective', site: 'lakesideyoga.org', address1: '2901 Hennepin Ave', city: 'Minneapolis', state: 'MN', postcode: '55408', country: 'US', phone: '+1 612 555 0175', currency: 'USD' },
  { firstName: 'Michael', lastName: 'Nguyen', company: 'Nguyen Photography', site: 'nguyenphoto.com', address1: '87 N San Pedro St', city: 'San Jose', state: 'CA', postcode: '95110', country: 'US', phone: '+1 408 555 0133', currency: 'USD' },
  { firstName: 'Jessica', lastName: 'Patel', company: 'BrightPath Tutoring', site: 'brightpathtutoring.org', address1: '100 Menlo Park Dr', city: 'Edison', state: 'NJ', postcode: '08837', country: 'US', phone: '+1 732 555 0146', currency: 'USD', group: 'nonprofit' },
  { firstName: 'Ryan', lastName: "O'Connor", company: 'Northwind Web Partners', site: 'northwindweb.com', address1: '50 Milk St, 16th Floor', city: 'Boston', state: 'MA', postcode: '02109', country: 'US', phone: '+1 617 555 0129', currency: 'USD', group: 'reseller', tag: 'reseller', login: true },
  { firstName: 'Brittany', lastName: 'Lewis', company: null, site: 'brittanylewis.net', address1: '1600 Wynkoop St', city: 'Denver', state: 'CO', postcode: '80202', country: 'US', phone: '+1 303 555 0191', currency: 'USD', tag: 'referred' },
  { firstName: 'Christopher', lastName: 'Hall', company: 'Hall Outdoor Gear', site: 'halloutdoor.com', address1: '1201 3rd Ave', city: 'Seattle', state: 'WA', postcode: '98101', country: 'US', phone: '+1 206 555 0138', currency: 'USD' },
  { firstName: 'Amanda', lastName: 'Brooks', company: 'Brooks Family Dental', site: 'brooksdental.com', address1: '421 Fayetteville St', city: 'Raleigh', state: 'NC', postcode: '27601', country: 'US', phone: '+1 919 555 0152', currency: 'USD' },
  { firstName: 'Kevin', lastName: 'Wright', company: 'Summit Analytics Inc.', site: 'summitanalytics.io', address1: '535 Mission St, 14th Floor', city: 'San Francisco', state: 'CA', postcode: '94105', country: 'US', phone: '+1 415 555 0107', currency: 'USD', group: 'vip' },
  // United Kingdom
  { firstName: 'Oliver', lastName: 'Hughes', company: 'Hughes & Partners Accountants', site: 'hughespartners.co.uk', address1: '1 Spinningfields Square', city: 'Manchester', state: null, postcode: 'M3 3AP', country: 'GB', phone: '+44 161 496 0312', currency: 'GBP', taxId: 'GB123456789', tag: 'credit', login: true },
  { firstName: 'Amelia', lastName: 'Clarke', company: 'Clarke Interiors', site: 'clarkeinteriors.co.uk', address1: '17 Queen Square', city: 'Bristol', state: null, postcode: 'BS1 4NT', country: 'GB', phone: '+44 117 496 0284', currency: 'GBP' },
  { firstName: 'Harry', lastName: 'Wilson', company: null, site: 'harrywilson.me', address1: '24 Park Row', city: 'Leeds', state: null, postcode: 'LS1 5JF', country: 'GB', phone: '+44 113 496 0455', currency: 'GBP', status: 'inactive', tag: 'collections' },
  { firstName: 'Charlotte', lastName: 'Evans', company: 'Evans Vintage Clothing', site: 'evansvintage.co.uk', address1: '38 Gardner St', city: 'Brighton', state: null, postcode: 'BN1 1UN', country: 'GB', phone: '+44 1273 496 071', currency: 'GBP' },
  { firstName: 'George', lastName: 'Patel', company: 'Patel Pharmacy Ltd', site: 'patelpharmacy.co.uk', address1: '112 Belgrave Gate', city: 'Leicester', state: null, postcode: 'LE1 3GQ', country: 'GB', phone: '+44 116 496 0620', currency: 'GBP', taxId: 'GB987654321' },
  { firstName: 'Sophie', lastName: 'Turner', company: 'Turner Creative Ltd', site: 'turnercreative.co.uk', address1: '86 Paul St', city: 'London', state: null, postcode: 'EC2A 4NE', country: 'GB', phone: '+44 20 7946 0958', currency: 'GBP', group: 'vip', taxId: 'GB246813579' },
  { firstName: 'William', lastName: 'Davies', company: 'Cardiff Bay Cycles', site: 'cardiffbaycycles.co.uk', address1: '9 Mermaid Quay', city: 'Cardiff', state: null, postcode: 'CF10 5BZ', country: 'GB', phone: '+44 29 2018 0419', currency: 'GBP' },
  { firstName: 'Isla', lastName: 'Robertson', company: 'Highland Crafts', site: 'highlandcrafts.co.uk', address1: '45 Victoria St', city: 'Edinburgh', state: null, postcode: 'EH1 2EX', country: 'GB', phone: '+44 131 496 0733', currency: 'GBP' },
  // Germany
  { firstName: 'Lukas', lastName: 'Schneider', company: 'Schneider Elektrotechnik GmbH', site: 'schneider-elektro.de', address1: 'Sendlinger Str. 42', city: 'München', state: 'Bayern', postcode: '80331', country: 'DE', phone: '+49 89 5502 1837', currency: 'EUR', taxId: 'DE811234567', taxExempt: true, language: 'de' },
  { firstName: 'Anna', lastName: 'Müller', company: 'Müller Reisen', site: 'mueller-reisen.de', address1: 'Mönckebergstr. 7', city: 'Hamburg', state: 'Hamburg', postcode: '20095', country: 'DE', phone: '+49 40 3289 4410', currency: 'EUR', language: 'de' },
  { firstName: 'Felix', lastName: 'Wagner', company: 'Wagner IT-Service', site: 'wagner-it.de', address1: 'Invalidenstr. 112', city: 'Berlin', state: 'Berlin', postcode: '10115', country: 'DE', phone: '+49 30 2093 7781', currency: 'EUR', taxId: 'DE299876543', taxExempt: true, language: 'de' },
  { firstName: 'Lea', lastName: 'Fischer', company: null, site: 'leafischer.de', address1: 'Ehrenstr. 21', city: 'Köln', state: 'Nordrhein-Westfalen', postcode: '50672', country: 'DE', phone: '+49 221 4710 2290', currency: 'EUR', deleted: true, language: 'de' },
  { firstName: 'Jonas', lastName: 'Weber', company: 'Weber Bau GmbH', site: 'weber-bau.de', address1: 'Zeil 81', city: 'Frankfurt am Main', state: 'Hessen', postcode: '60313', country: 'DE', phone: '+49 69 9150 3366', currency: 'EUR', language: 'de' },
  { firstName: 'Mia', lastName: 'Becker', company: 'Becker Fotografie', site: 'becker-fotografie.de', address1: 'Königstr. 28', city: 'Stuttgart', state: 'Baden-Württemberg', postcode: '70173', country: 'DE', phone: '+49 711 2284 5519', currency: 'EUR', language: 'de' },
  // Canada
  { firstName: 'Liam', lastName: 'Tremblay', company: 'Tremblay Consulting', site: 'tremblayconsulting.ca', address1: '360 Rue Saint-Jacques', city: 'Montréal', state: 'QC', postcode: 'H2Y 1P5', country: 'CA', phone: '+1 514 555 0176', currency: 'USD', language: 'fr' },
  { firstName: 'Chloé', lastName: 'Gagnon', company: 'Boulangerie Gagnon', site: 'boulangeriegagnon.com', address1: '1020 Rue Saint-Jean', city: 'Québec', state: 'QC', postcode: 'G1R 1R8', country: 'CA', phone: '+1 418 555 0142', currency: 'USD', language: 'fr' },
  { firstName: 'Noah', lastName: 'Campbell', company: 'Campbell Marine Supply', site: 'campbellmarine.com', address1: '1875 Hollis St', city: 'Halifax', state: 'NS', postcode: 'B3J 1W3', country: 'CA', phone: '+1 902 555 0161', currency: 'USD' },
  { firstName: 'Emma', lastName: 'Wilson', company: 'Maple Leaf Realty', site: 'mapleleafrealty.ca', address1: '200 Bay St, Suite 2600', city: 'Toronto', state: 'ON', postcode: 'M5J 2J2', country: 'CA', phone: '+1 416 555 0114', currency: 'USD' },
  { firstName: 'Ethan', lastName: 'Roy', company: null, site: 'ethanroy.dev', address1: '555 W Hastings St', city: 'Vancouver', state: 'BC', postcode: 'V6B 4N6', country: 'CA', phone: '+1 604 555 0188', currency: 'USD', tag: 'referred' },
  // Bangladesh
  { firstName: 'Tanvir', lastName: 'Ahmed', company: 'Dhaka Web Solutions', site: 'dhakawebsolutions.com', address1: 'House 42, Road 11, Banani', city: 'Dhaka', state: null, postcode: '1213', country: 'BD', phone: '+880 1711 555 042', currency: 'USD', group: 'reseller' },
  { firstName: 'Nusrat', lastName: 'Jahan', company: 'Jahan Fashion House', site: 'jahanfashion.com', address1: '78 CDA Avenue, GEC Circle', city: 'Chattogram', state: null, postcode: '4000', country: 'BD', phone: '+880 1819 555 317', currency: 'USD' },
  { firstName: 'Rafiq', lastName: 'Islam', company: null, site: 'rafiqislam.net', address1: 'Zindabazar Road 14', city: 'Sylhet', state: null, postcode: '3100', country: 'BD', phone: '+880 1712 555 906', currency: 'USD', status: 'closed', tag: 'closed' },
  { firstName: 'Farhana', lastName: 'Akter', company: 'BanglaTech Academy', site: 'banglatech.org', address1: 'Plot 9, Road 27, Dhanmondi', city: 'Dhaka', state: null, postcode: '1209', country: 'BD', phone: '+880 1915 555 228', currency: 'USD', taxExempt: true, group: 'nonprofit' },
  { firstName: 'Sabbir', lastName: 'Hossain', company: 'Hossain Traders', site: 'hossaintraders.com', address1: '23 KDA Avenue', city: 'Khulna', state: null, postcode: '9100', country: 'BD', phone: '+880 1552 555 671', currency: 'USD' },
  // France
  { firstName: 'Camille', lastName: 'Laurent', company: 'Atelier Laurent', site: 'atelierlaurent.fr', address1: '14 Rue de Bretagne', city: 'Paris', state: null, postcode: '75003', country: 'FR', phone: '+33 1 42 72 55 18', currency: 'EUR', language: 'fr' },
  { firstName: 'Lucas', lastName: 'Moreau', company: 'Moreau Vins', site: 'moreauvins.fr', address1: '22 Cours du Chapeau Rouge', city: 'Bordeaux', state: null, postcode: '33000', country: 'FR', phone: '+33 5 56 44 55 90', currency: 'EUR', taxId: 'FR40123456789', taxExempt: true, language: 'fr' },
  { firstName: 'Manon', lastName: 'Dubois', company: null, site: 'manondubois.fr', address1: '8 Rue de la République', city: 'Lyon', state: null, postcode: '69002', country: 'FR', phone: '+33 4 78 55 12 63', currency: 'EUR', status: 'inactive', tag: 'cancelled', language: 'fr' },
  { firstName: 'Hugo', lastName: 'Lefèvre', company: 'Lefèvre Architectes', site: 'lefevre-architectes.fr', address1: '5 Quai de la Fosse', city: 'Nantes', state: null, postcode: '44000', country: 'FR', phone: '+33 2 40 55 73 21', currency: 'EUR', language: 'fr' },
  // Netherlands
  { firstName: 'Daan', lastName: 'de Vries', company: 'De Vries Fietsen', site: 'devriesfietsen.nl', address1: 'Oudegracht 150', city: 'Utrecht', state: null, postcode: '3511 AZ', country: 'NL', phone: '+31 30 555 2741', currency: 'EUR' },
  { firstName: 'Sanne', lastName: 'Jansen', company: null, site: 'sannejansen.nl', address1: 'Prinsengracht 263', city: 'Amsterdam', state: null, postcode: '1016 GV', country: 'NL', phone: '+31 20 555 1189', currency: 'EUR', tag: 'referred' },
  // Australia
  { firstName: 'Jack', lastName: 'Thompson', company: 'Coastal Surf Co', site: 'coastalsurf.com', address1: '3 Orchid Ave', city: 'Surfers Paradise', state: 'QLD', postcode: '4217', country: 'AU', phone: '+61 7 5555 0192', currency: 'USD' },
  { firstName: 'Chloe', lastName: 'Nguyen', company: 'Nguyen Nutrition', site: 'nguyennutrition.com', address1: '120 Collins St', city: 'Melbourne', state: 'VIC', postcode: '3000', country: 'AU', phone: '+61 3 5550 1736', currency: 'USD' },
  // India
  { firstName: 'Arjun', lastName: 'Sharma', company: 'Sharma Software Labs', site: 'sharmalabs.io', address1: '80 Feet Road, Koramangala', city: 'Bengaluru', state: 'KA', postcode: '560034', country: 'IN', phone: '+91 80 5555 0147', currency: 'USD' },
  { firstName: 'Priya', lastName: 'Iyer', company: null, site: 'priya-deals-online.com', address1: '12 Anna Salai', city: 'Chennai', state: 'TN', postcode: '600002', country: 'IN', phone: '+91 44 5555 0103', currency: 'USD', tag: 'fraud' },
  // Spain, Ireland
  { firstName: 'Lucía', lastName: 'García', company: 'García Turismo', site: 'garciaturismo.es', address1: 'Carrer de Colón 18', city: 'València', state: null, postcode: '46004', country: 'ES', phone: '+34 963 55 41 27', currency: 'EUR', language: 'es' },
  { firstName: 'Seán', lastName: 'Murphy', company: "Murphy's Pub & Kitchen", site: 'murphyspubgalway.com', address1: '14 Quay St', city: 'Galway', state: null, postcode: 'H91 X2F6', country: 'IE', phone: '+353 91 555 843', currency: 'EUR' },
];

/** Extra people on some accounts (by the client's site, which is unique). */
export const DEMO_CONTACTS: Array<{ site: string; type: 'billing' | 'technical' | 'general'; firstName: string; lastName: string; email: string; phone?: string }> = [
  { site: 'johnsonreedlaw.com', type: 'billing', firstName: 'Linda', lastName: 'Reed', email: 'accounts@johnsonreedlaw.example', phone: '+1 312 555 0188' },
  { site: 'johnsonreedlaw.com', type: 'technical', firstName: 'Victor', lastName: 'Osei', email: 'it@johnsonreedlaw.example' },
  { site: 'kimdigital.io', type: 'technical', firstName: 'Hannah', lastName: 'Park', email: 'hannah@kimdigital.example' },
  { site: 'summitanalytics.io', type: 'billing', firstName: 'Rachel', lastName: 'Stein', email: 'ap@summitanalytics.example', phone: '+1 415 555 0108' },
  { site: 'summitanalytics.io', type: 'technical', firstName: 'Omar', lastName: 'Haddad', email: 'devops@summitanalytics.example' },
  { site: 'hughespartners.co.uk', type: 'billing', firstName: 'Margaret', lastName: 'Hughes', email: 'margaret@hughespartners.example' },
  { site: 'turnercreative.co.uk', type: 'general', firstName: 'Ben', lastName: 'Ashworth', email: 'studio@turnercreative.example' },
  { site: 'schneider-elektro.de', type: 'billing', firstName: 'Petra', lastName: 'Schneider', email: 'buchhaltung@schneider-elektro.example' },
  { site: 'northwindweb.com', type: 'technical', firstName: 'Grace', lastName: 'Liu', email: 'noc@northwindweb.example', phone: '+1 617 555 0130' },
  { site: 'northwindweb.com', type: 'billing', firstName: 'Paul', lastName: 'Adams', email: 'finance@northwindweb.example' },
  { site: 'tremblayconsulting.ca', type: 'general', firstName: 'Julie', lastName: 'Bouchard', email: 'julie@tremblayconsulting.example' },
  { site: 'dhakawebsolutions.com', type: 'technical', firstName: 'Imran', lastName: 'Chowdhury', email: 'support@dhakawebsolutions.example' },
  { site: 'sharmalabs.io', type: 'technical', firstName: 'Vikram', lastName: 'Rao', email: 'infra@sharmalabs.example' },
];

/** Login email of a client: on a reserved domain derived from their site. */
export function clientEmail(c: DemoClientDef): string {
  const local = `${c.firstName}.${c.lastName}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '');
  const host = c.site.replace(/\.[a-z.]+$/, '').replace(/[^a-z0-9-]/g, '');
  return `${local}@${host}.example`;
}
