import { done, failed, retry, type JobContext, type ProvisioningDeps, type StepResult } from './context.js';
import { loadServer } from './servers.js';

const DEFAULT_TEMPLATE: Record<string, string> = { cpanel: 'hosting_welcome', virtualizor: 'vps_welcome' };

/**
 * The welcome email with the login details. A disabled template, or a Meridian with no mail set up, is staff's choice
 * and skips the email; a missing template or a refused send is a failure of the create job (the caller undoes it).
 */
export async function sendWelcome(deps: ProvisioningDeps, ctx: JobContext, ip: string | null): Promise<StepResult> {
  const { service, product, client } = ctx;
  if (!deps.email) return done({ sent: false, skipped: 'mail is not set up' });
  const server = service.serverId ? await loadServer(deps.ds, service.serverId) : null;
  const templateName = product.welcomeEmailTemplate?.trim() || DEFAULT_TEMPLATE[product.module] || 'hosting_welcome';
  const sent = await deps.email.sendTemplate({
    templateName,
    to: client.email,
    language: client.language,
    clientId: client.id,
    related: { type: 'Service', id: service.id },
    context: {
      client: { firstName: client.firstName, lastName: client.lastName, email: client.email },
      service: {
        id: service.id,
        productName: product.name,
        domain: service.domain,
        username: service.username,
        password: service.password,
        dedicatedIp: ip ?? service.dedicatedIp,
      },
      server: server ? { hostname: server.hostname, nameserver1: server.nameserver1, nameserver2: server.nameserver2 } : {},
    },
  });
  if (sent.ok) {
    await deps.ds.getRepository('Service').update({ id: service.id }, { providerData: { ...(service.providerData ?? {}), welcomeSentAt: deps.clock.now().toISOString() } });
    return done({ sent: true });
  }
  const error = (sent as { error: string }).error;
  if (error === 'template_disabled' || error === 'mail_not_configured') return done({ sent: false, skipped: sent.message });
  return error === 'send_failed' ? retry(sent.message) : failed(sent.message);
}
