// A loopback-only gRPC lab: backends on 127.0.0.x, a kube-proxy-like TCP proxy, and a tiny DNS server.
//
// Used by grpc-balancing.test.ts to measure, with the real @grpc/grpc-js, the claims our gRPC rules make:
// long-lived HTTP/2 connections pin a client to one pod behind a ClusterIP, round_robin over a headless
// Service spreads calls, and a DNS-resolved client never sees new pods until connections are aged out.
//
// Nothing here listens on or dials anything but 127.0.0.0/8 (Linux routes the whole /8 to `lo` without setup).
import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';
import type * as GrpcJs from '@grpc/grpc-js';

// grpc-js's DNS resolver normally calls dns.lookup() (getaddrinfo, i.e. /etc/hosts + the system resolver), which
// we cannot point at a test server. With GRPC_NODE_USE_ALTERNATIVE_RESOLVER=true the very same DnsResolver class
// (same re-resolution policy, same rate limit) instead asks c-ares, and honours a `dns://HOST:PORT/name` authority,
// so it can query our loopback DNS server. The variable is read once, when grpc-js is first loaded, hence the
// dynamic import after setting it. (This test file runs in its own process under `node --test`.)
// Only the lookup function differs from production; when and why grpc-js re-resolves is exactly what ships.
process.env.GRPC_NODE_USE_ALTERNATIVE_RESOLVER = 'true';
export const grpc: typeof GrpcJs = await import('@grpc/grpc-js');

// ---------------------------------------------------------------------------------------------------------------
// The service: one unary method, raw bytes both ways, so no .proto and no proto-loader are needed.

const identity = (b: Buffer): Buffer => b;
export const LAB_SERVICE = {
  who: {
    path: '/kubeconn.lab.Lab/Who',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
} satisfies GrpcJs.ServiceDefinition;

const LabClientCtor = grpc.makeGenericClientConstructor(LAB_SERVICE, 'Lab');

type UnaryFn = (
  req: Buffer,
  meta: GrpcJs.Metadata,
  opts: GrpcJs.CallOptions,
  cb: (err: GrpcJs.ServiceError | null, res?: Buffer) => void,
) => GrpcJs.ClientUnaryCall;

export interface LabClient {
  readonly target: string;
  /** One unary Who call; resolves to the identity of the backend that answered. */
  who(deadlineMs?: number): Promise<string>;
  /** One call that never rejects: the backend identity, or `!CODE_NAME` (e.g. `!UNAVAILABLE`) if the call failed. */
  tryWho(deadlineMs?: number): Promise<string>;
  /** `n` sequential calls; returns how many each backend answered (failed calls counted under `!CODE_NAME`). */
  tally(n: number, deadlineMs?: number): Promise<Record<string, number>>;
  close(): void;
}

export function labClient(target: string, options: GrpcJs.ChannelOptions = {}): LabClient {
  const client = new LabClientCtor(target, grpc.credentials.createInsecure(), options);
  const call = (client as unknown as { who: UnaryFn }).who.bind(client);
  const who = (deadlineMs = 2000): Promise<string> =>
    new Promise((resolve, reject) => {
      call(Buffer.alloc(0), new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (err, res) => {
        if (err) reject(err);
        else resolve((res ?? Buffer.alloc(0)).toString('utf8'));
      });
    });
  const tryWho = (deadlineMs?: number): Promise<string> =>
    who(deadlineMs).catch((err: unknown) => `!${grpc.status[(err as Partial<GrpcJs.ServiceError>).code ?? grpc.status.UNKNOWN]}`);
  return {
    target,
    who,
    tryWho,
    async tally(n, deadlineMs) {
      const counts: Record<string, number> = {};
      for (let i = 0; i < n; i++) {
        const id = await tryWho(deadlineMs);
        counts[id] = (counts[id] ?? 0) + 1;
      }
      return counts;
    },
    close: () => client.close(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Backends ("pods").

export interface Backend {
  readonly host: string;
  readonly port: number;
  /** host:port, which is also what Who answers. */
  readonly id: string;
  /** Calls this server answered (server-side count). */
  served: number;
  /** Distinct client peers (ip:port, i.e. TCP connections) that made calls to this server. */
  readonly peers: Set<string>;
  close(): Promise<void>;
}

export async function startBackend(host: string, port: number, options: GrpcJs.ServerOptions = {}): Promise<Backend> {
  const server = new grpc.Server(options);
  const id = `${host}:${port}`;
  const backend: Backend = {
    host,
    port,
    id,
    served: 0,
    peers: new Set(),
    close: () =>
      new Promise<void>((resolve) => {
        // forceShutdown: don't wait for clients to go away, tests must end on time.
        server.forceShutdown();
        resolve();
      }),
  };
  server.addService(LAB_SERVICE, {
    who: (call: GrpcJs.ServerUnaryCall<Buffer, Buffer>, cb: GrpcJs.sendUnaryData<Buffer>) => {
      backend.served++;
      backend.peers.add(call.getPeer());
      cb(null, Buffer.from(id, 'utf8'));
    },
  });
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(id, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  if (bound !== port) {
    server.forceShutdown();
    throw new Error(`bound ${host}:${bound}, wanted ${port}`);
  }
  return backend;
}

/** A free TCP port on `host` (bind :0, read it, release it). */
async function freePort(host: string): Promise<number> {
  const s = net.createServer();
  s.listen(0, host);
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  s.close();
  await once(s, 'close');
  return port;
}

/**
 * Backends on each of `hosts`, all on the SAME port (a headless Service's A records carry only IPs, the port is
 * shared, exactly like pods behind one Service). Retries with another port if one is taken on some address.
 */
export async function startFleet(hosts: readonly string[], options: GrpcJs.ServerOptions = {}): Promise<Backend[]> {
  let lastErr: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort(hosts[0]!);
    const started: Backend[] = [];
    try {
      for (const h of hosts) started.push(await startBackend(h, port, options));
      return started;
    } catch (err) {
      lastErr = err;
      await Promise.all(started.map((b) => b.close()));
    }
  }
  throw new Error(`could not start a fleet on ${hosts.join(',')}: ${String(lastErr)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// kube-proxy stand-in: a ClusterIP is an L4 load balancer that picks a backend once PER TCP CONNECTION
// (iptables/IPVS random choice at connect time) and then just forwards bytes.

export interface Proxy {
  readonly host: string;
  readonly port: number;
  /** TCP connections the proxy forwarded, per backend id. */
  readonly connections: Record<string, number>;
  close(): Promise<void>;
}

export async function startProxy(backends: readonly Backend[], host = '127.0.0.1'): Promise<Proxy> {
  const connections: Record<string, number> = {};
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = net.createServer((downstream) => {
    const b = backends[Math.floor(Math.random() * backends.length)]!;
    connections[b.id] = (connections[b.id] ?? 0) + 1;
    const upstream = net.connect(b.port, b.host);
    // iptables/IPVS forward packets in the kernel and add no latency; a userspace relay with Nagle on both legs would
    // add ~40 ms (Nagle x delayed ACK) to every small gRPC frame.
    downstream.setNoDelay(true);
    upstream.setNoDelay(true);
    track(downstream);
    track(upstream);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    const kill = () => {
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('error', kill).on('close', kill);
    upstream.on('error', kill).on('close', kill);
  });
  server.listen(0, host);
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  return {
    host,
    port,
    connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A minimal authoritative DNS server over UDP, standing in for CoreDNS answering a headless Service name with one
// A record per ready pod. TTL 0 so no resolver-side cache can hide a change. AAAA/TXT get NOERROR with no
// answers (NODATA); unknown names get NXDOMAIN.

export interface DnsServer {
  readonly host: string;
  readonly port: number;
  /** name (lower-case) -> IPv4 addresses returned as A records; mutate to "scale". */
  readonly records: Map<string, string[]>;
  /** Queries received, by `name/TYPE` (e.g. `lab.test/A`), in arrival order with a timestamp. */
  readonly queries: { at: number; name: string; type: string }[];
  countA(name: string): number;
  close(): Promise<void>;
}

const QTYPES: Record<number, string> = { 1: 'A', 16: 'TXT', 28: 'AAAA' };

export async function startDns(host = '127.0.0.1'): Promise<DnsServer> {
  const records = new Map<string, string[]>();
  const queries: { at: number; name: string; type: string }[] = [];
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    // Question: labels, then QTYPE, QCLASS.
    let off = 12;
    const labels: string[] = [];
    while (off < msg.length && msg[off] !== 0) {
      const len = msg[off]!;
      labels.push(msg.subarray(off + 1, off + 1 + len).toString('ascii'));
      off += 1 + len;
    }
    off += 1;
    if (off + 4 > msg.length) return;
    const qtype = msg.readUInt16BE(off);
    const qEnd = off + 4;
    const name = labels.join('.').toLowerCase();
    queries.push({ at: Date.now(), name, type: QTYPES[qtype] ?? String(qtype) });

    const ips = records.get(name);
    const answers = ips && qtype === 1 ? ips : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0); // ID
    const rd = msg.readUInt16BE(2) & 0x0100;
    const rcode = ips ? 0 : 3; // NOERROR / NXDOMAIN
    header.writeUInt16BE(0x8000 | 0x0400 | rd | 0x0080 | rcode, 2); // QR AA RD RA RCODE
    header.writeUInt16BE(1, 4); // QDCOUNT
    header.writeUInt16BE(answers.length, 6); // ANCOUNT
    const rrs = answers.map((ip) => {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); // pointer to the question name
      rr.writeUInt16BE(1, 2); // TYPE A
      rr.writeUInt16BE(1, 4); // CLASS IN
      rr.writeUInt32BE(0, 6); // TTL 0
      rr.writeUInt16BE(4, 10); // RDLENGTH
      ip.split('.').forEach((o, i) => rr.writeUInt8(Number(o), 12 + i));
      return rr;
    });
    sock.send(Buffer.concat([header, msg.subarray(12, qEnd), ...rrs]), rinfo.port, rinfo.address);
  });
  sock.bind(0, host);
  await once(sock, 'listening');
  const port = sock.address().port;
  return {
    host,
    port,
    records,
    queries,
    countA: (name) => queries.filter((q) => q.name === name.toLowerCase() && q.type === 'A').length,
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------------------------

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Failed calls in a tally (keys starting with `!`). */
export function failures(counts: Record<string, number>): number {
  return Object.entries(counts).reduce((a, [k, v]) => a + (k.startsWith('!') ? v : 0), 0);
}

/** Share of the SUCCESSFUL calls per backend in [0,1], with every key of `ids` present (0 when absent). */
export function shares(counts: Record<string, number>, ids: readonly string[]): Record<string, number> {
  const total = Object.entries(counts).reduce((a, [k, v]) => a + (k.startsWith('!') ? 0 : v), 0);
  return Object.fromEntries(ids.map((id) => [id, total ? (counts[id] ?? 0) / total : 0]));
}
