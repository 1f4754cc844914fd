import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a simulator handler sees it. */
export interface SimulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body, or undefined. */
  body: unknown;
  /** Set when the client closed the connection before the answer was sent (cancellation tests). */
  aborted?: boolean;
  /** The HTTP status the simulator answered with (unset for a dropped connection). */
  status?: number;
}

export interface SimulatorResponse {
  status: number;
  body?: unknown;
  /** Sent as-is instead of JSON (malformed-body tests). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export type SimulatorHandler = (request: SimulatorRequest) => SimulatorResponse | Promise<SimulatorResponse>;

/**
 * The named faults a simulator can play (tests and `DEMO_FAULTS`), each something a provider or the
 * network between does:
 *
 * - `500`, `503`: that status with a small JSON error body.
 * - `429-retry-after`: 429 with `Retry-After: 1` ({@link FAULT_RETRY_AFTER_S}); `429-no-retry-after`: 429 without it.
 * - `hang`: reads the request and never answers (the client's timeout has to end it).
 * - `reset`: sends the status line, headers and half of the real answer, then destroys the socket.
 * - `malformed-json`: 200 with `{"data": [` (cut-off JSON).
 * - `empty-body`: 200 with zero bytes.
 * - `html-502`: 502 with a proxy's text/html error page; `html-200`: 200 with a text/html maintenance page.
 * - `text-plain-json`: the real answer, labelled `content-type: text/plain`.
 * - `slow-body`: the real answer's headers and first bytes at once, the rest trickled over
 *   {@link SLOW_BODY_MS} (longer than any sensible client timeout).
 */
export const FAULT_KINDS = [
  '500',
  '503',
  '429-retry-after',
  '429-no-retry-after',
  'hang',
  'reset',
  'malformed-json',
  'empty-body',
  'html-502',
  'html-200',
  'text-plain-json',
  'slow-body',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** The `Retry-After` (seconds) of the `429-retry-after` fault: short enough for a client to wait. */
export const FAULT_RETRY_AFTER_S = 1;

/** How long the `slow-body` fault takes to send a whole answer (in 60 chunks, one a second). */
export const SLOW_BODY_MS = 60_000;

/** A planned misbehaviour, for tests and demo mode: answers the next `times` matching requests with it. */
export interface Fault {
  /** A named fault (see {@link FAULT_KINDS}); without it, the fields below shape the answer. */
  kind?: FaultKind;
  /**
   * Only requests of this route, as a provider definition writes it: `GET /v1/campaigns/:id/stats`
   * (each `:name` stands for one path segment; the query string is not compared).
   */
  route?: string;
  /** Only requests this accepts (with `route`, both must). */
  match?: (request: SimulatorRequest) => boolean;
  status?: number;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
  /** Drop the connection without answering. */
  hangUp?: boolean;
  /** How many matching requests it answers (default 1; `Infinity` for every one). */
  times?: number;
}

/**
 * Whether requests belong to a route written `METHOD /path/:param` (a definition's `Route` as
 * `${method} ${template}`). @throws Error for text that is not such a route (a bug in the caller).
 */
export function routeMatcher(route: string): (request: Pick<SimulatorRequest, 'method' | 'path'>) => boolean {
  const match = /^([A-Z]+) (\/\S*)$/.exec(route.trim().replace(/\s+/g, ' '));
  if (!match) throw new Error(`route "${route}" is not METHOD /path, e.g. GET /v1/campaigns/:id`);
  const [, method, template] = match;
  const pattern = new RegExp(
    `^${template!
      .split(/(:[A-Za-z_][A-Za-z0-9_]*)/)
      .map((part, i) => (i % 2 ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );
  return (request) => request.method === method && pattern.test(request.path);
}

export interface RunningSimulator {
  /** Base URL (scheme + host + port) to configure the gateway with. */
  url: string;
  /** The key the simulator accepts. */
  apiKey: string;
  /** Every request received, in order. */
  calls: SimulatorRequest[];
  /** How many requests matched `path` (exact, or a RegExp) and optionally `method`. */
  count(path?: string | RegExp, method?: string): number;
  /** Answer matching requests with a fault instead of the handler. */
  inject(fault: Fault): void;
  close(): Promise<void>;
}

/**
 * Serves a provider simulator over real HTTP on loopback (port 0 unless given), recording calls and
 * applying injected faults. Shared by every provider's simulator, tests and demo mode.
 */
export async function serveSimulator(
  handler: SimulatorHandler,
  options: { apiKey: string; port?: number; host?: string },
): Promise<RunningSimulator> {
  const calls: SimulatorRequest[] = [];
  const faults: Array<Fault & { left: number; applies(request: SimulatorRequest): boolean }> = [];
  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://simulator');
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const request: SimulatorRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      calls.push(request);
      res.once('close', () => {
        if (!res.writableFinished) request.aborted = true;
      });
      const faultIndex = faults.findIndex((f) => f.applies(request));
      let response: SimulatorResponse;
      if (faultIndex >= 0) {
        const fault = faults[faultIndex]!;
        if (--fault.left <= 0) faults.splice(faultIndex, 1);
        if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        if (fault.hangUp) {
          req.socket.destroy();
          return;
        }
        if (fault.kind) {
          await playFault(fault.kind, request, res, () => handler(request));
          return;
        }
        response = fault.status
          ? { status: fault.status, body: fault.body, rawBody: fault.rawBody, headers: fault.headers }
          : await handler(request);
      } else {
        response = await handler(request);
      }
      send(res, request, response);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `simulator bug: ${(error as Error).message}` }));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    apiKey: options.apiKey,
    calls,
    count(path, method) {
      return calls.filter(
        (c) =>
          (path === undefined || (typeof path === 'string' ? c.path === path : path.test(c.path))) &&
          (method === undefined || c.method === method),
      ).length;
    },
    inject(fault) {
      const onRoute = fault.route === undefined ? null : routeMatcher(fault.route);
      const applies = (request: SimulatorRequest) => (!onRoute || onRoute(request)) && (!fault.match || fault.match(request));
      faults.push({ ...fault, left: fault.times ?? 1, applies });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

const JSON_TYPE = 'application/json; charset=utf-8';

function payloadOf(response: SimulatorResponse): string {
  return response.rawBody ?? (response.body === undefined ? '' : JSON.stringify(response.body));
}

/** Writes an answer whole (JSON unless its headers say otherwise). */
function send(res: ServerResponse, request: SimulatorRequest, response: SimulatorResponse): void {
  const payload = payloadOf(response);
  request.status = response.status;
  res.writeHead(response.status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(payload), ...response.headers });
  res.end(payload);
}

const BAD_GATEWAY_PAGE =
  '<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n';
const MAINTENANCE_PAGE =
  '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Down for maintenance</title></head>\n<body><h1>We will be back soon</h1><p>Scheduled maintenance is in progress.</p></body>\n</html>\n';

/** Answers (or does not) the way a named fault says; `real` is what the simulator would have answered. */
async function playFault(kind: FaultKind, request: SimulatorRequest, res: ServerResponse, real: () => Promise<SimulatorResponse> | SimulatorResponse): Promise<void> {
  const error = (status: number, what: string): SimulatorResponse => ({ status, body: { error: `simulated fault: ${what}` } });
  const html = (status: number, page: string): SimulatorResponse => ({ status, rawBody: page, headers: { 'content-type': 'text/html; charset=utf-8' } });
  switch (kind) {
    case '500':
      return send(res, request, error(500, 'internal server error'));
    case '503':
      return send(res, request, error(503, 'service unavailable'));
    case '429-retry-after':
      return send(res, request, { ...error(429, 'too many requests'), headers: { 'retry-after': String(FAULT_RETRY_AFTER_S) } });
    case '429-no-retry-after':
      return send(res, request, error(429, 'too many requests'));
    case 'hang':
      return; // the request stays open until the client gives up or the simulator closes
    case 'malformed-json':
      return send(res, request, { status: 200, rawBody: '{"data": [' });
    case 'empty-body':
      return send(res, request, { status: 200, rawBody: '' });
    case 'html-502':
      return send(res, request, html(502, BAD_GATEWAY_PAGE));
    case 'html-200':
      return send(res, request, html(200, MAINTENANCE_PAGE));
    case 'text-plain-json': {
      const response = await real();
      return send(res, request, { ...response, headers: { ...response.headers, 'content-type': 'text/plain; charset=utf-8' } });
    }
    case 'reset': {
      const response = await real();
      const payload = Buffer.from(payloadOf(response));
      res.writeHead(response.status, { 'content-type': JSON_TYPE, 'content-length': payload.length, ...response.headers });
      res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.destroy());
      return;
    }
    case 'slow-body': {
      const response = await real();
      const payload = Buffer.from(payloadOf(response));
      request.status = response.status;
      res.writeHead(response.status, { 'content-type': JSON_TYPE, 'content-length': payload.length, ...response.headers });
      const chunks = 60;
      const size = Math.max(1, Math.ceil(payload.length / chunks));
      let sent = 0;
      const next = () => {
        const chunk = payload.subarray(sent, sent + size);
        sent += chunk.length;
        if (sent >= payload.length) {
          clearInterval(timer);
          res.end(chunk);
        } else {
          res.write(chunk);
        }
      };
      const timer = setInterval(next, SLOW_BODY_MS / chunks);
      res.once('close', () => clearInterval(timer));
      next();
      return;
    }
  }
}

/** A sliding one-minute window per key, for simulators' documented rate limits. */
export class MinuteWindow {
  private readonly hits = new Map<string, number[]>();
  constructor(readonly limit: number) {}
  /** Records a hit; returns remaining calls and seconds until the oldest hit leaves the window. */
  hit(key: string, now = Date.now()): { allowed: boolean; remaining: number; resetSeconds: number } {
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < 60_000);
    const allowed = recent.length < this.limit;
    if (allowed) recent.push(now);
    this.hits.set(key, recent);
    const resetSeconds = recent.length ? Math.ceil((60_000 - (now - recent[0]!)) / 1000) : 0;
    return { allowed, remaining: Math.max(0, this.limit - recent.length), resetSeconds };
  }
}

/** A small deterministic PRNG (mulberry32), so simulators serve the same data on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The bearer token of a request, or null. */
export function bearerToken(headers: IncomingMessage['headers']): string | null {
  const value = headers.authorization;
  const match = typeof value === 'string' ? /^Bearer\s+(.+)$/i.exec(value) : null;
  return match ? match[1]!.trim() : null;
}
