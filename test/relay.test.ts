import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { buildConnection, parseFirst } from '../src/relay/connection.js';
import { DEFAULT_CURSOR_SECRET, decodeCursor, encodeCursor } from '../src/relay/cursor.js';
import { decodeGlobalId, encodeGlobalId } from '../src/relay/globalId.js';
import { planOffsetPages, readOffsetWindow, scanOffsetList } from '../src/providers/paging/offsetWindow.js';

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : error;
  }
  return 'no error';
}

describe('global ids', () => {
  it('round-trip type, namespace and a local id that contains colons', () => {
    const id = encodeGlobalId('Campaign', 'EMAILSENDX', 'a:b:c');
    expect(id).not.toContain('EMAILSENDX');
    expect(decodeGlobalId(id)).toEqual({ type: 'Campaign', namespace: 'EMAILSENDX', localId: 'a:b:c' });
  });

  it.each(['', 'not base64!', 'Zm9v', encodeGlobalId('Campaign', 'X', 'y').slice(0, -2) + '==', Buffer.from('Campaign:EMAILSENDX:').toString('base64url')])(
    'rejects %j as BAD_USER_INPUT',
    (id) => expect(codeOf(() => decodeGlobalId(id))).toBe('BAD_USER_INPUT'),
  );
});

describe('cursors', () => {
  const scope = { filter: { status: ['SENT'] } };

  it('round-trip their position for the same connection and scope (key order does not matter)', () => {
    const cursor = encodeCursor('campaigns', { a: 1, b: [2] }, ['EMAILSENDX', 40]);
    expect(decodeCursor(cursor, 'campaigns', { b: [2], a: 1 })).toEqual(['EMAILSENDX', 40]);
  });

  it('reject garbage, tampered, foreign-connection and foreign-scope cursors', () => {
    const cursor = encodeCursor('campaigns', scope, 10);
    const [body, signature] = cursor.split('.');
    const tamperedBody = Buffer.from(Buffer.from(body!, 'base64url').toString().replace('10', '11')).toString('base64url');
    expect(codeOf(() => decodeCursor('garbage', 'campaigns', scope))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor(`${tamperedBody}.${signature}`, 'campaigns', scope))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor(cursor, 'sendLogs', scope))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor(cursor, 'campaigns', { filter: { status: ['DRAFT'] } }))).toBe('BAD_USER_INPUT');
    expect(decodeCursor(cursor, 'campaigns', scope)).toBe(10);
  });

  it('reject a cursor whose signature has a character that is not ASCII (found by test/properties.unit.test.ts)', () => {
    // 16 characters, 17 bytes: timingSafeEqual threw a RangeError on buffers of different lengths.
    const cursor = encodeCursor('campaigns', scope, 10);
    expect(codeOf(() => decodeCursor(`${cursor.slice(0, -1)}é`, 'campaigns', scope))).toBe('BAD_USER_INPUT');
  });

  it('reject a correctly signed cursor whose connection is not a string (found by test/properties.unit.test.ts)', () => {
    // The default key is public, so anyone can sign `[1,{"toString":[]},"x",0]`: that once threw a TypeError.
    const body = 'WzEseyJ0b1N0cmluZyI6W119LCJ4IiwwXQ';
    const forged = `${body}.${createHmac('sha256', DEFAULT_CURSOR_SECRET).update(body).digest('base64url').slice(0, 16)}`;
    expect(codeOf(() => decodeCursor(forged, 'campaigns', scope))).toBe('BAD_USER_INPUT');
  });
});

describe('first', () => {
  it('defaults to 20 and accepts 0..500', () => {
    expect(parseFirst(undefined)).toBe(20);
    expect(parseFirst(null)).toBe(20);
    expect(parseFirst(0)).toBe(0);
    expect(parseFirst(500)).toBe(500);
  });
  it.each([-1, 501, 1.5])('rejects %d', (first) => expect(codeOf(() => parseFirst(first))).toBe('BAD_USER_INPUT'));
});

describe('buildConnection', () => {
  it('sets start and end cursors from the edges, null when empty', () => {
    const connection = buildConnection({ nodes: ['a', 'b'], cursorOf: (n) => `c-${n}`, hasNextPage: true, hasPreviousPage: false, totalCount: 7 });
    expect(connection.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: 'c-a', endCursor: 'c-b' });
    expect(buildConnection({ nodes: [], cursorOf: String, hasNextPage: false, hasPreviousPage: true, totalCount: null }).pageInfo)
      .toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });
});

describe('offset windows over numbered pages', () => {
  it('plans the fewest pages, then the smallest page size', () => {
    expect(planOffsetPages(0, 20, 100)).toEqual({ limit: 20, pages: [1] });
    expect(planOffsetPages(10, 10, 100)).toEqual({ limit: 10, pages: [2] });
    expect(planOffsetPages(5, 10, 100)).toEqual({ limit: 15, pages: [1] });
    expect(planOffsetPages(0, 500, 100)).toEqual({ limit: 100, pages: [1, 2, 3, 4, 5] });
    expect(planOffsetPages(50, 100, 100).pages).toHaveLength(2);
    expect(planOffsetPages(7, 0, 100)).toEqual({ limit: 1, pages: [8] });
  });

  const list = Array.from({ length: 237 }, (_, i) => i);
  const pager = (calls: Array<[number, number]>) => async (page: number, limit: number) => {
    calls.push([page, limit]);
    return { items: list.slice((page - 1) * limit, page * limit), total: list.length };
  };

  it('reads any window exactly, with its total and whether more follows', async () => {
    for (const [offset, count] of [[0, 20], [13, 77], [200, 100], [236, 5], [237, 10], [0, 500]] as const) {
      const calls: Array<[number, number]> = [];
      const window = await readOffsetWindow(offset, count, 100, pager(calls));
      expect(window.items).toEqual(list.slice(offset, offset + count));
      expect(window.total).toBe(237);
      expect(window.hasMore).toBe(offset + count < 237);
      expect(calls.every(([, limit]) => limit <= 100)).toBe(true);
    }
  });

  it('scans with a local filter, resuming at upstream positions', async () => {
    const calls: Array<[number, number]> = [];
    const even = (n: number) => n % 3 === 0;
    const first = await scanOffsetList(0, 30, 100, pager(calls), even);
    expect(first.entries.map((e) => e.item)).toEqual(list.filter(even).slice(0, 30));
    const next = first.entries.at(-1)!.next;
    const rest = await scanOffsetList(next, 500, 100, pager(calls), even);
    expect([...first.entries, ...rest.entries].map((e) => e.item)).toEqual(list.filter(even));
    expect(rest.hasMore).toBe(false);
  });
});

describe('DateTime', async () => {
  const { DateTime } = await import('../src/resolvers/DateTime.js');
  it('writes ISO 8601 UTC with milliseconds', () => {
    expect(DateTime.serialize(new Date('2026-04-15T12:00:00+02:00'))).toBe('2026-04-15T10:00:00.000Z');
  });
  it('reads date-times with a zone, rejects the rest as BAD_USER_INPUT', () => {
    expect(DateTime.parseValue('2026-04-15T10:00:00Z')).toEqual(new Date('2026-04-15T10:00:00.000Z'));
    expect(DateTime.parseValue('2026-04-15T10:00:00.440+0000')).toEqual(new Date('2026-04-15T10:00:00.440Z'));
    for (const bad of ['yesterday', '2026-04-15', '2026-04-15T10:00:00', 12, '2026-13-45T10:00:00Z', '2026-02-30T00:00:00Z', '2026-04-15T24:00:00Z', '2026-04-15T10:61:00Z']) {
      expect(codeOf(() => DateTime.parseValue(bad))).toBe('BAD_USER_INPUT');
    }
  });
  it('reads February 29 of year 0000, a leap year (found by test/properties.unit.test.ts), and refuses it in 1900 and 0100', () => {
    expect(DateTime.parseValue('0000-02-29T12:34Z').toISOString()).toBe('0000-02-29T12:34:00.000Z');
    expect(DateTime.parseValue('0004-02-29T00:00:00Z').toISOString()).toBe('0004-02-29T00:00:00.000Z');
    for (const bad of ['1900-02-29T00:00:00Z', '0100-02-29T00:00:00Z']) expect(codeOf(() => DateTime.parseValue(bad))).toBe('BAD_USER_INPUT');
  });
});
