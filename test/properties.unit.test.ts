/**
 * Property-based tests (fast-check) of the pieces every client input passes through before any
 * provider is asked: cursors, global ids, node ids and the DateTime scalar. Each property holds for
 * every input fast-check generates; a failure prints the seed, the counterexample and its path, so
 * `FC_SEED=<seed>` reproduces it. test/properties.test.ts checks the same inputs end to end.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/domain/campaign.js';
import { BadUserInputError } from '../src/errors.js';
import { DEFAULT_CURSOR_SECRET, decodeCursor, encodeCursor, setCursorSecret } from '../src/relay/cursor.js';
import { decodeGlobalId, encodeGlobalId } from '../src/relay/globalId.js';
import { DateTime } from '../src/resolvers/DateTime.js';
import { parseNodeId } from '../src/resolvers/nodeIds.js';

// Reproducible in CI; FC_SEED explores other inputs locally.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20_260_415), numRuns: 200 });
setCursorSecret(null);

/** What `fn` threw: 'ok' when it returned, the error otherwise. */
function outcome(fn: () => unknown): 'ok' | unknown {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return error;
  }
}

/** `fn` returns, or throws a BadUserInputError (BAD_USER_INPUT), never anything else. */
function returnsOrRejectsAsBadInput(fn: () => unknown): boolean {
  const result = outcome(fn);
  if (result === 'ok') return true;
  if (result instanceof BadUserInputError && result.extensions.code === 'BAD_USER_INPUT') return true;
  throw new Error(`expected a result or BadUserInputError, got ${String(result)}`, { cause: result });
}

function rejectsAsBadInput(fn: () => unknown): boolean {
  const result = outcome(fn);
  if (result instanceof BadUserInputError && result.extensions.code === 'BAD_USER_INPUT') return true;
  throw new Error(`expected BadUserInputError, got ${result === 'ok' ? 'a result' : String(result)}`, { cause: result });
}

/** The scope identity cursor.ts hashes: sorted keys, null and undefined members left out. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Signs `body` as the gateway does with its default (public) key: what a client can forge. */
function forge(body: string): string {
  return `${body}.${createHmac('sha256', DEFAULT_CURSOR_SECRET).update(body).digest('base64url').slice(0, 16)}`;
}

const json = fc.jsonValue({ maxDepth: 3 });
const connectionName = fc.oneof(
  fc.constantFrom('campaigns', 'sendLogs', 'emailLogs', 'Campaign.recipientLogs', 'Campaign.sendLogs', 'Campaign.emailLogs'),
  fc.string({ unit: 'binary' }),
);
/** Any string a client could send: ASCII, every code point, lone surrogates, and cursor-looking ones. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom(...'ABCabc0123-_.=+/ ') }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
);

describe('cursors (properties)', () => {
  it('round-trip any JSON position for any connection and scope, whatever the order of the scope keys', () => {
    fc.assert(
      fc.property(connectionName, json, json, (connection, scope, position) => {
        const cursor = encodeCursor(connection, scope, position);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}$/);
        expect(decodeCursor(cursor, connection, scope)).toEqual(JSON.parse(JSON.stringify(position)));
        const reordered = scope && typeof scope === 'object' && !Array.isArray(scope) ? Object.fromEntries(Object.entries(scope).reverse()) : scope;
        expect(decodeCursor(cursor, connection, reordered)).toEqual(JSON.parse(JSON.stringify(position)));
      }),
    );
  });

  it('reject any string that is not a cursor as BAD_USER_INPUT', () => {
    fc.assert(fc.property(anyString, connectionName, json, (text, connection, scope) => rejectsAsBadInput(() => decodeCursor(text, connection, scope))));
  });

  it('reject a cursor with any one character changed, inserted or removed', () => {
    const edit = fc.record({
      kind: fc.constantFrom('replace', 'insert', 'delete'),
      at: fc.nat(),
      char: fc.oneof(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
    });
    fc.assert(
      fc.property(connectionName, json, json, edit, (connection, scope, position, { kind, at, char }) => {
        const cursor = encodeCursor(connection, scope, position);
        const i = at % (cursor.length + (kind === 'insert' ? 1 : 0));
        if (kind === 'replace' && cursor[i] === char) char = cursor[i] === 'A' ? 'B' : 'A';
        const edited =
          kind === 'replace'
            ? cursor.slice(0, i) + char + cursor.slice(i + 1)
            : kind === 'insert'
              ? cursor.slice(0, i) + char + cursor.slice(i)
              : cursor.slice(0, i) + cursor.slice(i + 1);
        return rejectsAsBadInput(() => decodeCursor(edited, connection, scope));
      }),
    );
  });

  it('reject a cursor presented to another connection or with another scope', () => {
    fc.assert(
      fc.property(connectionName, connectionName, json, json, json, (connection, other, scope, otherScope, position) => {
        const cursor = encodeCursor(connection, scope, position);
        if (other !== connection) rejectsAsBadInput(() => decodeCursor(cursor, other, scope));
        if (canonical(otherScope) !== canonical(scope)) rejectsAsBadInput(() => decodeCursor(cursor, connection, otherScope));
        rejectsAsBadInput(() => decodeCursor(cursor, connection, [scope]));
      }),
    );
  });

  it('answer a correctly signed body of any content (the default key is public) with a position or BAD_USER_INPUT', () => {
    const body = fc.oneof(
      // Any bytes.
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
      // Any JSON.
      fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
      // The cursor shape with anything in each slot.
      fc
        .tuple(fc.oneof(fc.constant(1), json), fc.oneof(fc.constant('campaigns'), json), json, json)
        .map((slots) => Buffer.from(JSON.stringify(slots)).toString('base64url')),
      // Objects that are not plain data once read: keys such as toString and valueOf.
      fc
        .tuple(fc.constantFrom('toString', 'valueOf', '__proto__', 'constructor', 'toJSON'), json)
        .map(([key, value]) => Buffer.from(`[1,{${JSON.stringify(key)}:${JSON.stringify(value)}},"x",0]`).toString('base64url')),
    );
    fc.assert(fc.property(body, connectionName, json, (b, connection, scope) => returnsOrRejectsAsBadInput(() => decodeCursor(forge(b), connection, scope))));
  });
});

const idPart = fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes(':'));

describe('global ids (properties)', () => {
  it('round-trip type, namespace and any non-empty local id (colons included)', () => {
    fc.assert(
      fc.property(idPart, idPart, fc.string({ unit: 'binary', minLength: 1 }), (type, namespace, localId) => {
        expect(decodeGlobalId(encodeGlobalId(type, namespace, localId))).toEqual({ type, namespace, localId });
      }),
    );
  });

  it('decode any string either to parts that encode back to it, or reject it as BAD_USER_INPUT', () => {
    const candidate = fc.oneof(
      anyString,
      fc.tuple(anyString, anyString, anyString).map(([a, b, c]) => Buffer.from(`${a}:${b}:${c}`).toString('base64url')),
      fc.string({ unit: 'binary' }).map((s) => Buffer.from(s).toString('base64')),
    );
    fc.assert(
      fc.property(candidate, (id) => {
        const result = outcome(() => decodeGlobalId(id));
        if (result === 'ok') {
          const parts = decodeGlobalId(id);
          expect(encodeGlobalId(parts.type, parts.namespace, parts.localId)).toBe(id);
          expect(parts.type.length * parts.namespace.length * parts.localId.length).toBeGreaterThan(0);
        } else {
          rejectsAsBadInput(() => decodeGlobalId(id));
        }
      }),
    );
  });

  it('parseNodeId: any string is a Node reference of a known type and provider, or BAD_USER_INPUT', () => {
    const type = fc.oneof(fc.constantFrom('Campaign', 'SendLog', 'EmailLog'), idPart);
    const provider = fc.oneof(fc.constantFrom(...PROVIDERS), idPart);
    const id = fc.oneof(
      anyString,
      fc.tuple(type, provider, fc.string({ unit: 'binary', minLength: 1 })).map(([t, p, l]) => encodeGlobalId(t, p, l)),
    );
    const expected = fc.constantFrom(undefined, 'Campaign', 'SendLog', 'EmailLog' as const);
    fc.assert(
      fc.property(id, expected, (value, want) => {
        const result = outcome(() => parseNodeId(value, want));
        if (result !== 'ok') return rejectsAsBadInput(() => parseNodeId(value, want));
        const ref = parseNodeId(value, want);
        expect(['Campaign', 'SendLog', 'EmailLog']).toContain(ref.type);
        expect(PROVIDERS).toContain(ref.provider);
        if (want) expect(ref.type).toBe(want);
        expect(encodeGlobalId(ref.type, ref.provider, ref.providerId)).toBe(value);
        return true;
      }),
    );
  });
});

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
const floorTo = (t: number, unit: number) => t - (((t % unit) + unit) % unit);

/** Instants the calendar makes special: leap days (year 0 is a leap year), year and century ends. */
const specialInstants = fc.constantFrom(
  ...['0000-02-29', '0004-02-29', '0099-12-31', '0100-03-01', '1600-02-29', '1900-02-28', '1969-12-31', '1970-01-01', '2000-02-29', '2024-02-29', '9999-12-29'].map(
    (day) => new Date(`${day}T12:34:56.789Z`),
  ),
);

/** A date-time the scalar documents (any ISO 8601 with a zone), written in one of many ways, and the instant it means. */
const isoWriting = fc
  .record({
    at: fc.oneof(fc.date({ min: new Date('0000-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }), specialInstants),
    offsetMinutes: fc.integer({ min: -14 * 60, max: 14 * 60 }),
    zone: fc.constantFrom('Z', 'z', 'offset', 'compact offset'),
    precision: fc.constantFrom('minutes', 'seconds', 'fraction'),
    fractionDigits: fc.integer({ min: 1, max: 9 }),
    lowerT: fc.boolean(),
  })
  .map(({ at, offsetMinutes, zone, precision, fractionDigits, lowerT }) => {
    const offset = zone === 'Z' || zone === 'z' ? 0 : offsetMinutes;
    const unit = precision === 'minutes' ? 60_000 : precision === 'seconds' ? 1000 : 10 ** Math.max(0, 3 - fractionDigits);
    const meant = floorTo(at.getTime(), unit);
    const local = new Date(meant + offset * 60_000);
    const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
    let time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
    if (precision !== 'minutes') time += `:${pad(local.getUTCSeconds())}`;
    if (precision === 'fraction') time += `.${pad(local.getUTCMilliseconds(), 3).padEnd(fractionDigits, '0').slice(0, fractionDigits)}`;
    const sign = offset < 0 ? '-' : '+';
    const [hh, mm] = [pad(Math.trunc(offset / 60)), pad(offset % 60)];
    const suffix = zone === 'Z' || zone === 'z' ? zone : zone === 'offset' ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
    return { text: `${date}${lowerT ? 't' : 'T'}${time}${suffix}`, meant };
  });

/** Days in a month of the proleptic Gregorian calendar ISO 8601 uses. */
const daysIn = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

describe('the DateTime scalar (properties)', () => {
  it('reads every ISO 8601 writing with a zone as the instant it means', () => {
    fc.assert(
      fc.property(isoWriting, ({ text, meant }) => {
        const date = DateTime.parseValue(text);
        expect(date.getTime(), text).toBe(meant);
        // Output is toISOString of the same instant, which reads back to it.
        expect(DateTime.parseValue(DateTime.serialize(date)).getTime()).toBe(meant);
      }),
    );
  });

  it('accepts a date-time exactly when the calendar has that day and time', () => {
    const fields = fc.record({
      year: fc.integer({ min: 0, max: 9999 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 25 }),
      minute: fc.integer({ min: 0, max: 61 }),
      second: fc.integer({ min: 0, max: 61 }),
    });
    fc.assert(
      fc.property(fields, ({ year, month, day, hour, minute, second }) => {
        const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}Z`;
        const real = month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour < 24 && minute < 60 && second < 60;
        if (!real) return rejectsAsBadInput(() => DateTime.parseValue(text));
        const date = DateTime.parseValue(text);
        expect(date.toISOString(), text).toBe(`${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}.000Z`);
        return true;
      }),
    );
  });

  it('answers any value a variable can hold with a valid Date or BAD_USER_INPUT', () => {
    const isoLike = fc.stringMatching(/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?([Zz]|[+-]\d{2}:?\d{2})?$/);
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), anyString, isoLike, isoWriting.map((w) => w.text));
    fc.assert(
      fc.property(value, (input) => {
        const result = outcome(() => DateTime.parseValue(input));
        if (result !== 'ok') return rejectsAsBadInput(() => DateTime.parseValue(input));
        const date = DateTime.parseValue(input);
        expect(date).toBeInstanceOf(Date);
        expect(Number.isNaN(date.getTime())).toBe(false);
        expect(() => date.toISOString()).not.toThrow();
        return true;
      }),
    );
  });

  it('answers any literal with a valid Date or BAD_USER_INPUT', () => {
    const literal = fc.oneof(
      anyString.map((value) => ({ kind: Kind.STRING, value }) as const),
      isoWriting.map(({ text }) => ({ kind: Kind.STRING, value: text }) as const),
      fc.integer().map((n) => ({ kind: Kind.INT, value: String(n) }) as const),
      fc.boolean().map((value) => ({ kind: Kind.BOOLEAN, value }) as const),
      fc.constant({ kind: Kind.NULL } as const),
      fc.constant({ kind: Kind.LIST, values: [] } as const),
    );
    fc.assert(
      fc.property(literal, (ast) =>
        returnsOrRejectsAsBadInput(() => {
          const date = DateTime.parseLiteral(ast as never, undefined);
          if (Number.isNaN(date.getTime())) throw new Error('invalid Date');
        }),
      ),
    );
  });
});
