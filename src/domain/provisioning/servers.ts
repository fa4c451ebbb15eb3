import type { EntityManager } from 'typeorm';
import type { HostingProvider, ServerConnection } from './provider.js';

/** Builds the module for a server (the real ones in production, the same ones pointed at fakes in tests). */
export type ProviderFactory = (conn: ServerConnection) => HostingProvider;

export interface ServerRow {
  id: number;
  name: string;
  type: 'cpanel' | 'virtualizor';
  hostname: string;
  ipAddress: string;
  port: number | null;
  secure: boolean;
  verifyTls: boolean;
  username: string | null;
  password: string | null;
  apiToken: string | null;
  apiKey: string | null;
  apiPass: string | null;
  status: string;
  serverGroupId: number | null;
  nameserver1: string | null;
  nameserver2: string | null;
}

/** The server with its credentials decrypted (the column transformer does it on load); stays on the server side. */
export async function loadServer(m: Pick<EntityManager, 'getRepository'>, id: number): Promise<ServerRow | null> {
  return (await m.getRepository('Server').findOneBy({ id })) as ServerRow | null;
}

export function connectionOf(server: ServerRow, timeouts: { timeoutMs?: number; createTimeoutMs?: number } = {}): ServerConnection {
  return {
    type: server.type,
    hostname: server.hostname || server.ipAddress,
    port: server.port,
    secure: server.secure,
    verifyTls: server.verifyTls,
    username: server.username,
    password: server.password,
    apiToken: server.apiToken,
    apiKey: server.apiKey,
    apiPass: server.apiPass,
    ...timeouts,
  };
}
