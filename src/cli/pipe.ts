import 'dotenv/config';
import { ConfigError, loadConfig } from '../config/config.js';
import { openDatabase } from '../db/boot.js';
import { ensureEmailTemplates } from '../domain/notifications/standard-templates.js';
import { EmailService } from '../domain/notifications/email-service.js';
import { systemClock } from '../domain/shared/clock.js';
import { emailPipingFor, type PipeOutcome } from '../domain/support/piping.js';
import { MAX_MESSAGE_BYTES } from '../domain/support/piping-message.js';
import { createMailer } from '../integrations/mail/mailer.js';

/**
 * `npm run pipe -- [--to support@example.com] [--sender bounce@address]`: one raw message on stdin becomes a ticket
 * or a reply. For a mail server's pipe transport, e.g. Postfix master.cf:
 *   meridian unix - n n - - pipe user=meridian argv=/usr/bin/node /srv/meridian/dist/src/cli/pipe.js --to ${recipient} --sender ${sender}
 * Exit status follows sysexits, which mail servers understand: 0 stored or deliberately ignored, 65 refused (the
 * server bounces it to the sender with the printed reason), 75 a temporary problem (the server keeps it and retries).
 */
const EX_DATAERR = 65;
const EX_TEMPFAIL = 75;
const usage = 'usage: npm run pipe -- [--to recipient@address] [--sender envelope@sender] < message.eml';

const args = process.argv.slice(2);
let to: string | null = null;
let sender: string | null = null;
for (let i = 0; i < args.length; i++) {
  const [name, inline] = args[i].split(/=(.*)/s, 2);
  const value = inline ?? args[i + 1];
  if ((name === '--to' || name === '--sender') && value !== undefined) {
    if (name === '--to') to = value;
    else sender = value;
    if (inline === undefined) i++;
  } else {
    console.error(`unknown argument: ${args[i]}\n${usage}`);
    process.exit(EX_TEMPFAIL);
  }
}

async function readStdin(limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    // Keep reading to the end so the mail server's write does not fail, but stop keeping the bytes.
    if (size <= limit + 1) chunks.push(chunk as Buffer);
  }
  return size > limit ? null : Buffer.concat(chunks);
}

function line(out: PipeOutcome): string {
  if (!out.ok) return `rejected: ${out.message}`;
  switch (out.action) {
    case 'opened':
      return `opened ${out.ticketNumber} (ticket #${out.ticketId}${out.guest ? ', guest' : ''}${out.continues ? `, continues ${out.continues}` : ''})`;
    case 'replied':
      return `replied to ${out.ticketNumber} (ticket #${out.ticketId}${out.byStaff ? ', by staff' : ''}${out.reopened ? ', reopened' : ''})`;
    case 'ignored':
      return `ignored: ${out.reason}`;
  }
}

try {
  const raw = await readStdin(MAX_MESSAGE_BYTES);
  if (!raw) {
    console.log(`rejected: the message is larger than ${MAX_MESSAGE_BYTES / 1024 / 1024} MB`);
    process.exit(EX_DATAERR);
  }
  const config = loadConfig();
  const ds = await openDatabase(config.DATABASE_URL, config.APP_KEY);
  await ensureEmailTemplates(ds);
  const mailer = createMailer(config);
  const email = new EmailService({ ds, mailer, clock: systemClock, timeZone: config.APP_TIMEZONE, appUrl: config.APP_URL });
  const piping = emailPipingFor(config, ds, email, (m, detail) => console.error(`warning: ${m} ${JSON.stringify(detail ?? {})}`));
  let out: PipeOutcome;
  try {
    out = await piping.pipe(raw, { recipient: to, envelopeFrom: sender });
  } finally {
    mailer.close();
    await ds.destroy();
  }
  console.log(line(out));
  process.exit(out.ok ? 0 : EX_DATAERR);
} catch (e) {
  console.error(`temporary failure: ${e instanceof ConfigError ? e.message : e instanceof Error ? e.message : String(e)}`);
  process.exit(EX_TEMPFAIL);
}
