import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { COMPRESSION_MIN_BYTES, compress, isCompressible, preferredEncoding, type ContentEncoding } from './compression.js';

/** A year, and never revalidated: the name changes when the content does. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** For a page at a fixed address: kept, but revalidated (ETag) on every use. */
export const REVALIDATE = 'no-cache';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

export function contentTypeOf(name: string): string {
  const extension = /\.[a-z0-9]+$/i.exec(name)?.[0].toLowerCase() ?? '';
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

interface StaticFile {
  body: Buffer;
  contentType: string;
  cacheControl: string;
  /** The entity tag of the identity body, without quotes; `-br` / `-gzip` name the encoded ones. */
  tag: string;
  /** Each encoding's body, compressed on first demand, once; null when it would not be smaller. */
  encoded: Partial<Record<ContentEncoding, Promise<Buffer | null>>>;
}

/**
 * Files served from memory under URL prefixes, with validators and compression done once.
 * `addHashed` names a file by its content (`/graphiql/assets/graphiql.1f3a…c0.js`) and serves it
 * immutable for a year; `add` serves a file at a fixed path, revalidated by ETag. Every response
 * carries `etag` and `vary: accept-encoding`; `If-None-Match` gets a 304; GET and HEAD only. A path
 * under a prefix that names no file (a stale hash) is a 404.
 */
export class StaticFiles {
  private readonly files = new Map<string, StaticFile>();

  /** @param prefixes the paths this owns: exact (`/dashboard`) or, ending in `/`, everything below. */
  constructor(private readonly prefixes: string[]) {}

  /** Adds `<directory>/<stem>.<hash>.<extension>` and returns its path. */
  addHashed(directory: string, fileName: string, content: string | Buffer, cacheControl = IMMUTABLE): string {
    const body = typeof content === 'string' ? Buffer.from(content) : content;
    const tag = contentTag(body);
    const dot = fileName.lastIndexOf('.');
    const path = `${directory.replace(/\/$/, '')}/${fileName.slice(0, dot)}.${tag}${fileName.slice(dot)}`;
    this.put(path, body, contentTypeOf(fileName), cacheControl, tag);
    return path;
  }

  /** Adds a file at a fixed path (a page whose address users keep), revalidated by its ETag. */
  add(path: string, content: string | Buffer, contentType = contentTypeOf(path), cacheControl = REVALIDATE): void {
    const body = typeof content === 'string' ? Buffer.from(content) : content;
    this.put(path, body, contentType, cacheControl, contentTag(body));
  }

  owns(pathname: string): boolean {
    return this.prefixes.some((prefix) => (prefix.endsWith('/') ? pathname.startsWith(prefix) : pathname === prefix));
  }

  has(pathname: string): boolean {
    return this.files.has(pathname);
  }

  /** The response for a request of a path this owns (404 for a name it does not hold). */
  async respond(request: Request, pathname: string, fetchAPI: { Response: typeof Response }): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new fetchAPI.Response('Method Not Allowed\n', { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' } });
    }
    const file = this.files.get(pathname);
    if (!file) {
      return new fetchAPI.Response('Not Found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
    }
    const encoding = preferredEncoding(request.headers.get('accept-encoding'));
    const encoded = encoding ? await this.encodedBody(file, encoding) : null;
    const etag = `"${file.tag}${encoded ? `-${encoding}` : ''}"`;
    const headers: Record<string, string> = {
      'content-type': file.contentType,
      'cache-control': file.cacheControl,
      etag,
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
    };
    if (matches(request.headers.get('if-none-match'), file.tag)) return new fetchAPI.Response(null, { status: 304, headers });
    const body = encoded ?? file.body;
    if (encoded) headers['content-encoding'] = encoding!;
    headers['content-length'] = String(body.byteLength);
    return new fetchAPI.Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { status: 200, headers });
  }

  /** A yoga plugin answering the requests of this store's paths before anything else runs. */
  plugin<TContext extends Record<string, any>>(): Plugin<TContext> {
    return {
      onRequest: async ({ request, url, endResponse, fetchAPI }) => {
        if (this.owns(url.pathname)) endResponse(await this.respond(request, url.pathname, fetchAPI));
      },
    };
  }

  private put(path: string, body: Buffer, contentType: string, cacheControl: string, tag: string): void {
    if (!this.owns(path)) throw new Error(`${path} is outside ${this.prefixes.join(', ')}`);
    this.files.set(path, { body, contentType, cacheControl, tag, encoded: {} });
  }

  private encodedBody(file: StaticFile, encoding: ContentEncoding): Promise<Buffer | null> {
    if (file.body.byteLength < COMPRESSION_MIN_BYTES || !isCompressible(file.contentType)) return Promise.resolve(null);
    file.encoded[encoding] ??= compress(file.body, encoding, 'static').then((body) => (body.byteLength < file.body.byteLength ? body : null));
    return file.encoded[encoding]!;
  }
}

/** 16 hex digits of the SHA-256 of a body: its file name part and entity tag. */
function contentTag(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 16);
}

/** If-None-Match against a file's tag, any of its encodings, weak or strong (RFC 9110 weak comparison). */
function matches(ifNoneMatch: string | null, tag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const value = candidate.trim().replace(/^W\//, '');
    return value === '*' || [`"${tag}"`, `"${tag}-br"`, `"${tag}-gzip"`].includes(value);
  });
}
