// A loopback TCP relay that parses the HTTP/2 frames going through it (cleartext h2c only) and records PING, PING
// ACK and GOAWAY frames with their direction and time. It changes nothing: bytes are forwarded as they arrive.
// Used to observe gRPC keepalive pings and a server's GOAWAY independently of either side's own logging.
import net from 'node:net';
import { once } from 'node:events';
import { assertLoopback } from './lib.js';

export interface H2Event {
  at: number;
  /** c2s: client → server; s2c: server → client. */
  dir: 'c2s' | 's2c';
  /** Connection number through the relay (1-based), so reconnects are visible. */
  conn: number;
  type: 'PING' | 'PING_ACK' | 'GOAWAY';
  /** GOAWAY only: error code (11 = ENHANCE_YOUR_CALM) and its debug data. */
  errorCode?: number;
  debug?: string;
}

export interface H2Sniffer {
  readonly port: number;
  readonly events: H2Event[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

function frameParser(dir: 'c2s' | 's2c', conn: number, events: H2Event[]) {
  let buf = Buffer.alloc(0);
  let prefaceLeft = dir === 'c2s' ? PREFACE.length : 0;
  return (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    if (prefaceLeft > 0) {
      const n = Math.min(prefaceLeft, buf.length);
      buf = buf.subarray(n);
      prefaceLeft -= n;
    }
    while (buf.length >= 9) {
      const len = buf.readUIntBE(0, 3);
      if (buf.length < 9 + len) break;
      const type = buf[3]!;
      const flags = buf[4]!;
      const payload = buf.subarray(9, 9 + len);
      if (type === 0x6) events.push({ at: Date.now(), dir, conn, type: flags & 0x1 ? 'PING_ACK' : 'PING' });
      if (type === 0x7 && payload.length >= 8) {
        events.push({
          at: Date.now(),
          dir,
          conn,
          type: 'GOAWAY',
          errorCode: payload.readUInt32BE(4),
          debug: payload.subarray(8).toString('latin1'),
        });
      }
      buf = buf.subarray(9 + len);
    }
  };
}

export async function startH2Sniffer(upstreamHost: string, upstreamPort: number, host = '127.0.0.1'): Promise<H2Sniffer> {
  assertLoopback(upstreamHost);
  assertLoopback(host);
  const events: H2Event[] = [];
  const sockets = new Set<net.Socket>();
  let conns = 0;
  const server = net.createServer((down) => {
    const conn = ++conns;
    const up = net.connect(upstreamPort, upstreamHost);
    down.setNoDelay(true);
    up.setNoDelay(true);
    for (const s of [down, up]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    const c2s = frameParser('c2s', conn, events);
    const s2c = frameParser('s2c', conn, events);
    down.on('data', (b: Buffer) => {
      c2s(b);
      up.write(b);
    });
    up.on('data', (b: Buffer) => {
      s2c(b);
      down.write(b);
    });
    const kill = () => {
      down.destroy();
      up.destroy();
    };
    down.on('error', kill).on('close', () => up.end());
    up.on('error', kill).on('close', () => down.end());
  });
  server.listen(0, host);
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    events,
    connections: () => conns,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
