import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type LookupFunction, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

/**
 * Hostile backends for transport tests: every server listens on 127.0.0.1 on a random port, records what
 * reached it, and is closed (connections too) by `close()`. Nothing here contacts another address.
 */

const TLS_DIR = join(__dirname, '..', 'fixtures', 'tls');
/** A self-signed certificate for `backend.test` and 127.0.0.1 (test only). */
export const TEST_CERT_FILE = join(TLS_DIR, 'backend.test.crt');
export const TEST_TLS = { cert: readFileSync(TEST_CERT_FILE), key: readFileSync(join(TLS_DIR, 'backend.test-key.pem')) };
/** The non-loopback-looking name the tests give 127.0.0.1 (`.test` is reserved: it resolves nowhere). */
export const TEST_HOST = 'backend.test';

export interface Recorded {
  method: string;
  path: string;
  body: string;
}

export interface Running {
  url: string;
  port: number;
  requests: Recorded[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string, index: number) => void;

async function listen(server: Server, scheme: 'http' | 'https', requests: Recorded[]): Promise<Running> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function recording(handler: Handler, requests: Recorded[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      handler(req, res, body, requests.length - 1);
    });
  };
}

/** A plain http server on loopback that records every request and answers with `handler`. */
export function startHostile(handler: Handler): Promise<Running> {
  const requests: Recorded[] = [];
  return listen(createHttpServer(recording(handler, requests)), 'http', requests);
}

/** The same over TLS with the test certificate (untrusted unless a test trusts it). */
export function startHostileTls(handler: Handler): Promise<Running> {
  const requests: Recorded[] = [];
  return listen(createHttpsServer(TEST_TLS, recording(handler, requests)), 'https', requests);
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export const GOOD_TOKEN = { access_token: 'test-token', token_type: 'Bearer', expires_in: 3600 };

/**
 * A body of up to `totalBytes` written only as fast as the client reads it; stops when the client goes.
 * Returns how many bytes were written, so a test can see the client stopped reading.
 */
export function streamHuge(res: ServerResponse, totalBytes: number, status = 201): { written: () => number } {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.write('{"id":"');
  const pump = () => {
    while (written < totalBytes && !res.destroyed) {
      written += chunk.length;
      if (!res.write(chunk)) return res.once('drain', pump);
    }
    if (!res.destroyed) res.end('"}');
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
  return { written: () => written };
}

/** A name lookup that knows only TEST_HOST (as 127.0.0.1) and refuses every other name: no DNS, no other host. */
export const testLookup: LookupFunction = (hostname, options, callback) => {
  const cb = callback as (error: Error | null, address: string | { address: string; family: number }[], family?: number) => void;
  if (hostname !== TEST_HOST) return cb(Object.assign(new Error(`test lookup: ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
  if ((options as { all?: boolean }).all) return cb(null, [{ address: '127.0.0.1', family: 4 }]);
  return cb(null, '127.0.0.1', 4);
};

/** TLS with the test certificate in front of a plain http server on loopback (e.g. the simulator). */
export async function startTlsFront(targetPort: number): Promise<Running> {
  const sockets = new Set<Socket>();
  const server = createTlsServer(TEST_TLS, (tls) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(tls).add(upstream);
    tls.pipe(upstream).pipe(tls);
    const end = () => {
      tls.destroy();
      upstream.destroy();
    };
    tls.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://${TEST_HOST}:${port}`,
    port,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A CONNECT proxy on loopback: records each CONNECT target and tunnels it to 127.0.0.1 on the same port
 * (so `backend.test:PORT` reaches the local server listening on PORT). Anything but CONNECT gets 405.
 */
export async function startConnectProxy(): Promise<Running & { connects: string[] }> {
  const requests: Recorded[] = [];
  const connects: string[] = [];
  const server = createHttpServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', body: '' });
    res.writeHead(405).end();
  });
  const sockets = new Set<Socket>();
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push(target);
    const port = Number(target.split(':').at(-1));
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  const running = await listen(server, 'http', requests);
  return {
    ...running,
    connects,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await running.close();
    },
  };
}
