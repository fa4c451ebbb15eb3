import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRdap {
  /** Base URL with the trailing slash, as the IANA bootstrap file lists them: http://127.0.0.1:PORT/rdap/ */
  baseUrl: string;
  /** Names the fake registry holds (lower case ASCII). */
  registered: Set<string>;
  /** Names asked for, in order. */
  queries: string[];
  /** Accept headers of the requests, in order. */
  accepts: string[];
  /** The next n requests get no answer (the connection is held open), as an overloaded server does. */
  hangNext(n: number): void;
  /** The next n requests are answered with this HTTP status (500, 503, 429…) and an RDAP error body. */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

const RDAP_TYPE = 'application/rdap+json';

/**
 * An RDAP server on loopback answering domain queries the way Verisign's does (RFC 7480–7483): GET /rdap/domain/NAME,
 * 200 with a domain object (status, events, registrar entity with a jCard) for a registered name, 404 with an error
 * object for a free one, 400 for a malformed query.
 */
export async function startFakeRdap(): Promise<FakeRdap> {
  const registered = new Set<string>();
  const queries: string[] = [];
  const accepts: string[] = [];
  let hang = 0;
  let failing = 0;
  let failStatus = 500;
  const server = http.createServer((req, res) => {
    const send = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': RDAP_TYPE, 'access-control-allow-origin': '*' });
      res.end(JSON.stringify(body));
    };
    const m = /^\/rdap\/domain\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) return send(400, { errorCode: 400, title: 'Bad Request' });
    const name = decodeURIComponent(m[1]).toLowerCase();
    queries.push(name);
    accepts.push(String(req.headers.accept ?? ''));
    if (hang > 0) {
      hang--;
      return;
    }
    if (failing > 0) {
      failing--;
      return send(failStatus, { errorCode: failStatus, title: failStatus === 429 ? 'Too Many Requests' : 'Internal Server Error' });
    }
    if (!registered.has(name)) return send(404, { rdapConformance: ['rdap_level_0'], errorCode: 404, title: 'Not Found' });
    send(200, {
      objectClassName: 'domain',
      rdapConformance: ['rdap_level_0', 'icann_rdap_technical_implementation_guide_0', 'icann_rdap_response_profile_0'],
      handle: `${name.replace(/\W/g, '').toUpperCase()}_DOMAIN_COM-VRSN`,
      ldhName: name.toUpperCase(),
      status: ['client transfer prohibited'],
      events: [
        { eventAction: 'registration', eventDate: '2019-04-01T00:00:00Z' },
        { eventAction: 'expiration', eventDate: '2027-04-01T00:00:00Z' },
        { eventAction: 'last update of RDAP database', eventDate: '2026-12-06T00:00:00Z' },
      ],
      entities: [
        {
          objectClassName: 'entity',
          handle: '9999',
          roles: ['registrar'],
          publicIds: [{ type: 'IANA Registrar ID', identifier: '9999' }],
          vcardArray: ['vcard', [['version', {}, 'text', '4.0'], ['fn', {}, 'text', 'Example Registrar, Inc.']]],
        },
      ],
      nameservers: [{ objectClassName: 'nameserver', ldhName: 'NS1.EXAMPLE.NET' }],
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rdap/`,
    registered,
    queries,
    accepts,
    hangNext: (n) => (hang = n),
    failNext: (n, status = 500) => {
      failing = n;
      failStatus = status;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
