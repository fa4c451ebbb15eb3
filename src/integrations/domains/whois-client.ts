import net from 'node:net';

export interface WhoisAnswer {
  ok: boolean;
  text: string;
  /** Why there is no answer: 'timeout', 'refused', 'too_large'… */
  error?: string;
}

const MAX_BYTES = 256 * 1024;

/**
 * One WHOIS query over TCP port 43 (RFC 3912): send the name and CRLF, read until the server closes. Bounded in time
 * and size, because a WHOIS server is someone else's and may hang or stream forever.
 */
export function whoisQuery(host: string, port: number, query: string, timeoutMs = 8000): Promise<WhoisAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = (answer: WhoisAnswer) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(answer);
    };
    const socket = net.connect({ host, port }, () => socket.write(`${query}\r\n`));
    socket.setTimeout(timeoutMs, () => done({ ok: false, text: '', error: 'timeout' }));
    socket.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_BYTES) return done({ ok: false, text: '', error: 'too_large' });
      chunks.push(b);
    });
    socket.on('end', () => done({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    socket.on('close', () => done({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    socket.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, text: '', error: e.code === 'ECONNREFUSED' ? 'refused' : (e.code ?? 'error') }));
  });
}
