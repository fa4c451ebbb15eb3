import 'dotenv/config';
import { ConfigError, loadConfig } from '../config/config.js';
import { openDatabase } from '../db/boot.js';
import { BillingRunService } from '../domain/billing/run/billing-run.js';
import { systemClock } from '../domain/shared/clock.js';
import { formatDecimal } from '../domain/shared/money.js';

/**
 * `npm run billing -- [--date YYYY-MM-DD] [--dry-run]`: the daily billing run by hand, with progress.
 * A dry run prints what a real run would invoice and changes nothing.
 */
const args = process.argv.slice(2);
const usage = 'usage: npm run billing -- [--date YYYY-MM-DD] [--dry-run]';
let date: string | undefined;
let dryRun = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--dry-run') dryRun = true;
  else if (args[i] === '--date' && args[i + 1]) date = args[++i];
  else if (args[i].startsWith('--date=')) date = args[i].slice(7);
  else {
    console.error(`unknown argument: ${args[i]}\n${usage}`);
    process.exit(2);
  }
}
try {
  const config = loadConfig();
  const ds = await openDatabase(config.DATABASE_URL, config.APP_KEY);
  const outcome = await new BillingRunService(ds, systemClock, config.APP_TIMEZONE).run({ date, dryRun, onProgress: (m) => console.log(m) });
  await ds.destroy();
  if (!outcome.ok) {
    console.error(outcome.message);
    process.exit(1);
  }
  const r = outcome.report;
  if (dryRun) {
    console.log(`\nWould create ${r.counts.invoices} invoices:`);
    for (const inv of r.renewals.plan) {
      console.log(`  client ${inv.clientId}  due ${inv.dueDate}  total ${formatDecimal(inv.total)}`);
      for (const l of inv.lines) console.log(`      ${formatDecimal(l.amount).padStart(10)}  ${l.description}`);
    }
  }
  console.log(`\n${dryRun ? 'Dry run' : 'Run'} ${r.status} in ${r.ms} ms: ${JSON.stringify(r.counts)}`);
  for (const e of r.errors) console.log(`  error in ${e.step}${e.record ? ` (${e.record})` : ''}: ${e.message}`);
  process.exit(r.status === 'failed' ? 1 : 0);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
}
