import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';

function tooLarge(max: number, actual: number | null): GraphQLError {
  return new GraphQLError(`The request body is over the gateway's limit of ${max} bytes${actual !== null ? ` (${actual})` : ''}`, {
    extensions: { code: 'BAD_REQUEST', limit: 'bodyBytes', max, ...(actual !== null ? { actual } : {}), http: { status: 413 } },
  });
}

/**
 * GATEWAY_MAX_BODY_BYTES: a body over the limit gets HTTP 413, refused by its Content-Length
 * before anything is read, or, sent chunked, as soon as the bytes read pass the limit (the rest
 * is never buffered). A GET's URL is held to the same limit. Batched requests (a JSON array body)
 * are refused by yoga itself (batching off): 400 BAD_REQUEST.
 */
export function requestBodyLimit(maxBytes: number): Plugin<GatewayContext> {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (request.method === 'GET') {
        if (request.url.length > maxBytes) throw tooLarge(maxBytes, request.url.length);
        return;
      }
      if (!requestParser) return;
      setRequestParser(async (incoming) => {
        const declared = Number(incoming.headers.get('content-length') ?? NaN);
        if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes, declared);
        const body = await readAtMost(incoming, maxBytes);
        return requestParser(bufferedRequest(incoming, body));
      });
    },
  };
}

/**
 * The request with its body already read, for yoga's parsers (they call `json`, `text` or
 * `formData`): a plain object, where a new `Request` per request cost about a tenth of a
 * millisecond (bench/profile.ts). Only multipart bodies get a real one.
 */
function bufferedRequest(incoming: Request, body: Uint8Array): Request {
  const text = () => new TextDecoder().decode(body);
  const buffered = {
    url: incoming.url,
    method: incoming.method,
    headers: incoming.headers,
    signal: incoming.signal,
    text: async () => text(),
    json: async () => JSON.parse(text()) as unknown,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
    formData: () => new Request(incoming.url, { method: incoming.method, headers: incoming.headers, body: body as unknown as BodyInit }).formData(),
  };
  return buffered as unknown as Request;
}

async function readAtMost(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes, null);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
