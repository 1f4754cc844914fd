import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

/** A body smaller than this is sent as it is: compressing it would cost more than it saves. */
export const COMPRESSION_MIN_BYTES = 1024;

export type ContentEncoding = 'br' | 'gzip';

/**
 * Types worth compressing: GraphQL answers, pages, scripts, styles, SVG and Prometheus text.
 * `text/event-stream` and `multipart/mixed` (subscriptions, incremental delivery) are streams a
 * client reads as they come: never buffered to be compressed.
 */
const COMPRESSIBLE = /^(?:text\/(?:html|css|plain|javascript)|application\/(?:json|graphql-response\+json|javascript)|image\/(?:svg\+xml|x-icon))\b/i;

export function isCompressible(contentType: string | null): boolean {
  return contentType !== null && COMPRESSIBLE.test(contentType.trim());
}

/**
 * The encoding to answer with for an `Accept-Encoding` header: br when it is accepted, else gzip,
 * else none. Honours `q=0` (refused), `*` (anything not named), and `identity` alone.
 */
export function preferredEncoding(acceptEncoding: string | null): ContentEncoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [token, ...parameters] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const q = parameters.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    weights.set(token.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (encoding: string) => weights.get(encoding) ?? weights.get('*') ?? 0;
  const candidates: Array<[ContentEncoding, number]> = [
    ['br', weightOf('br')],
    ['gzip', Math.max(weightOf('gzip'), weights.get('x-gzip') ?? 0)],
  ];
  // Stable sort: br wins a tie.
  const [best] = candidates.filter(([, weight]) => weight > 0).sort((a, b) => b[1] - a[1]);
  return best ? best[0] : null;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Compresses a body off the event loop (zlib's thread pool). `static` is for bodies compressed once
 * and served many times (brotli quality 9, gzip level 9: about 0.5 s for GraphiQL's 5 MB script);
 * otherwise the levels suit a body compressed per response (brotli 4, gzip 6: a few ms for 100 KB).
 */
export async function compress(body: Uint8Array, encoding: ContentEncoding, kind: 'static' | 'dynamic' = 'dynamic'): Promise<Buffer> {
  if (encoding === 'br') {
    return brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: kind === 'static' ? 9 : 4,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
      },
    });
  }
  return gzipAsync(body, { level: kind === 'static' ? 9 : 6 });
}

/** Adds `accept-encoding` to a response's `vary`, keeping what is there. */
export function varyOnAcceptEncoding(headers: Headers): void {
  const vary = headers.get('vary');
  if (!vary) headers.set('vary', 'accept-encoding');
  else if (!vary.split(',').some((v) => ['accept-encoding', '*'].includes(v.trim().toLowerCase()))) headers.set('vary', `${vary}, accept-encoding`);
}

const NO_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Compresses responses (GraphQL answers, `/metrics`, GraphiQL's page) with br or gzip when the
 * client accepts it and the body is at least {@link COMPRESSION_MIN_BYTES}, and says
 * `vary: accept-encoding` on every response of a compressible type. Leaves alone: HEAD, bodiless
 * statuses, bodies already encoded (the static assets, precompressed), and streams (SSE,
 * multipart). Runs in onResponse, after every other plugin has produced its response.
 */
export function responseCompression<TContext extends Record<string, any>>(): Plugin<TContext> {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (response.headers.has('content-encoding') || !isCompressible(response.headers.get('content-type'))) return;
      varyOnAcceptEncoding(response.headers);
      if (request.method === 'HEAD' || NO_BODY_STATUSES.has(response.status) || response.body === null) return;
      const encoding = preferredEncoding(request.headers.get('accept-encoding'));
      if (!encoding) return;
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared < COMPRESSION_MIN_BYTES) return;
      const body = new Uint8Array(await response.arrayBuffer());
      const headers = new fetchAPI.Headers(response.headers);
      const init = { status: response.status, statusText: response.statusText, headers };
      if (body.byteLength < COMPRESSION_MIN_BYTES) {
        setResponse(new fetchAPI.Response(body, init));
        return;
      }
      const compressed = await compress(body, encoding);
      headers.set('content-encoding', encoding);
      headers.set('content-length', String(compressed.byteLength));
      // A strong validator names one representation: the compressed body is another one.
      const etag = headers.get('etag');
      if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
      setResponse(new fetchAPI.Response(compressed as Uint8Array<ArrayBuffer>, init));
    },
  };
}
