// How a stored channel reads in the list: its destination as the server masked it.
import type { Channel } from '../../api/channels';

/** The destination, masked by the server: the robot or webhook URL's scheme and host, or the SMTP server and recipients. */
export function destinationText(c: Channel): string {
  const k = c.config;
  if (c.type === 'email') {
    const to = Array.isArray(k.to) ? (k.to as unknown[]).filter((x) => typeof x === 'string').join(', ') : '';
    const host = typeof k.host === 'string' ? k.host : '';
    const port = typeof k.port === 'number' ? k.port : '';
    return `${host}:${port} → ${to}`;
  }
  return typeof k.url === 'string' ? k.url : '—';
}
