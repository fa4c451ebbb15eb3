import { ComponentLoader } from 'adminjs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** React components for the admin live in /components (bundled ahead by `npm run build`, not compiled by tsc). */
export const componentsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../components');
export const componentLoader = new ComponentLoader();

const add = (name: string, file: string) => componentLoader.add(name, resolve(componentsDir, file));

export const Components = {
  ActionForm: add('ActionForm', 'action-form.jsx'),
  AccountPage: add('AccountPage', 'account-page.jsx'),
  Dashboard: add('Dashboard', 'dashboard.jsx'),
  Reports: add('Reports', 'reports.jsx'),
  Calendar: add('Calendar', 'calendar.jsx'),
  InvoicePdf: add('InvoicePdf', 'invoice-pdf.jsx'),
  InvoiceDetails: add('InvoiceDetails', 'invoice-details.jsx'),
  TicketThread: add('TicketThread', 'ticket-thread.jsx'),
};
