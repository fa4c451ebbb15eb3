import { startFakeLogicBoxes } from './logicboxes-server.js';
import { startFakeWhois } from './whois-server.js';
import { DEMO_REGISTRAR } from '../../src/demo/model.js';

/**
 * Runs the fake LogicBoxes registrar API and a fake WHOIS server by hand, so domains can be tried end to end without a
 * registrar account:
 *   npm run fake:registrar        (LogicBoxes on 127.0.0.1:4040, WHOIS on 127.0.0.1:4343; or the two arguments)
 * State lives in memory and is gone when the process stops.
 */
const [apiPort, whoisPort] = [Number(process.argv[2] ?? 4040), Number(process.argv[3] ?? 4343)];
for (const p of [apiPort, whoisPort]) {
  if (!Number.isInteger(p) || p < 0 || p > 65535) {
    console.error(`Not a port: ${p}`);
    process.exit(2);
  }
}
// The demo data's settings already name this account (src/demo/model.ts).
const lb = await startFakeLogicBoxes({ port: apiPort, resellerId: DEMO_REGISTRAR.resellerId, apiKey: DEMO_REGISTRAR.apiKey });
const whois = await startFakeWhois({ port: whoisPort });
lb.registered('google.com');
whois.registered.add('google.com');
const held = lb.own('sample-company.test', { expiry: `${new Date().getUTCFullYear() + 1}-06-30`, customerEmail: 'owner@sample-company.test' });

console.log(`Fake LogicBoxes API listening on ${lb.url}; fake WHOIS on ${whois.host}:${whois.port}
The demo data is set up for it already; otherwise, under Settings, set:
  registrar.logicboxes.resellerId   ${lb.resellerId}
  registrar.logicboxes.apiKey       ${lb.apiKey}   (type secret)
  registrar.logicboxes.apiBase      ${lb.url}
and give a TLD (Catalogue › Domain products) the registrar "logicboxes". Start Meridian with
  WHOIS_SERVER=${whois.host}:${whois.port} npm start
so availability questions go to the fake WHOIS (every name is free except google.com).
One domain is already in the account: sample-company.test (order ${held.orderId}).
Ctrl-C to stop.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([lb.close(), whois.close()]).then(() => process.exit(0));
  });
}
