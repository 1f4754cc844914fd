import { getIntrospectionQuery, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandedFieldCount } from '../src/execution/compiledExecution.js';
import { migmaDemoData } from '../src/providers/migma/demoData.js';
import { startHarness, type Harness } from './support/harness.js';

const operationOf = (text: string) => {
  const document = parse(text);
  return { document, operation: document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode };
};

/** `levels` fragments, each spreading the next twice: 2^levels leaf fields once expanded. */
function fragmentBomb(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1 ? `fragment F${i} on Campaign { id }` : `fragment F${i} on Campaign { ...F${i + 1} ... on Campaign { ...F${i + 1} } }`,
  );
  return `query Bomb { campaigns(first: 1) { edges { node { ...F0 } } } } ${fragments.join(' ')}`;
}

describe('expandedFieldCount', () => {
  it('counts every field with fragments expanded in place, each fragment sized once', () => {
    const { document, operation } = operationOf(`
      query Q { a { ...F b { ...F } } c }
      fragment F on T { x y { z } ... on T { w } }`);
    // a, b, c = 3; F = x, y, z, w = 4, spread twice = 8.
    expect(expandedFieldCount(document, operation, 1000)).toBe(11);
  });

  it('stops past the cap: 2^40 expanded fields cost no more than the document to count', () => {
    const { document, operation } = operationOf(fragmentBomb(40));
    const started = performance.now();
    expect(expandedFieldCount(document, operation, 2000)).toBe(2001);
    expect(performance.now() - started).toBeLessThan(1000);
    // Small bombs are counted exactly: 4 fields outside the fragments, 2^9 leaves.
    const small = operationOf(fragmentBomb(10));
    expect(expandedFieldCount(small.document, small.operation, 100_000)).toBe(3 + 2 ** 9);
  });

  it('an unknown fragment or a cycle counts as over the cap', () => {
    const unknown = operationOf('query Q { a { ...Missing } }');
    expect(expandedFieldCount(unknown.document, unknown.operation, 10)).toBe(11);
    const cycle = operationOf('query Q { a { ...A } } fragment A on T { x ...B } fragment B on T { ...A }');
    expect(expandedFieldCount(cycle.document, cycle.operation, 10)).toBe(11);
  });
});

describe('compiled execution over HTTP (Migma and EmailSendX simulators)', () => {
  let h: Harness;
  // Campaigns with at least 10 log rows.
  const demo = migmaDemoData();
  const migmaIds = demo.campaigns.map((c) => c.id).filter((id) => (demo.logs[id]?.length ?? 0) >= 10);

  beforeAll(async () => {
    h = await startHarness({ providers: ['MIGMA', 'EMAILSENDX'], env: { GATEWAY_COMPILE_AFTER_USES: '3' } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  async function executions(): Promise<{ compiled: number; interpreted: number }> {
    const text = await (await fetch(h.url.replace(/\/graphql$/, '/metrics'))).text();
    const value = (engine: string) => Number(new RegExp(`^executions_total\\{engine="${engine}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { compiled: value('compiled'), interpreted: value('interpreted') };
  }

  /** Runs the same request `times` times; every answer and the upstream calls each cost. */
  async function repeat(times: number, query: string, variables?: Record<string, unknown>) {
    const answers = [];
    for (let i = 0; i < times; i++) {
      h.resetCalls();
      const res = await h.query(query, variables);
      const calls = Object.values(h.simulators).reduce((sum, s) => sum + s!.calls.length, 0);
      answers.push({ status: res.status, data: res.data, errors: res.errors, extensions: (JSON.parse(res.text) as { extensions?: unknown }).extensions, calls });
    }
    return answers;
  }

  it('a document runs interpreted twice, compiled from its third use, with the same answers and upstream calls', async () => {
    const query = `query Detail($id: String!, $first: Int) {
      campaignByProviderId(provider: MIGMA, providerId: $id) {
        id provider providerId name status sentAt
        stats { sent delivered opens uniqueOpens clicks openRate clickRate lastUpdated source }
        recipientLogs(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { toEmail status openCount openedAt createdAt campaign { id name } } } }
      }
      campaigns(first: 3) { edges { node { __typename id provider name stats { openRate } } } pageInfo { hasNextPage } }
    }`;
    const before = await executions();
    const answers = await repeat(5, query, { id: migmaIds[0], first: 7 });
    const after = await executions();
    expect(after.interpreted - before.interpreted).toBe(2);
    expect(after.compiled - before.compiled).toBe(3);
    expect(answers[0]!.errors).toBeUndefined();
    expect(answers[0]!.data.campaignByProviderId.recipientLogs.edges).toHaveLength(7);
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  it('compiled executions run in the request call ledger: the cost report counts their upstream calls', async () => {
    const query = 'query Costed($id: String!) { campaignByProviderId(provider: MIGMA, providerId: $id) { stats { sent } recipientLogs(first: 3) { edges { node { toEmail } } } } }';
    const reports = [];
    for (let i = 0; i < 4; i++) {
      h.resetCalls();
      const res = await h.query(query, { id: migmaIds[3] }, { 'x-cost-report': '1' });
      reports.push({ actual: (JSON.parse(res.text) as { extensions: { cost: { actual: unknown } } }).extensions.cost.actual, calls: h.simulators.MIGMA!.calls.length });
    }
    // Two calls each (stats and logs; the logs read proves the campaign), interpreted or compiled.
    expect(reports).toEqual(Array.from({ length: 4 }, () => ({ actual: { upstreamCalls: 2, cacheHits: 0, sharedCalls: 0 }, calls: 2 })));
  });

  it('introspection and the federation _service field answer the same compiled', async () => {
    const before = await executions();
    const introspection = await repeat(4, getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    expect(introspection[0]!.errors).toBeUndefined();
    expect(introspection[0]!.data.__schema.types.length).toBeGreaterThan(30);
    for (const answer of introspection.slice(1)) expect(answer).toEqual(introspection[0]);
    const sdl = await repeat(4, '{ _service { sdl } }');
    expect(sdl[0]!.data._service.sdl).toContain('type Campaign');
    for (const answer of sdl.slice(1)) expect(answer).toEqual(sdl[0]);
    // The third and fourth run of each were compiled.
    expect((await executions()).compiled - before.compiled).toBe(4);
  });

  it('a cursor from a compiled answer resumes the walk exactly as one from the interpreter', async () => {
    const query = `query Walk($id: String!, $after: String) {
      campaignByProviderId(provider: MIGMA, providerId: $id) { recipientLogs(first: 4, after: $after) { edges { node { toEmail } } pageInfo { endCursor hasNextPage } } }
    }`;
    const first = await repeat(4, query, { id: migmaIds[1] });
    const cursor = first[0]!.data.campaignByProviderId.recipientLogs.pageInfo.endCursor;
    expect(first[3]!.data.campaignByProviderId.recipientLogs.pageInfo.endCursor).toBe(cursor);
    const next = await repeat(2, query, { id: migmaIds[1], after: cursor });
    expect(next[1]).toEqual(next[0]);
    const seen = first[0]!.data.campaignByProviderId.recipientLogs.edges.map((e: { node: { toEmail: string } }) => e.node.toEmail);
    for (const edge of next[0]!.data.campaignByProviderId.recipientLogs.edges) expect(seen).not.toContain(edge.node.toEmail);
  });

  it('upstream failures cost only their fields, with the same codes and paths, compiled or not', async () => {
    const query = `query Broken($bad: String!, $good: String!) {
      bad: campaignByProviderId(provider: MIGMA, providerId: $bad) { name stats { sent } }
      good: campaignByProviderId(provider: MIGMA, providerId: $good) { name }
      missing: campaign(id: "not-an-id") { id }
    }`;
    const answers = await repeat(4, query, { bad: 'no-such-campaign', good: migmaIds[2] });
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    expect(answers[0]!.data.good.name).toBeTruthy();
    expect(answers[0]!.data.bad).toBeNull();
    expect(answers[0]!.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['missing'], 'BAD_USER_INPUT']]);
  });

  it('variables their type cannot hold are BAD_USER_INPUT (400) after the document is compiled too', async () => {
    const query = 'query Page($f: Int) { campaigns(first: $f) { totalCount } }';
    const ok = await repeat(3, query, { f: 2 });
    expect(ok.map((a) => a.status)).toEqual([200, 200, 200]);
    const before = await executions();
    for (const f of ['x', 1e12, 2.5]) {
      const res = await h.query(query, { f });
      expect(res.status, String(f)).toBe(400);
      expect(res.errors?.[0]?.extensions?.code, String(f)).toBe('BAD_USER_INPUT');
    }
    const after = await executions();
    expect(after.compiled).toBe(before.compiled);
  });

  it('list and custom-scalar variables (nodes, _entities) and fragment bombs always run on the interpreter', async () => {
    const list = await h.query('{ campaigns(first: 2) { edges { node { id } } } }');
    const ids = list.data.campaigns.edges.map((e: { node: { id: string } }) => e.node.id);
    const before = await executions();
    const nodes = await repeat(4, 'query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(nodes[3]!.data.nodes.map((n: { id: string }) => n.id)).toEqual(ids);
    const entities = await repeat(4, 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Campaign { id } } }', { r: ids.map((id: string) => ({ __typename: 'Campaign', id })) });
    expect(entities[3]!.data._entities.map((n: { id: string }) => n.id)).toEqual(ids);
    const bomb = await repeat(4, fragmentBomb(12));
    expect(bomb[3]!.errors).toBeUndefined();
    expect(bomb[3]!.data.campaigns.edges[0].node.id).toBe(ids[0]);
    const after = await executions();
    expect(after.compiled).toBe(before.compiled);
    expect(after.interpreted - before.interpreted).toBe(12);
  });
});
