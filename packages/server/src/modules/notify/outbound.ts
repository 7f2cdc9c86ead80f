import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { bareHost, isForbiddenAddress, parseAllowList } from './netguard.js';

/** Why a send did not get an HTTP answer we accept; the message never contains the remote body. */
export type OutboundFailure = 'invalid_url' | 'refused_address' | 'redirect' | 'timeout' | 'network';

/** The one error the outbound client throws; `kind` is safe to show to users. */
export class OutboundError extends Error {
  constructor(readonly kind: OutboundFailure, message: string) {
    super(message);
    this.name = 'OutboundError';
  }
}

export interface OutboundResponse {
  status: number;
  /** Milliseconds the server asked us to wait (Retry-After), when it said. */
  retryAfterMs?: number;
  /** The start of the answer, for the channel to read its provider error code. Never shown to users. */
  body: string;
}

/** The SSRF-safe client every user-configured target goes through. */
export interface OutboundClient {
  /** POSTs `body` to `url`; refuses private targets at connect time, follows no redirect, caps the answer read. */
  post(url: string, body: string, headers: Record<string, string>): Promise<OutboundResponse>;
  /** Resolves `host` to one admitted address (for protocols other than HTTP, such as SMTP). */
  resolve(host: string, port: number): Promise<string>;
}

export interface OutboundOptions {
  allow: readonly string[];
  timeoutMs: number;
  /** Bytes of an answer read at most; the rest is discarded. */
  maxBodyBytes?: number;
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Creates the outbound client; the allow-list admits private targets named in OUTBOUND_ALLOW. */
export function createOutboundClient(opts: OutboundOptions): OutboundClient {
  const allow = parseAllowList(opts.allow);
  const cap = opts.maxBodyBytes ?? 8192;
  const admitted = (host: string, address: string, port: number): boolean =>
    !isForbiddenAddress(address) || allow.admits(host, address, port);

  // Called by the socket at connect time, so the address checked is the address connected to:
  // a name that resolves to a public address for a check and a private one for the connection
  // (DNS rebinding) cannot slip through.
  const guardedLookup = (port: number): LookupFunction => (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const ok = addresses.filter((a) => admitted(hostname, a.address, port));
      if (ok.length === 0) return callback(new OutboundError('refused_address', 'the target address is private or reserved'), '', 0);
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, ok);
      else callback(null, ok[0]!.address, ok[0]!.family);
    });
  };

  async function resolve(host: string, port: number): Promise<string> {
    const h = bareHost(host);
    if (isIP(h) !== 0) {
      if (!admitted(h, h, port)) throw new OutboundError('refused_address', 'the target address is private or reserved');
      return h;
    }
    return new Promise((ok, fail) => {
      guardedLookup(port)(h, { all: false }, (err, address) => (err ? fail(asOutbound(err)) : ok(address as string)));
    });
  }

  function post(url: string, body: string, headers: Record<string, string>): Promise<OutboundResponse> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return Promise.reject(new OutboundError('invalid_url', 'the URL is not valid'));
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      return Promise.reject(new OutboundError('invalid_url', 'only http and https URLs are allowed'));
    }
    if (u.username || u.password) return Promise.reject(new OutboundError('invalid_url', 'credentials in URLs are not allowed'));
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    const host = bareHost(u.hostname);
    // IP literals skip the lookup hook (the WHATWG parser already turned 2130706433, 0x7f000001 and
    // 017700000001 into 127.0.0.1), so they are checked here.
    if (isIP(host) !== 0 && !admitted(host, host, port)) {
      return Promise.reject(new OutboundError('refused_address', 'the target address is private or reserved'));
    }
    return send({ u, host, port, body, headers, lookup: guardedLookup(port), timeoutMs: opts.timeoutMs, cap });
  }

  return { post, resolve };
}

interface SendArgs {
  u: URL;
  host: string;
  port: number;
  body: string;
  headers: Record<string, string>;
  lookup: LookupFunction;
  timeoutMs: number;
  cap: number;
}

function send({ u, host, port, body, headers, lookup, timeoutMs, cap }: SendArgs): Promise<OutboundResponse> {
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolveRes, reject) => {
    const req = mod.request(
      {
        method: 'POST', hostname: host, port, path: u.pathname + u.search, lookup, agent: false,
        headers: { 'content-type': 'application/json', ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.destroy();
          return reject(new OutboundError('redirect', `the target answered ${status} (redirects are not followed)`));
        }
        readCapped(res, cap).then((text) => {
          clearTimeout(timer);
          const retryAfter = parseRetryAfter(res.headers['retry-after']);
          resolveRes({ status, body: text, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) });
        }, (err: unknown) => reject(asOutbound(err)));
      },
    );
    const timer = setTimeout(() => req.destroy(new OutboundError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(asOutbound(err));
    });
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}

function readCapped(res: http.IncomingMessage, cap: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      if (size < cap) chunks.push(c.subarray(0, cap - size));
      size += c.length;
      if (size >= cap) res.destroy(); // the rest of a large answer is never read
    });
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    res.on('end', done);
    res.on('close', done);
    res.on('error', (err) => (size >= cap ? done() : reject(err)));
  });
}

/** Maps any network error to an OutboundError whose message is ours (never the remote's). */
export function asOutbound(err: unknown): OutboundError {
  if (err instanceof OutboundError) return err;
  const code = (err as { code?: unknown }).code;
  return new OutboundError('network', `the connection failed${typeof code === 'string' ? ` (${code})` : ''}`);
}
