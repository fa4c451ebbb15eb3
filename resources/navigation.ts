/** The admin sidebar, in the order of the WHMCS-style menu of seed 000. */
export const NAV = {
  clients: { name: 'Clients', icon: 'Users' },
  orders: { name: 'Orders', icon: 'ShoppingCart' },
  billing: { name: 'Billing', icon: 'CreditCard' },
  support: { name: 'Support', icon: 'LifeBuoy' },
  products: { name: 'Products/Services', icon: 'Package' },
  reporting: { name: 'Reporting', icon: 'BarChart2' },
  utilities: { name: 'Utilities', icon: 'Tool' },
  settings: { name: 'System Settings', icon: 'Settings' },
  addons: { name: 'Addons', icon: 'Grid' },
} as const;
