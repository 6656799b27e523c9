/**
 * The limit for bench:api: a bare Node `http` server that answers each path with a JSON body held
 * in memory (the very bytes Custode answered for it), with no framework, no database, no auth.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const bodies = new Map<string, Buffer>();

const server = createServer((req, res) => {
  const body = bodies.get(req.url ?? '');
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});

process.on('message', (m: { type: string; path?: string; body?: string }) => {
  if (m.type === 'body' && m.path && m.body !== undefined) {
    bodies.set(m.path, Buffer.from(m.body));
    process.send!({ type: 'body-set', path: m.path });
  }
  if (m.type === 'stop') server.close(() => process.exit(0));
});

server.listen(0, '127.0.0.1', () => process.send!({ type: 'ready', port: (server.address() as AddressInfo).port }));
