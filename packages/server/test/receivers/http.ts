import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (the request hangs until the client gives up or dies). */
  stall?: boolean;
}

export type Handler = (r: Received) => Answer | Promise<Answer>;

export interface HttpReceiver {
  url: string;
  port: number;
  requests: Received[];
  handler: Handler;
  close(): Promise<void>;
}

/** A local HTTP server that records every request and answers with `handler` (default 200 `{"errcode":0,"code":0}`). */
export async function startHttpReceiver(handler: Handler = () => ({})): Promise<HttpReceiver> {
  const stalled: ServerResponse[] = [];
  const rec: HttpReceiver = {
    url: '', port: 0, requests: [], handler,
    close: () => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const r: Received = { path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      rec.requests.push(r);
      void Promise.resolve(rec.handler(r)).then((a) => {
        if (a.stall) return void stalled.push(res);
        res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
        res.end(a.body ?? '{"errcode":0,"code":0,"errmsg":"ok"}');
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  rec.port = (server.address() as AddressInfo).port;
  rec.url = `http://127.0.0.1:${rec.port}`;
  return rec;
}
