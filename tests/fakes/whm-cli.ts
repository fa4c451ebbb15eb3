import { startFakeWhm } from './whm-server.js';

/**
 * Runs the fake WHM by hand so Meridian can be tried without a cPanel server:
 *   npm run fake:whm            (port 2086, or WHM_FAKE_PORT=… / first argument)
 * State lives in memory and is gone when the process stops.
 */
const port = Number(process.argv[2] ?? process.env.WHM_FAKE_PORT ?? 2086);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Not a port: ${process.argv[2] ?? process.env.WHM_FAKE_PORT}`);
  process.exit(2);
}

const shown = (params: Record<string, string>) => Object.entries(params)
  .filter(([k]) => k !== 'api.version')
  .map(([k, v]) => `${k}=${/pass/i.test(k) ? '***' : v}`)
  .join(' ');
const whm = await startFakeWhm({
  port,
  token: process.env.WHM_FAKE_TOKEN,
  onCall: (c) => console.log(`${new Date().toISOString()} ${c.status} ${c.method} ${c.fn} ${shown(c.params)}${c.auth === 'bad' || c.auth === 'none' ? ' (rejected credentials)' : ''}`),
});
whm.addAccount({ user: 'sampleco', domain: 'sample-company.test', plan: 'starter', email: 'owner@sample-company.test', diskUsedMb: 142, bandwidthUsedBytes: 734 * 1024 * 1024 });

console.log(`Fake WHM (WHM API 1) listening on ${whm.url}
Add a server in Meridian with:
  type       cpanel
  hostname   127.0.0.1
  port       ${whm.port}
  secure     off (plain HTTP)
  username   ${whm.user}
  API token  ${whm.token}
  (or password ${whm.password})
Packages: ${[...whm.packages.keys()].join(', ')}.  One sample account: sampleco (sample-company.test).
Try it:  curl -H 'Authorization: whm ${whm.user}:${whm.token}' '${whm.url}/json-api/version?api.version=1'
Ctrl-C to stop.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void whm.close().then(() => process.exit(0));
  });
}
