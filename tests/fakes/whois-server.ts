import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FakeWhois {
  host: string;
  port: number;
  /** Names the fake registry holds (lower case ASCII). */
  registered: Set<string>;
  /** Queries received, in order. */
  queries: string[];
  /** The next n queries get no answer at all (the connection is held open), as a hung registry does. */
  hangNext(n: number): void;
  close(): Promise<void>;
}

/**
 * A WHOIS server on loopback speaking RFC 3912 the way Verisign's does for .com: one query line in, a text answer,
 * then the server closes the connection; "No match for "NAME"." when the name is free.
 */
export async function startFakeWhois(opts: { port?: number } = {}): Promise<FakeWhois> {
  const registered = new Set<string>();
  const queries: string[] = [];
  let hang = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = '';
    socket.on('data', (b) => {
      buf += b.toString('utf8');
      const end = buf.indexOf('\r\n');
      if (end === -1) return;
      const q = buf.slice(0, end).trim().toLowerCase();
      queries.push(q);
      if (hang > 0) {
        hang--;
        return;
      }
      if (registered.has(q)) {
        socket.end(`   Domain Name: ${q.toUpperCase()}\r\n   Registrar: Example Registrar, Inc.\r\n   Creation Date: 2019-04-01T00:00:00Z\r\n   Registry Expiry Date: 2027-04-01T00:00:00Z\r\n>>> Last update of whois database: 2026-12-06T00:00:00Z <<<\r\n`);
      } else {
        socket.end(`No match for "${q.toUpperCase()}".\r\n>>> Last update of whois database: 2026-12-06T00:00:00Z <<<\r\n`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    registered,
    queries,
    hangNext: (n) => (hang = n),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
