/**
 * Property-based tests (fast-check) of the whole HTTP surface, against all four providers'
 * simulators: whatever a client sends (ids, cursors, DateTimes, filters, whole request bodies, GET
 * query strings), the gateway answers within a bounded time with a status below 500, and every
 * error of a JSON answer has `extensions.code` from the closed list (never INTERNAL_SERVER_ERROR).
 *
 * The seed is fixed so CI is reproducible; a failure prints the seed, the counterexample and its
 * path (`FC_SEED=<seed> npx vitest run test/properties.test.ts` explores other inputs).
 * `PROPERTIES_REPORT=1` prints every (status, code) pair observed.
 */
import fc from 'fast-check';
import { afterAll, describe, expect } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';
import { encodeCursor } from '../src/relay/cursor.js';
import { encodeGlobalId } from '../src/relay/globalId.js';
import { it } from './support/fixtures.js';
import type { Harness } from './support/harness.js';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20_260_415), numRuns: 100 });

const PROVIDERS = ['MIGMA', 'DRIPCEL', 'EMAILSENDX', 'INFOBIP'] as const;
const HARNESS = { providers: [...PROVIDERS], env: { MIGMA_PROJECT_ID: 'proj_demo' } };
/** As deployed: the response cache on (CACHE_TTL_S default), production masking, no introspection. */
const PRODUCTION = { providers: [...PROVIDERS], env: { MIGMA_PROJECT_ID: 'proj_demo', CACHE_TTL_S: '60', NODE_ENV: 'production' } };
/** The longest any one request may take: a hang is a failure, not a slow test. */
const PER_REQUEST_MS = 5000;

/** Codes yoga itself answers bad requests with, before any resolver runs; all have their code. */
const YOGA_CODES = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE'] as const;
const ACCEPTED_CODES: readonly string[] = [...ERROR_CODES.filter((code) => code !== 'INTERNAL_SERVER_ERROR'), ...YOGA_CODES];

/** Scales every property's run count (FC_RUNS_SCALE=10 for a long local exploration). */
const runs = (n: number) => Math.max(1, Math.round(n * Number(process.env.FC_RUNS_SCALE ?? 1)));

/** Every (HTTP status, code) pair seen, with how often and one message, for PROPERTIES_REPORT. */
const observed = new Map<string, { count: number; message: string }>();
function observe(status: number, code: string, message: string): void {
  const key = `${status} ${code}`;
  const known = observed.get(key);
  observed.set(key, { count: (known?.count ?? 0) + 1, message: known?.message ?? message.slice(0, 120) });
}
afterAll(() => {
  if (!process.env.PROPERTIES_REPORT) return;
  const rows = [...observed.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, { count, message }]) => `  ${key}  x${count}  e.g. ${JSON.stringify(message)}`);
  console.info(`status / code observed:\n${rows.join('\n')}`);
});

interface Answer {
  status: number;
  body: any;
  text: string;
  ms: number;
}

/**
 * Sends one request and checks what holds for every request: an answer within PER_REQUEST_MS, a
 * status below 500, and, when the body is JSON with errors, `extensions.code` on each (one of
 * `codes`). Returns the answer for further checks.
 */
async function send(url: string, init: RequestInit, codes: readonly string[] = ACCEPTED_CODES): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(PER_REQUEST_MS) });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const where = `${init.method ?? 'GET'} ${url.slice(0, 200)} ${typeof init.body === 'string' ? init.body.slice(0, 200) : ''}\n-> ${response.status} ${text.slice(0, 400)}`;
  expect(response.status, where).toBeLessThan(500);
  expect(ms, where).toBeLessThan(PER_REQUEST_MS);
  const payloads = body !== undefined ? [body] : streamedPayloads(response.headers.get('content-type') ?? '', text);
  const errors = payloads.flatMap((payload) => (payload && typeof payload === 'object' && Array.isArray(payload.errors) ? payload.errors : []));
  if (errors.length === 0) observe(response.status, payloads.length === 0 ? '(not JSON)' : '(no errors)', text);
  for (const error of errors) {
    const { message, extensions } = error as { message?: unknown; extensions?: { code?: unknown } };
    expect(typeof extensions?.code, `an error without extensions.code: ${where}`).toBe('string');
    expect(codes, where).toContain(extensions!.code);
    observe(response.status, String(extensions!.code), String(message));
  }
  return { status: response.status, body, text, ms };
}

/** The JSON results of a streamed answer: server-sent events (`data:` lines) or multipart/mixed parts. */
function streamedPayloads(contentType: string, text: string): any[] {
  const readable = (chunk: string) => {
    try {
      return [JSON.parse(chunk)];
    } catch {
      return [];
    }
  };
  if (contentType.startsWith('text/event-stream')) {
    return text.split('\n').filter((line) => line.startsWith('data:')).flatMap((line) => readable(line.slice(5).trim()));
  }
  if (contentType.startsWith('multipart/mixed')) {
    return text.split(/\r?\n\r?\n/).flatMap((part) => readable(part.split(/\r?\n--/)[0]!.trim()));
  }
  return [];
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };

/** POSTs a GraphQL request; field-level properties accept only BAD_USER_INPUT by default. */
function post(h: Harness, query: string, variables?: unknown, codes: readonly string[] = ['BAD_USER_INPUT']): Promise<Answer> {
  return send(h.url, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ query, variables }) }, codes);
}

/** Any string a client could put in a JSON string: ASCII, every code point, lone surrogates, huge ones. */
const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 4, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', '\ud800', '..', '../..', '%00', '%2F', '?a=b&c', '#x', '\r\nX-Header: y', '{}', 'null') },
  { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 3 }), fc.integer({ min: 1000, max: 20_000 })).map(([s, n]) => s.repeat(n)) },
);

const json = fc.jsonValue({ maxDepth: 3 });

/** A `first` a client may send: mostly small, sometimes out of range. */
const first = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(null, -1, 0, 500, 501, -2147483648, 2147483647) });

describe('properties of the HTTP surface (fast-check, all four providers)', () => {
  it('ids: any string as node(id:), campaign(id:), nodes(ids:) or an entity id is null or BAD_USER_INPUT', async ({ startHarness }) => {
    const h = await startHarness(HARNESS);
    const type = fc.oneof(fc.constantFrom('Campaign', 'SendLog', 'EmailLog'), anyString);
    const provider = fc.oneof(fc.constantFrom(...PROVIDERS), anyString);
    const id = fc.oneof(
      anyString,
      fc.tuple(type, provider, anyString).map(([t, p, l]) => encodeGlobalId(t, p, l)),
      fc.tuple(fc.constantFrom('Campaign', 'SendLog', 'EmailLog'), fc.constantFrom(...PROVIDERS), anyString).map(([t, p, l]) => encodeGlobalId(t, p, l)),
    );
    const query = /* GraphQL */ `
      query ($id: ID!, $ids: [ID!]!, $reps: [_Any!]!) {
        node(id: $id) { id __typename }
        campaign(id: $id) { id name }
        nodes(ids: $ids) { id }
        _entities(representations: $reps) { ... on Campaign { id } ... on SendLog { id } ... on EmailLog { id } }
      }`;
    // `_Any` is any JSON: representations of every shape, next to the ones built from the ids.
    const representation = fc.oneof(
      json.filter((value) => value !== null),
      fc.record(
        { __typename: fc.oneof(fc.constantFrom('Campaign', 'SendLog', 'EmailLog', 'PageInfo', 'Query', '_Service'), anyString), id: fc.oneof(id, json), provider: fc.oneof(fc.constantFrom(...PROVIDERS), json), providerId: fc.oneof(anyString, json) },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(id, fc.array(id, { maxLength: 4 }), fc.array(representation, { maxLength: 3 }), async (one, many, extra) => {
        const reps = [...[one, ...many].map((value, i) => ({ __typename: ['Campaign', 'SendLog', 'EmailLog'][i % 3], id: value })), ...extra];
        const answer = await post(h, query, { id: one, ids: many, reps });
        expect(answer.status).toBe(200);
        expect(answer.body.data).toBeTruthy();
      }),
      { numRuns: runs(80) },
    );
  });

  it('provider ids: any string as campaignByProviderId(providerId:) or a `provider providerId` reference is null or BAD_USER_INPUT', async ({ startHarness }) => {
    const h = await startHarness(HARNESS);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROVIDERS), anyString, async (provider, providerId) => {
        const answer = await post(
          h,
          `query ($provider: Provider!, $providerId: String!, $reps: [_Any!]!) {
            campaignByProviderId(provider: $provider, providerId: $providerId) { id name status }
            _entities(representations: $reps) { ... on Campaign { id } }
          }`,
          { provider, providerId, reps: [{ __typename: 'Campaign', provider, providerId }] },
        );
        expect(answer.status).toBe(200);
      }),
      { numRuns: runs(80) },
    );
  });

  it('DateTimes: any string or ISO date in a filter, as a variable or a literal, is BAD_USER_INPUT or a result', async ({ startHarness }) => {
    const h = await startHarness(HARNESS);
    const now = Date.now();
    const iso = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      // Within Infobip's 48 hours, so the logs are really read.
      fc.integer({ min: now - 47 * 3600_000, max: now + 3600_000 }).map((t) => new Date(t).toISOString()),
      fc.integer({ min: now - 47 * 3600_000, max: now }).map((t) => new Date(t).toISOString().replace('Z', '+00:00').replace('T', 't')),
      fc.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?(Z|[+-]\d{2}:?\d{2})$/),
      fc.constantFrom('0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '2026-02-30T00:00:00Z', '2026-04-15T24:00:00Z', '+275760-09-13T00:00:00.000Z'),
    );
    const dateTime = fc.oneof(iso, anyString, fc.constant(null));
    const literal = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));
    await fc.assert(
      fc.asyncProperty(dateTime, dateTime, dateTime, dateTime, fc.boolean(), async (a, b, c, d, inline) => {
        const answer = inline
          ? await post(
              h,
              `{ sendLogs(first: 2, filter: { startDeliveryFrom: ${literal(a)}, startDeliveryTo: ${literal(b)} }) { edges { node { id startDeliveryAt } } }
                 emailLogs(first: 2, filter: { sentSince: ${literal(c)}, sentUntil: ${literal(d)} }) { edges { node { id sentAt } } } }`,
              undefined,
              ['BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED'],
            )
          : await post(
              h,
              `query ($a: DateTime, $b: DateTime, $c: DateTime, $d: DateTime) {
                sendLogs(first: 2, filter: { startDeliveryFrom: $a, startDeliveryTo: $b }) { edges { node { id startDeliveryAt } } }
                emailLogs(first: 2, filter: { sentSince: $c, sentUntil: $d }) { edges { node { id sentAt } } } }`,
              { a, b, c, d },
            );
        if (!answer.body.errors) expect(answer.body.data.sendLogs.edges).toBeInstanceOf(Array);
      }),
      { numRuns: runs(80) },
    );
  });

  it('filters: any combination of CampaignFilter, SendLogFilter and EmailLogFilter values is BAD_USER_INPUT or a result', async ({ startHarness }) => {
    const h = await startHarness(HARNESS);
    const enumOrJunk = <T extends string>(values: readonly T[]) => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: anyString });
    const list = <T>(item: fc.Arbitrary<T>) => fc.oneof(fc.constant(null), fc.constant([]), fc.array(item, { maxLength: 12 }), fc.array(item, { minLength: 1, maxLength: 3 }).map((xs) => [...xs, ...xs, ...xs]));
    const campaignFilter = fc.option(
      fc.record(
        {
          providers: list(enumOrJunk(PROVIDERS)),
          status: list(enumOrJunk(['DRAFT', 'SCHEDULED', 'SENDING', 'SENT', 'PAUSED', 'CANCELLED', 'FAILED', 'UNKNOWN'] as const)),
        },
        { requiredKeys: [] },
      ),
    );
    const sendLogFilter = fc.option(fc.record({ campaignIds: list(anyString) }, { requiredKeys: [] }));
    const text = fc.oneof(anyString, fc.constant(null));
    const emailLogFilter = fc.option(
      fc.record(
        {
          messageId: text,
          from: text,
          to: text,
          bulkId: text,
          campaignReferenceId: fc.oneof(text, fc.constantFrom('winback-q4', 'weekly-digest-47')),
          generalStatus: fc.oneof(text, fc.constantFrom('DELIVERED', 'PENDING', 'UNDELIVERABLE', 'REJECTED', 'EXPIRED')),
          applicationId: text,
          entityId: text,
        },
        { requiredKeys: [] },
      ),
    );
    const query = /* GraphQL */ `
      query ($cf: CampaignFilter, $sf: SendLogFilter, $ef: EmailLogFilter, $first: Int) {
        campaigns(first: $first, filter: $cf) { totalCount pageInfo { hasNextPage endCursor } edges { node { id provider status } } }
        sendLogs(first: $first, filter: $sf) { totalCount edges { node { id destinationCount } } }
        emailLogs(first: $first, filter: $ef) { edges { node { id to } } }
      }`;
    await fc.assert(
      fc.asyncProperty(campaignFilter, sendLogFilter, emailLogFilter, first, async (cf, sf, ef, n) => {
        const answer = await post(h, query, { cf, sf, ef, first: n });
        if (!answer.body.errors) expect(answer.body.data.campaigns.edges.length).toBeLessThanOrEqual(n ?? 20);
      }),
      { numRuns: runs(80) },
    );
  });

  it('nested connections: any first, status and after on every Campaign connection is BAD_USER_INPUT or a page', async ({ startHarness }) => {
    const h = await startHarness(HARNESS);
    const status = fc.oneof(fc.constant(null), fc.constantFrom('DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED', 'SPAM_REPORT'), anyString);
    const after = fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: anyString });
    const query = /* GraphQL */ `
      query ($first: Int, $inner: Int, $status: RecipientLogStatus, $after: String, $providers: [Provider!]) {
        campaigns(first: $first, filter: { providers: $providers }) { edges { node {
          id stats { sent openRate bounceRate }
          recipientLogs(first: $inner, status: $status, after: $after) { edges { node { toEmail status } } pageInfo { hasNextPage } }
          sendLogs(first: $inner, after: $after) { totalCount edges { node { id destinationCount } } }
          emailLogs(first: $inner, after: $after) { edges { node { id } } }
        } } }
        infobip: campaignByProviderId(provider: INFOBIP, providerId: "winback-q4") { stats { sent delivered } emailLogs(first: $inner, after: $after) { edges { node { id status { groupName } } } } }
      }`;
    const providers = fc.option(fc.subarray(['MIGMA', 'DRIPCEL', 'EMAILSENDX'], { minLength: 1 }));
    await fc.assert(
      fc.asyncProperty(first, first, status, after, providers, async (n, inner, s, a, p) => {
        const answer = await post(h, query, { first: n, inner, status: s, after: a, providers: p });
        if (!answer.body.errors) expect(answer.body.data.campaigns.edges.length).toBeLessThanOrEqual(n ?? 20);
      }),
      { numRuns: runs(50) },
    );
  });

  it('cursors: garbage, edited, foreign and forged (signed, any position) cursors are BAD_USER_INPUT or a page', async ({ startHarness }) => {
    const h = await startHarness(HARNESS);
    // One real cursor from each connection, and the query that takes it back.
    const seed = await post(
      h,
      `{ campaigns(first: 2) { pageInfo { endCursor } }
         migma: campaigns(first: 20, filter: { providers: [MIGMA] }) { edges { node { providerId recipientLogs(first: 1) { pageInfo { endCursor } } } } }
         dripcel: campaigns(first: 1, filter: { providers: [DRIPCEL] }) { edges { node { providerId sendLogs(first: 1) { pageInfo { endCursor } } } } }
         infobip: campaignByProviderId(provider: INFOBIP, providerId: "winback-q4") { providerId emailLogs(first: 1) { pageInfo { endCursor } } }
         sendLogs(first: 1) { pageInfo { endCursor } }
         emailLogs(first: 1) { pageInfo { endCursor } } }`,
    );
    const d = seed.body.data;
    const migma = d.migma.edges.map((e: any) => e.node).find((node: any) => node.recipientLogs?.pageInfo.endCursor);
    const migmaId = migma.providerId as string;
    const dripcelId = d.dripcel.edges[0].node.providerId as string;
    const connections = [
      { name: 'campaigns', scope: { providers: null, statuses: null }, real: d.campaigns.pageInfo.endCursor, query: `query ($after: String) { campaigns(first: 3, after: $after) { edges { node { id } } } }` },
      {
        name: 'Campaign.recipientLogs',
        scope: { campaign: migmaId, status: null },
        real: migma.recipientLogs.pageInfo.endCursor,
        query: `query ($after: String) { campaignByProviderId(provider: MIGMA, providerId: ${JSON.stringify(migmaId)}) { recipientLogs(first: 3, after: $after) { edges { node { toEmail } } } } }`,
      },
      {
        name: 'Campaign.sendLogs',
        scope: { campaign: dripcelId },
        real: d.dripcel.edges[0].node.sendLogs.pageInfo.endCursor,
        query: `query ($after: String) { campaignByProviderId(provider: DRIPCEL, providerId: ${JSON.stringify(dripcelId)}) { sendLogs(first: 3, after: $after) { edges { node { id } } } } }`,
      },
      {
        name: 'Campaign.emailLogs',
        scope: { campaignReferenceId: 'winback-q4' },
        real: d.infobip.emailLogs.pageInfo.endCursor,
        query: `query ($after: String) { campaignByProviderId(provider: INFOBIP, providerId: "winback-q4") { emailLogs(first: 3, after: $after) { edges { node { id } } } } }`,
      },
      { name: 'sendLogs', scope: { campaignIds: null, startDeliveryFrom: null, startDeliveryTo: null }, real: d.sendLogs.pageInfo.endCursor, query: `query ($after: String) { sendLogs(first: 3, after: $after) { edges { node { id } } } }` },
      { name: 'emailLogs', scope: {}, real: d.emailLogs.pageInfo.endCursor, query: `query ($after: String) { emailLogs(first: 3, after: $after) { edges { node { id } } } }` },
    ];
    for (const c of connections) expect(c.real, c.name).toEqual(expect.any(String));

    // Positions each codec must check: numbers of every size, shapes of every other connection's positions.
    const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e21, 1e300, -1e300, Number.MAX_SAFE_INTEGER, 8.64e15, 8.64e15 + 1, -8.64e15 - 1));
    const position = fc.oneof(
      json,
      number,
      fc.tuple(fc.oneof(fc.constantFrom(...PROVIDERS), json), number),
      fc.tuple(fc.oneof(fc.constant(null), anyString), number),
      fc.tuple(number, fc.array(fc.oneof(anyString, json), { maxLength: 3 })),
      // Infobip's [instant, ids at that instant], with as many ids as a real cursor can hold and more.
      fc.tuple(fc.oneof(number, fc.integer({ min: Date.now() - 48 * 3600_000, max: Date.now() })), fc.integer({ min: 0, max: 1200 }).map((n) => Array.from({ length: n }, (_, i) => `m${i}`))),
    );
    const cursor = fc.oneof(
      anyString,
      // A real cursor with one character changed.
      fc.tuple(fc.nat(), fc.constantFrom(...'AZaz09-_.=')).map(([at, char]) => ({ edit: at, char })),
      // A real cursor of another connection (`edit` marks "the cursor of connection #n").
      fc.nat({ max: connections.length - 1 }).map((n) => ({ other: n })),
      // Forged with the default (public) key: the right connection and scope, any position.
      position.map((p) => ({ forged: p })),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: connections.length - 1 }), cursor, async (n, spec) => {
        const c = connections[n]!;
        let after: string;
        if (typeof spec === 'string') after = spec;
        else if ('edit' in spec) {
          const at = spec.edit % c.real.length;
          after = c.real.slice(0, at) + (c.real[at] === spec.char ? (spec.char === 'A' ? 'B' : 'A') : spec.char) + c.real.slice(at + 1);
        } else if ('other' in spec) after = connections[spec.other]!.real;
        else after = encodeCursor(c.name, c.scope, spec.forged);
        const answer = await post(h, c.query, { after });
        expect(answer.status).toBe(200);
        if (typeof spec === 'object' && 'other' in spec && spec.other !== n) expect(answer.body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      }),
      { numRuns: runs(120) },
    );
  });
});

/** Pieces of GraphQL documents: random sequences are GraphQL-ish text, mostly invalid. */
const TOKENS = [
  '{', '}', '(', ')', '[', ']', ':', '!', '$', '@', '...', '=', '|', '&', ',', '"', '"""', '#', '\n',
  'query', 'mutation', 'subscription', 'fragment', 'on', 'schema', 'type', 'input', 'directive', 'extend',
  'campaigns', 'campaign', 'node', 'nodes', 'sendLogs', 'emailLogs', 'campaignByProviderId', '_entities', '_service', 'sdl',
  '__typename', '__schema', '__type', 'edges', 'node', 'id', 'name', 'stats', 'pageInfo', 'endCursor', 'totalCount',
  'recipientLogs', 'destinations', 'Campaign', 'SendLog', 'EmailLog', 'Node', 'Query',
  'first', 'after', 'filter', 'ids', 'provider', 'providerId', 'status', 'providers', 'sentSince', 'representations',
  '1', '0', '-1', '501', '1.5', '1e999', '99999999999999999999', 'true', 'false', 'null', 'MIGMA', 'INFOBIP', 'SENT', 'BOGUS',
  '"x"', '"\\u0000"', '"\\ud800"', '"2026-04-15T10:00:00Z"', '$v', '$first', 'Int', 'String', 'ID', 'DateTime', '@include(if: true)', '@skip(if: $v)', '@defer', '@stream',
];
const graphqlish = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((tokens) => tokens.join(' '));

/** How deep a client may nest: shallow, around where recursion gets expensive, past the stack. */
const depth = fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 500, max: 5000 }), fc.integer({ min: 20_000, max: 200_000 }));
/** JSON text nested `depth` levels deep (JSON.parse copes; JSON.stringify and other recursive code may not). */
const deepJsonText = fc
  .tuple(fc.constantFrom(['[', ']'], ['{"a":', '}'], ['{"__typename":"Campaign","id":', '}'], ['[{"x":', '}]']), depth)
  .map(([[open, close], n]) => `${open.repeat(n)}1${close.repeat(n)}`);
/** GraphQL documents nested `depth` levels deep: selections, list types, list and object values. */
const deepDocument = fc
  .tuple(
    fc.constantFrom(
      (n: number) => `{${'a{'.repeat(n)}b${'}'.repeat(n)}}`,
      (n: number) => `{ campaigns(first: 1) ${'{ edges { node { sendLogs(first: 1) '.repeat(n)}{ totalCount }${' } } }'.repeat(n)} }`,
      (n: number) => `query ($v: ${'['.repeat(n)}Int${']'.repeat(n)}) { __typename }`,
      (n: number) => `{ nodes(ids: ${'['.repeat(n)}"x"${']'.repeat(n)}) { id } }`,
      (n: number) => `{ campaigns(filter: ${'{ providers: '.repeat(n)}MIGMA${' }'.repeat(n)}) { totalCount } }`,
      (n: number) => `{ ${'...on Query{'.repeat(n)}__typename${'}'.repeat(n)} }`,
    ),
    depth,
  )
  .map(([write, n]) => write(Math.min(n, 50_000)));

/** Small valid-looking operations with variables, to be sent with variables of the wrong types. */
const OPERATIONS = [
  'query A($first: Int, $after: String) { campaigns(first: $first, after: $after) { edges { node { id } } } }',
  'query B($id: ID!) { node(id: $id) { id } }',
  'query C($ids: [ID!]!) { nodes(ids: $ids) { id } }',
  'query D($f: CampaignFilter) { campaigns(first: 1, filter: $f) { totalCount } }',
  'query E($f: SendLogFilter, $first: Int) { sendLogs(first: $first, filter: $f) { edges { node { id } } } }',
  'query F($f: EmailLogFilter) { emailLogs(first: 1, filter: $f) { edges { node { id } } } }',
  'query G($p: Provider!, $id: String!) { campaignByProviderId(provider: $p, providerId: $id) { id } }',
  'query H($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
  'query I($v: Boolean!) { campaigns(first: 1) @include(if: $v) { totalCount } }',
  'query J { _service { sdl } }',
  'mutation K { campaigns }',
  'subscription L { campaigns }',
  'query M { campaigns(first: 1) { edges { node { id stats { sent openRate } sendLogs(first: 1) { totalCount } } } } }',
  // Invalid against the schema (GRAPHQL_VALIDATION_FAILED): unknown field, unused variable, wrong literal, unknown fragment, introspection in production.
  'query N { nope }',
  'query O($x: Int) { __typename }',
  'query P { campaigns(first: "x") { totalCount } }',
  'query Q { ...F }',
  'query R { __schema { types { name } } }',
];

describe('properties of whole request bodies (fast-check)', () => {
  it('any JSON body, any `query` string, GraphQL-ish text, wrong variables and unknown operation names: < 500, in time, every error coded', async ({ startHarness }) => {
    const h = await startHarness(PRODUCTION);
    const document = fc.oneof(
      fc.constantFrom(...OPERATIONS),
      fc.subarray(OPERATIONS, { minLength: 2 }).map((ops) => ops.join('\n')),
      graphqlish,
      anyString,
      deepDocument,
    );
    const requestObject = fc.record(
      {
        query: fc.oneof({ weight: 4, arbitrary: document }, { weight: 1, arbitrary: json }),
        variables: fc.oneof(
          json,
          fc.dictionary(fc.constantFrom('first', 'after', 'id', 'ids', 'f', 'p', 'r', 'v', 'x'), json),
          fc.dictionary(fc.constantFrom('first', 'after', 'id', 'ids', 'f', 'p', 'r', 'v'), anyString),
        ),
        operationName: fc.oneof(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRZ', ''), json),
        extensions: json,
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      { weight: 1, arbitrary: json.map((value) => JSON.stringify(value)) },
      { weight: 4, arbitrary: requestObject.map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.array(requestObject, { maxLength: 3 }).map((value) => JSON.stringify(value)) },
      // Not JSON at all (known: 400), or JSON cut short.
      { weight: 1, arbitrary: anyString },
      { weight: 1, arbitrary: requestObject.map((value) => JSON.stringify(value)).chain((text) => fc.nat({ max: text.length }).map((n) => text.slice(0, n))) },
      // Deeply nested JSON in each place a body holds JSON.
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(...OPERATIONS), fc.constantFrom('variables', 'extensions', 'operationName', 'query', 'unused', 'r'), deepJsonText)
          .map(([query, where, deep]) =>
            where === 'r' ? `{"query":${JSON.stringify(OPERATIONS[7])},"variables":{"r":[${deep}]}}` : where === 'unused' ? `{"query":${JSON.stringify(query)},"variables":{"unused":${deep}}}` : `{"query":${JSON.stringify(query)},${JSON.stringify(where)}:${deep}}`,
          ),
      },
    );
    const plausible = fc
      .tuple(fc.constantFrom(...OPERATIONS), fc.constantFrom('its own', 'none', 'unknown'), requestObject.map((r) => r.variables))
      .map(([query, name, variables]) =>
        JSON.stringify({ query, variables, operationName: name === 'none' ? undefined : name === 'unknown' ? 'Z' : /^\w+ (\w+)/.exec(query)?.[1] }),
      );
    // The GraphQL multipart request spec (file uploads), which yoga reads by default: any operations, any map.
    const part = (name: string, value: string, file = false) =>
      `--x\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="a.txt"\r\nContent-Type: text/plain' : ''}\r\n\r\n${value}\r\n`;
    const multipart = fc
      .record(
        {
          operations: fc.oneof(requestObject.map((value) => JSON.stringify(value)), fc.array(requestObject, { maxLength: 2 }).map((v) => JSON.stringify(v)), anyString),
          map: fc.oneof(
            json.map((value) => JSON.stringify(value)),
            fc.dictionary(fc.constantFrom('0', '1', 'x'), fc.array(fc.constantFrom('variables.file', 'variables', '0.variables.f', '__proto__.polluted', 'variables.a.b.c', 'query', ''), { maxLength: 3 })).map((m) => JSON.stringify(m)),
            anyString,
          ),
          file: anyString,
        },
        { requiredKeys: [] },
      )
      .map(({ operations, map, file }) =>
        [operations === undefined ? '' : part('operations', operations), map === undefined ? '' : part('map', map), file === undefined ? '' : part('0', file, true), '--x--\r\n'].join(''),
      );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json',
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'application/graphql',
      'application/graphql+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'multipart/form-data',
      'application/octet-stream',
      '',
    );
    const accept = fc.constantFrom(
      'application/graphql-response+json, application/json',
      'application/graphql-response+json, application/json',
      'application/json',
      'application/json',
      'application/graphql-response+json',
      'text/event-stream',
      'multipart/mixed',
      'text/html',
      '*/*',
      'image/png',
      '',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: fc.tuple(body, contentType) },
          { weight: 1, arbitrary: fc.tuple(multipart, fc.constant('multipart/form-data; boundary=x')) },
          // Requests a client could mean: one of the operations, its name or none, variables of any type.
          { weight: 3, arbitrary: fc.tuple(plausible, fc.constant('application/json')) },
        ),
        accept,
        async ([payload, type], acceptHeader) => {
        const headers: Record<string, string> = {};
        if (type) headers['content-type'] = type;
        if (acceptHeader) headers.accept = acceptHeader;
        await send(h.url, { method: 'POST', headers, body: payload });
      }),
      { numRuns: runs(200) },
    );
  });

  it('GATEWAY_API_TOKENS: any Authorization header but a configured token is 401 UNAUTHENTICATED, and nothing runs', async ({ startHarness }) => {
    const tokens = ['tok_live_4f8a9c', 'second-token'];
    const h = await startHarness({ ...PRODUCTION, env: { ...PRODUCTION.env, GATEWAY_API_TOKENS: tokens.join(',') } });
    // What a header value can carry (fetch refuses control characters): printable Latin-1.
    const latin1 = fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa1, max: 0xff })).map((c) => String.fromCharCode(c)) });
    const header = fc.oneof(
      latin1,
      latin1.map((t) => `Bearer ${t}`),
      fc.constantFrom(...tokens).map((t) => `Bearer ${t}`),
      fc.tuple(fc.constantFrom(...tokens), fc.constantFrom('bearer ', 'BEARER  ', 'Bearer\t', 'Basic ', 'Bearer', 'Bearer x'), fc.constantFrom('', ' ', 'x', '\u00e9'))
        .map(([t, scheme, tail]) => `${scheme}${t}${tail}`),
      fc.constantFrom(...tokens).map((t) => `Bearer ${t.slice(0, -1)}`),
    ).filter((value) => value.trim() !== ''); // fetch refuses to send an empty one; it trims the rest, as any client would
    await fc.assert(
      fc.asyncProperty(fc.option(header), async (authorization) => {
        h.resetCalls();
        const headers: Record<string, string> = { ...JSON_HEADERS, ...(authorization === null ? {} : { authorization }) };
        const answer = await send(h.url, { method: 'POST', headers, body: JSON.stringify({ query: '{ campaigns(first: 1) { totalCount } }' }) });
        const token = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1]?.trim() : undefined;
        if (token !== undefined && tokens.includes(token)) {
          expect(answer.status).toBe(200);
        } else {
          expect([answer.status, answer.body?.errors?.map((e: any) => e.extensions.code)]).toEqual([401, ['UNAUTHENTICATED']]);
          expect(Object.values(h.simulators).reduce((n, sim) => n + sim!.calls.length, 0)).toBe(0);
        }
      }),
      { numRuns: runs(60) },
    );
  });

  it('GET with any query string, any method on /graphql and any path: < 500, in time, every error coded', async ({ startHarness }) => {
    const h = await startHarness(PRODUCTION);
    // (Deep values stay short enough for a URL: the server's 16 KiB header limit answers longer ones with 431.)
    const shallowDeep = (text: fc.Arbitrary<string>) => text.filter((t) => t.length < 12_000);
    const param = fc.tuple(
      fc.constantFrom('query', 'variables', 'operationName', 'extensions', 'x', ''),
      fc.oneof(fc.constantFrom(...OPERATIONS), graphqlish, anyString, json.map((v) => JSON.stringify(v)), shallowDeep(deepDocument), shallowDeep(deepJsonText)),
    );
    const queryString = fc.oneof(
      fc.array(param, { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString()),
      // Raw, not encoded: fetch percent-encodes what a URL cannot hold, the rest reaches the gateway as is.
      fc.string({ unit: 'binary-ascii', maxLength: 200 }),
      fc.webQueryParameters(),
    );
    const request = fc.oneof(
      { weight: 4, arbitrary: queryString.map((q) => ({ method: 'GET', path: '/graphql', q })) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'GET', 'POST'), queryString).map(([method, q]) => ({ method, path: '/graphql', q })) },
      { weight: 1, arbitrary: fc.tuple(fc.webPath(), queryString).map(([path, q]) => ({ method: 'GET', path: path || '/', q })) },
    );
    const accept = fc.constantFrom('application/graphql-response+json, application/json', 'application/json', 'text/html', '*/*', 'text/event-stream', '');
    const base = h.url.replace(/\/graphql$/, '');
    await fc.assert(
      fc.asyncProperty(request, accept, async ({ method, path, q }, acceptHeader) => {
        await send(`${base}${path}?${q}`, { method, headers: acceptHeader ? { accept: acceptHeader } : {} });
      }),
      { numRuns: runs(200) },
    );
  });
});
