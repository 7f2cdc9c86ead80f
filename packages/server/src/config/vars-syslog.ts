import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { BadValue, int, str, type VarSpec } from './spec.js';

/** A comma-separated list of CIDRs or single addresses, checked one by one. */
const cidrList = (raw: string): string[] => {
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const item of items) {
    const [addr, bits, extra] = item.split('/');
    const family = isIP(addr ?? '');
    const max = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))) {
      throw new BadValue(`"${item}" is not an IP address or CIDR (e.g. 10.0.0.0/8, 2001:db8::/32)`);
    }
  }
  return items;
};

const ipAddress = (raw: string): string => {
  if (isIP(raw.trim()) === 0) throw new BadValue(`must be an IP address to bind (e.g. 127.0.0.1, 0.0.0.0, ::), got "${raw}"`);
  return raw.trim();
};

/** A PEM file that can be read now (a missing certificate must stop the start, not the first connection). */
const pemFile = (raw: string): string => {
  let text: string;
  try {
    text = readFileSync(raw.trim(), 'utf8');
  } catch (err) {
    throw new BadValue(`cannot read ${raw.trim()}: ${(err as Error).message}`);
  }
  if (!text.includes('-----BEGIN ')) throw new BadValue(`${raw.trim()} is not a PEM file`);
  return raw.trim();
};

/** The syslog receiver (api role): off unless SYSLOG_PORT is set. */
export const SYSLOG_VARS = {
  SYSLOG_PORT: { doc: 'Port of the syslog receiver, TCP (octet counting or LF framing) and UDP (unset: no syslog receiver). Syslog has no credentials: firewall this port', parse: int(1, 65535) },
  SYSLOG_HOST: { doc: 'Address the syslog receiver binds (0.0.0.0 or :: to accept other machines; keep them behind a firewall or SYSLOG_ALLOW)', default: '127.0.0.1', parse: ipAddress },
  SYSLOG_ALLOW: { doc: 'Comma-separated CIDRs allowed to send syslog, e.g. 10.0.0.0/8,192.168.1.5 (unset: any sender that can reach the port)', default: [] as string[], parse: cidrList },
  SYSLOG_TLS_CERT: { doc: 'PEM certificate (chain) file: the syslog TCP port speaks TLS (RFC 5425) and UDP is not served; needs SYSLOG_TLS_KEY', parse: pemFile },
  SYSLOG_TLS_KEY: { doc: 'PEM private key file of SYSLOG_TLS_CERT', parse: pemFile, secret: true },
  SYSLOG_SERVICE: { doc: 'Service of syslog messages that name neither an app nor a host', default: 'syslog', parse: str },
} satisfies Record<string, VarSpec<unknown>>;
