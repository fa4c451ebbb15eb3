// A provisioning worker in a process of its own, for the test that two processes never run one job twice.
// Usage: node dist/tests/helpers/worker-process.js <database-url>; prints the outcomes as one JSON line.
import { createDataSource } from '../../src/db/data-source.js';
import { setAppKey } from '../../src/db/secrets.js';
import { serializeSqlite } from '../../src/db/sqlite-serial.js';
import { systemClock } from '../../src/domain/shared/clock.js';
import { ProvisioningWorker } from '../../src/domain/provisioning/worker.js';
import { providerFor } from '../../src/integrations/provisioning/index.js';
import { TEST_APP_KEY } from './db.js';

setAppKey(TEST_APP_KEY);
const ds = await createDataSource({ databaseUrl: process.argv[2] });
await ds.initialize();
serializeSqlite(ds);
const worker = new ProvisioningWorker({ ds, clock: systemClock, providers: providerFor, timeouts: { timeoutMs: 3000, createTimeoutMs: 3000 } }, 2);
const ran = await worker.runDue();
process.stdout.write(`${JSON.stringify(ran.map((r) => ({ jobId: r.jobId, status: r.status, message: r.message })))}\n`);
await ds.destroy();
