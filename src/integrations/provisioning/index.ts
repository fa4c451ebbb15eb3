import type { HostingProvider, ServerConnection } from '../../domain/provisioning/provider.js';
import { VirtualizorProvider } from './virtualizor.js';
import { WhmProvider } from './whm.js';

/** The module for a server's type. The composition root hands this to the provisioning service. */
export function providerFor(conn: ServerConnection): HostingProvider {
  return conn.type === 'virtualizor' ? new VirtualizorProvider(conn) : new WhmProvider(conn);
}
