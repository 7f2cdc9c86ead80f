import { BlockList, isIP } from 'node:net';

// Targets a notification must never reach on its own: loopback, private, shared (CGNAT), link-local
// (cloud metadata at 169.254.169.254), "this network", multicast, reserved, and the IPv6 forms that
// embed an IPv4 address (NAT64, 6to4), which would otherwise smuggle a private IPv4 through.
const V4_DENIED: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
const V6_DENIED: [string, number][] = [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['64:ff9b::', 96],
  ['64:ff9b:1::', 48], ['2002::', 16], ['2001:db8::', 32], ['::', 96],
];
const DENIED = new BlockList();
for (const [a, p] of V4_DENIED) DENIED.addSubnet(a, p, 'ipv4');
for (const [a, p] of V6_DENIED) DENIED.addSubnet(a, p, 'ipv6');

/** Strips URL brackets from an IPv6 literal and lowers the case. */
export function bareHost(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d or ::ffff:7f00:1), if it is one. */
function mappedV4(address: string): string | undefined {
  const m = /^::ffff:(?:0:)?(.+)$/i.exec(address);
  if (!m) return undefined;
  if (isIP(m[1]!) === 4) return m[1];
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(m[1]!);
  if (!hex) return undefined;
  const hi = parseInt(hex[1]!, 16), lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True when `address` (an IP literal) is private, loopback, link-local or otherwise not a public host. */
export function isForbiddenAddress(address: string): boolean {
  const a = bareHost(address);
  const family = isIP(a);
  if (family === 0) return true; // not an address at all: never connect to it
  if (family === 4) return DENIED.check(a, 'ipv4');
  const v4 = mappedV4(a);
  if (v4 !== undefined) return DENIED.check(v4, 'ipv4');
  return DENIED.check(a, 'ipv6');
}

interface AllowEntry {
  host?: string;
  net?: BlockList;
  port?: number;
}

function parseEntry(raw: string): AllowEntry {
  let rest = raw.trim().toLowerCase();
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](\/\d+)?(?::(\d+))?$/.exec(rest);
  if (bracketed) {
    rest = bracketed[1]! + (bracketed[2] ?? '');
    if (bracketed[3]) port = Number(bracketed[3]);
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    const i = rest.lastIndexOf(':');
    port = Number(rest.slice(i + 1));
    rest = rest.slice(0, i);
  }
  const [addr, prefix] = rest.split('/') as [string, string | undefined];
  const family = isIP(addr);
  if (family === 0) return { host: addr, port };
  const net = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  net.addSubnet(addr, prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix), type);
  return { net, port };
}

/** The parsed OUTBOUND_ALLOW list: hosts, IPs and CIDRs, each optionally limited to a port. */
export interface AllowList {
  /** True when the entry list admits connecting to `address` for a URL naming `host` and `port`. */
  admits(host: string, address: string, port: number): boolean;
}

/** Parses OUTBOUND_ALLOW entries (already validated by the config). */
export function parseAllowList(entries: readonly string[]): AllowList {
  const parsed = entries.map(parseEntry);
  return {
    admits(host, address, port) {
      const h = bareHost(host), a = bareHost(address);
      const type = isIP(a) === 6 ? 'ipv6' : 'ipv4';
      return parsed.some(
        (e) => (e.port === undefined || e.port === port) && (e.host !== undefined ? e.host === h : e.net!.check(a, type)),
      );
    },
  };
}
