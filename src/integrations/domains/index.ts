import type { RegistrarModules } from '../../domain/domains/registrars.js';
import { logicBoxesRegistrar } from './logicboxes.js';

export interface RegistrarApiBases {
  /** LogicBoxes API root (tests and "try Meridian" point it at the fake), e.g. http://127.0.0.1:4000/api */
  logicboxes?: string;
}

const yes = (v: string | undefined) => ['1', 'true', 'yes', 'on'].includes((v ?? '').toLowerCase());

/** The registrar modules Meridian ships, keyed by the code DomainProduct.registrar names. */
export function registrarModules(apiBases: RegistrarApiBases = {}, timeoutMs?: number): RegistrarModules {
  return {
    logicboxes: {
      label: 'ResellerClub / LogicBoxes',
      settings: [
        { key: 'resellerId', label: 'Reseller ID' },
        { key: 'apiKey', label: 'API key', secret: true },
        { key: 'testMode', label: 'Test mode (test.httpapi.com)', optional: true },
        { key: 'apiBase', label: 'API URL (only for a proxy, or npm run fake:registrar)', optional: true },
      ],
      build: (v) => logicBoxesRegistrar({ resellerId: v.get('resellerId')!, apiKey: v.get('apiKey')!, testMode: yes(v.get('testMode')), apiBase: apiBases.logicboxes ?? (v.get('apiBase') || undefined), timeoutMs }),
    },
  };
}
