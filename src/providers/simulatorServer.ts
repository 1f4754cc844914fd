import { createServer, type IncomingMessage, type Server } from 'node:http';
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

/** A planned misbehaviour, for tests: answers the next `times` matching requests with it. */
export interface Fault {
  match?: (request: SimulatorRequest) => boolean;
  status?: number;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
  /** Drop the connection without answering. */
  hangUp?: boolean;
  times?: number;
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
  const faults: Array<Fault & { left: number }> = [];
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
      const faultIndex = faults.findIndex((f) => !f.match || f.match(request));
      let response: SimulatorResponse;
      if (faultIndex >= 0) {
        const fault = faults[faultIndex]!;
        if (--fault.left <= 0) faults.splice(faultIndex, 1);
        if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        if (fault.hangUp) {
          req.socket.destroy();
          return;
        }
        response = fault.status
          ? { status: fault.status, body: fault.body, rawBody: fault.rawBody, headers: fault.headers }
          : await handler(request);
      } else {
        response = await handler(request);
      }
      const payload = response.rawBody ?? (response.body === undefined ? '' : JSON.stringify(response.body));
      request.status = response.status;
      res.writeHead(response.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(payload),
        ...response.headers,
      });
      res.end(payload);
    } catch (error) {
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
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
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
