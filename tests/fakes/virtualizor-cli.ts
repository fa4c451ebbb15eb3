import { startFakeVirtualizor } from './virtualizor-server.js';

/**
 * Runs the fake Virtualizor by hand so Meridian can be tried without a VPS panel:
 *   npm run fake:virtualizor     (port 4084, or VIRTUALIZOR_FAKE_PORT=… / first argument)
 * State lives in memory and is gone when the process stops.
 */
const port = Number(process.argv[2] ?? process.env.VIRTUALIZOR_FAKE_PORT ?? 4084);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Not a port: ${process.argv[2] ?? process.env.VIRTUALIZOR_FAKE_PORT}`);
  process.exit(2);
}

const shown = (params: Record<string, string>) => Object.entries(params)
  .filter(([k]) => k !== 'act' && k !== 'api')
  .map(([k, v]) => `${k}=${/pass/i.test(k) ? '***' : v}`)
  .join(' ');
const fake = await startFakeVirtualizor({
  port,
  apiKey: process.env.VIRTUALIZOR_FAKE_KEY,
  apiPass: process.env.VIRTUALIZOR_FAKE_PASS,
  onCall: (c) => console.log(`${new Date().toISOString()} ${c.method} act=${c.act} ${shown(c.params)}${c.authorized ? '' : ' (rejected credentials)'}`),
});
fake.addVps({ hostname: 'sample-vps.example.test', email: 'owner@sample-company.test', plid: 1, osid: 100, used_bandwidth: 3.5 });

const plans = [...fake.plans.values()].map((p) => `${p.plid} ${p.plan_name} (${p.virt}, ${p.ram} MB RAM, ${p.space} GB)`).join('\n  ');
const oses = [...fake.osTemplates.values()].map((o) => `${o.osid} ${o.name} (${o.virt})`).join('\n  ');
console.log(`Fake Virtualizor (admin API, JSON mode) listening on ${fake.url}
Add a server in Meridian with:
  type       virtualizor
  hostname   127.0.0.1
  port       ${fake.port}
  secure     off (plain HTTP)
  API key    ${fake.apiKey}
  API pass   ${fake.apiPass}
Plans (product "plan" = plid):
  ${plans}
OS templates (osid):
  ${oses}
One sample VPS: sample-vps.example.test (owner owner@sample-company.test).
Try it:  curl '${fake.url}/index.php?act=vs&api=json&adminapikey=${fake.apiKey}&adminapipass=${fake.apiPass}'
Ctrl-C to stop.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0));
  });
}
