import type { DataSource } from 'typeorm';
import type { Clock } from '../shared/clock.js';
import type { SendTemplateInput } from '../notifications/email-service.js';
import type { Outcome } from '../shared/outcome.js';
import type { HostingProvider, ProviderResult } from './provider.js';
import { connectionOf, loadServer, type ProviderFactory, type ServerRow } from './servers.js';

/** What the provisioning code needs from the rest of Meridian, handed in by the composition root. */
export interface ProvisioningDeps {
  ds: DataSource;
  clock: Clock;
  providers: ProviderFactory;
  /** Welcome emails and staff alerts; without it nothing is emailed (and nothing waits for email). */
  email?: { sendTemplate(input: SendTemplateInput): Promise<Outcome<object>> };
  /** Per-call timeouts for the panels (tests shorten them). */
  timeouts?: { timeoutMs?: number; createTimeoutMs?: number };
}

/** How a job step ended: the queue turns these into succeeded / queued again / failed. */
export type StepResult =
  | { kind: 'done'; result: Record<string, unknown> }
  | { kind: 'retry'; message: string }
  | { kind: 'fail'; message: string };

export const done = (result: Record<string, unknown> = {}): StepResult => ({ kind: 'done', result });
export const retry = (message: string): StepResult => ({ kind: 'retry', message });
export const failed = (message: string): StepResult => ({ kind: 'fail', message });

/** A provider failure as a step result: only transient ones are worth another attempt. */
export function fromProvider(r: Extract<ProviderResult, { ok: false }>): StepResult {
  return r.failure === 'transient' ? retry(r.message) : failed(r.message);
}

export interface ServiceRow {
  id: number;
  clientId: number;
  productId: number;
  serverId: number | null;
  domain: string | null;
  username: string | null;
  password: string | null;
  dedicatedIp: string | null;
  status: string;
  suspensionReason: string | null;
  providerRef: string | null;
  providerData: Record<string, unknown> | null;
}

export interface ProductRow {
  id: number;
  name: string;
  type: string;
  module: 'none' | 'cpanel' | 'virtualizor';
  serverGroupId: number | null;
  hostingPackageId: number | null;
  moduleConfig: Record<string, unknown> | null;
  welcomeEmailTemplate: string | null;
}

export interface ClientRow {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  language: string | null;
}

export interface JobContext {
  service: ServiceRow;
  product: ProductRow;
  client: ClientRow;
}

export async function loadContext(ds: DataSource, serviceId: number): Promise<JobContext | null> {
  const service = (await ds.getRepository('Service').findOne({ where: { id: serviceId }, withDeleted: true })) as ServiceRow | null;
  if (!service) return null;
  const product = (await ds.getRepository('Product').findOneBy({ id: service.productId })) as ProductRow;
  const client = (await ds.getRepository('Client').findOne({ where: { id: service.clientId }, withDeleted: true })) as ClientRow;
  return { service, product, client };
}

/** The module for a service's server, or why there is none. */
export async function providerOf(deps: ProvisioningDeps, serverId: number | null): Promise<{ server: ServerRow; provider: HostingProvider } | { message: string }> {
  if (!serverId) return { message: 'The service is not on a server.' };
  const server = await loadServer(deps.ds, serverId);
  if (!server) return { message: `Server #${serverId} does not exist.` };
  return { server, provider: deps.providers(connectionOf(server, deps.timeouts)) };
}
