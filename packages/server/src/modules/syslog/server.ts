import { readFileSync } from 'node:fs';
import { createServer, isIPv6, BlockList, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { Counter, type Registry } from 'prom-client';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../lib/errors.js';
import type { IngestService } from '../ingest/index.js';
import { SyslogBatcher } from './batcher.js';
import { SyslogFramer } from './framing.js';
import { parseSyslog } from './parse.js';

/** What the receiver reads from the configuration (SYSLOG_* and MAX_MESSAGE_BYTES). */
export interface SyslogConfig {
  SYSLOG_PORT: number;
  SYSLOG_HOST: string;
  SYSLOG_ALLOW: string[];
  SYSLOG_SERVICE: string;
  MAX_MESSAGE_BYTES: number;
  /** PEM files: with both, the TCP port speaks TLS (RFC 5425) and UDP is off. */
  SYSLOG_TLS_CERT?: string | undefined;
  SYSLOG_TLS_KEY?: string | undefined;
}

export interface SyslogDeps {
  ingest: IngestService;
  config: SyslogConfig;
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;
  /** Where the dropped-lines counter is registered (the app's /metrics registry). */
  registry?: Registry;
}

export interface SyslogReceiver {
  /** The TCP and UDP port (the same number; useful when SYSLOG_PORT was 0 in tests). */
  port: number;
  /** Stops accepting, sends every held line (waiting up to `timeoutMs` on the database), closes. */
  close(timeoutMs?: number): Promise<void>;
}

const BATCH_LINES = 500;
const BATCH_WAIT_MS = 200;
// Lines one TCP connection may hold before its socket is paused: the sender then waits on TCP itself.
const TCP_BACKLOG = 2 * BATCH_LINES;
// UDP cannot be paused: past this many held lines, new datagrams are dropped and counted.
const UDP_BACKLOG = 20 * BATCH_LINES;
const UDP_RECV_BUFFER = 8 * 1024 * 1024;

/** An allow list from CIDRs ("10.0.0.0/8", "::1/128", or single addresses); undefined admits everyone. */
export function allowList(cidrs: string[]): ((address: string) => boolean) | undefined {
  if (cidrs.length === 0) return undefined;
  const list = new BlockList();
  for (const c of cidrs) {
    const [addr, bits] = c.split('/');
    const type = isIPv6(addr!) ? 'ipv6' : 'ipv4';
    list.addSubnet(addr!, bits === undefined ? (type === 'ipv6' ? 128 : 32) : Number(bits), type);
  }
  return (address) => {
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const a = v4 ?? address;
    return list.check(a, isIPv6(a) ? 'ipv6' : 'ipv4');
  };
}

/** Starts the syslog receiver: TCP (octet counting or LF, RFC 6587) and UDP on SYSLOG_HOST:SYSLOG_PORT. */
interface Context {
  deps: SyslogDeps;
  transport: 'tcp' | 'tls';
  allowed: ((address: string) => boolean) | undefined;
  maxFrame: number;
  toEntry: (frame: Buffer, peer: string | undefined) => unknown;
  dropped: Counter<'transport' | 'reason'>;
  onDropped: (transport: string) => (lines: number, err: unknown) => void;
  connections: Map<Socket, SyslogBatcher>;
}

/** One TCP (or TLS) sender: frames to a batcher of its own; the socket pauses while the batcher is full. */
function acceptConnection(ctx: Context, socket: Socket): void {
  const peer = socket.remoteAddress;
  const { transport, dropped } = ctx;
  if (ctx.allowed && !(peer && ctx.allowed(peer))) {
    dropped.inc({ transport, reason: 'not_allowed' });
    socket.destroy();
    return;
  }
  const batcher = new SyslogBatcher({
    ingest: ctx.deps.ingest, maxLines: BATCH_LINES, maxWaitMs: BATCH_WAIT_MS, backlogLines: TCP_BACKLOG,
    onBacklog: (full) => (full ? socket.pause() : socket.resume()),
    onDropped: ctx.onDropped(transport),
  });
  ctx.connections.set(socket, batcher);
  const framer = new SyslogFramer(ctx.maxFrame, (f) => batcher.add(ctx.toEntry(f, peer)), (reason) => dropped.inc({ transport, reason }));
  socket.on('data', (chunk: Buffer) => {
    if (!framer.push(chunk)) socket.destroy();
  });
  socket.on('error', (err) => ctx.deps.log.debug({ err, peer }, 'syslog connection error'));
  socket.on('close', () => {
    framer.end();
    void batcher.flush().finally(() => ctx.connections.delete(socket));
  });
}

/** TLS options when SYSLOG_TLS_CERT and SYSLOG_TLS_KEY are set (RFC 5425), else undefined. */
function tlsOptions(config: SyslogConfig): TlsOptions | undefined {
  if (!config.SYSLOG_TLS_CERT || !config.SYSLOG_TLS_KEY) return undefined;
  return { cert: readFileSync(config.SYSLOG_TLS_CERT), key: readFileSync(config.SYSLOG_TLS_KEY), minVersion: 'TLSv1.2' };
}

/** Starts the syslog receiver: TCP (octet counting or LF, RFC 6587) or TLS, and UDP (not with TLS) on SYSLOG_HOST:SYSLOG_PORT. */
export async function startSyslog(deps: SyslogDeps): Promise<SyslogReceiver> {
  const { config, log } = deps;
  const dropped = new Counter({
    name: 'logsage_syslog_dropped_total',
    help: 'Syslog lines not stored: UDP past the backlog while the database was away, refused senders, unframeable or oversized input',
    labelNames: ['transport', 'reason'],
    registers: deps.registry ? [deps.registry] : [],
  });
  const tls = tlsOptions(config);
  const ctx: Context = {
    deps, dropped, transport: tls ? 'tls' : 'tcp', allowed: allowList(config.SYSLOG_ALLOW), connections: new Map(),
    maxFrame: config.MAX_MESSAGE_BYTES + 4096, // room for the header before MSG
    toEntry: (frame, peer) => parseSyslog(frame.toString('utf8'), { fallbackService: config.SYSLOG_SERVICE, now: Date.now(), peer }),
    onDropped: (transport) => (lines, err) => {
      if (err instanceof AppError && err.code === 'invalid_logs') return; // each refusal is already counted by ingest
      dropped.inc({ transport, reason: 'store_failed' }, lines);
      log.error({ err, lines, transport }, 'syslog lines could not be stored and were dropped');
    },
  };
  const tcp: Server = tls ? createTlsServer(tls, (s) => acceptConnection(ctx, s)) : createServer((s) => acceptConnection(ctx, s));
  tcp.on('tlsClientError', (err: Error) => log.debug({ err }, 'syslog TLS handshake failed'));
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen({ port: config.SYSLOG_PORT, host: config.SYSLOG_HOST }, () => resolve());
  });
  const port = (tcp.address() as { port: number }).port;
  // Plain UDP beside a TLS port would let anyone bypass the TLS the operator asked for.
  const udp = tls ? undefined : await startUdp(deps, port, ctx).catch(async (err: unknown) => {
    await new Promise((r) => tcp.close(r));
    throw err;
  });
  log.info({ host: config.SYSLOG_HOST, port, tls: Boolean(tls), allow: config.SYSLOG_ALLOW }, tls ? 'syslog receiver listening (TLS)' : 'syslog receiver listening (TCP and UDP)');
  return { port, close: (timeoutMs = 10_000) => closeAll(tcp, udp, ctx.connections, timeoutMs) };
}

async function startUdp(deps: SyslogDeps, port: number, ctx: Context): Promise<{ socket: UdpSocket; batcher: SyslogBatcher }> {
  const { allowed, dropped, toEntry } = ctx;
  const onDropped = ctx.onDropped('udp');
  let full = false;
  const batcher = new SyslogBatcher({
    ingest: deps.ingest, maxLines: BATCH_LINES, maxWaitMs: BATCH_WAIT_MS, backlogLines: UDP_BACKLOG,
    onBacklog: (f) => (full = f),
    onDropped,
  });
  // A bigger receive buffer rides out bursts while the event loop is busy (the kernel caps it at net.core.rmem_max).
  const socket = createSocket({ type: isIPv6(deps.config.SYSLOG_HOST) ? 'udp6' : 'udp4', recvBufferSize: UDP_RECV_BUFFER });
  socket.on('message', (msg, rinfo) => {
    if (allowed && !allowed(rinfo.address)) return void dropped.inc({ transport: 'udp', reason: 'not_allowed' });
    // The database is away and the backlog is full: UDP has no way to slow the sender down.
    if (full) return void dropped.inc({ transport: 'udp', reason: 'backlog' });
    if (msg.length === 0) return;
    batcher.add(toEntry(msg, rinfo.address));
  });
  socket.on('error', (err) => deps.log.warn({ err }, 'syslog UDP socket error'));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port, address: deps.config.SYSLOG_HOST }, () => resolve());
  });
  return { socket, batcher };
}

async function closeAll(tcp: Server, udp: { socket: UdpSocket; batcher: SyslogBatcher } | undefined, connections: Map<Socket, SyslogBatcher>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const closed = new Promise((r) => tcp.close(r));
  udp?.socket.close();
  // Stop reading, then send what each connection already holds.
  for (const socket of connections.keys()) socket.pause();
  await Promise.all([udp?.batcher.flush(deadline), ...[...connections.values()].map((b) => b.flush(deadline))]);
  for (const socket of connections.keys()) socket.destroy();
  await closed;
}
