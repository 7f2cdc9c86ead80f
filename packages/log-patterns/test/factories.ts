// Small builders for synthetic log lines: each test states only the parts it cares about.

export type HeaderStyle = 'iso' | 'syslog' | 'apache' | 'pipe' | 'spring' | 'none';

export interface LineParts {
  header?: HeaderStyle;
  level?: string;
  thread?: string;
  component?: string;
  pid?: number;
  second?: number;
  message: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A raw log line with the requested header style in front of `message`. */
export function buildLine(parts: LineParts): string {
  const s = parts.second ?? 7;
  const level = parts.level ?? 'INFO';
  const pid = parts.pid ?? 4242;
  const component = parts.component ?? 'com.example.billing.InvoiceService';
  const time = `10:${pad(s % 60)}:${pad((s * 7) % 60)}`;
  switch (parts.header ?? 'iso') {
    case 'iso':
      return `2024-03-0${1 + (s % 9)} ${time},${100 + s} ${level} [${parts.thread ?? 'main'}] ${component}: ${parts.message}`;
    case 'syslog':
      return `Mar ${1 + (s % 28)} ${time} web-${s % 5} sshd[${pid}]: ${parts.message}`;
    case 'apache':
      return `[Sun Mar 03 ${time} 2024] [${level.toLowerCase()}] ${parts.message}`;
    case 'pipe':
      return `20240303-${time}:${s}|${component}|${pid}|${parts.message}`;
    case 'spring':
      return `2024-03-03T${time}.${100 + s}Z ${level} ${pid} --- [${parts.thread ?? 'main'}] ${component} : ${parts.message}`;
    case 'none':
      return parts.message;
  }
}

/** Message shapes with their variable parts as arguments. */
export const messages = {
  login: (user: string, ip: string): string => `Accepted password for ${user} from ${ip} port 22 ssh2`,
  block: (id: number, size: number): string => `Received block blk_${id} of size ${size} from /10.0.0.${id % 250}`,
  query: (table: string, ms: number): string => `Query on table ${table} finished in ${ms}ms`,
  cache: (key: string): string => `Cache miss for key ${key}`,
  shutdown: (): string => 'Shutting down the scheduler',
};

/** Deterministic pseudo-random integers for building varied fixtures without Math.random. */
export function counter(seed = 1): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x;
  };
}
