import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateCost, fieldCosts } from '../src/limits/costModel.js';
import { PROVIDER_DEFINITIONS } from '../src/providers/registry.js';
import { resolvers } from '../src/resolvers/index.js';
import { buildExecutableSchema } from '../src/schema.js';

const schema = buildExecutableSchema(resolvers);
const costs = fieldCosts(PROVIDER_DEFINITIONS);
const providers = PROVIDER_DEFINITIONS.map((d) => d.name);

function estimate(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return estimateCost(schema, operation, fragments, variables, costs, providers);
}

describe('the cost model (the worked examples of docs/security.md)', () => {
  it('every resolver that can call a provider has a price', () => {
    const priced = new Set(Object.keys(costs));
    const unpriced: string[] = [];
    for (const [type, fields] of Object.entries(resolvers)) {
      if (!fields || typeof fields !== 'object' || ['CampaignStats', 'Node', 'DateTime'].includes(type)) continue;
      for (const [field, resolve] of Object.entries(fields)) {
        if (typeof resolve !== 'function' || field === 'id' || field.startsWith('__')) continue;
        if (!priced.has(`${type}.${field}`)) unpriced.push(`${type}.${field}`);
      }
    }
    expect(unpriced).toEqual([]);
  });

  it('the dashboard: list pages of three providers plus one stats call per campaign', () => {
    // Migma 1 page + 1, Dripcel 1, EmailSendX 1 page + 1 = 5; stats at most 1 per campaign (30); 30 rows.
    expect(estimate('{ campaigns(first: 30) { edges { node { name stats { sent } } } } }')).toEqual({ calls: 35, rows: 30, cost: 36 });
  });

  it('totalCount adds one probe per listing provider; a provider filter narrows everything', () => {
    expect(estimate('{ campaigns(first: 10) { totalCount edges { node { id } } } }').calls).toBe(5 + 3);
    expect(estimate('{ campaigns(first: 10, filter: { providers: [DRIPCEL] }) { totalCount edges { node { stats { sent } } } } }')).toEqual({ calls: 1 + 1 + 10, rows: 10, cost: 13 });
  });

  it('nested connections multiply', () => {
    const nested = estimate('{ campaigns(first: 500) { edges { node { recipientLogs(first: 500) { edges { node { toEmail } } } } } } }');
    // lists: Migma 5+1, Dripcel 1, EmailSendX 5+1 = 13; recipient logs: 500 campaigns x (5 pages + 1) = 3000.
    expect(nested).toEqual({ calls: 13 + 3000, rows: 500 + 500 * 500, cost: 3013 + 2505 });
  });

  it('lookups, nodes(ids) and the providers a lookup names', () => {
    expect(estimate('{ campaignByProviderId(provider: INFOBIP, providerId: "r") { stats { sent } } }')).toEqual({ calls: 1 + 5, rows: 0, cost: 6 });
    expect(estimate('{ campaignByProviderId(provider: MIGMA, providerId: "c") { stats { sent } } }').calls).toBe(2);
    expect(estimate('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] }).calls).toBe(3);
  });

  it('variables count; an out-of-range first costs nothing (its resolver refuses it with BAD_USER_INPUT before any call)', () => {
    const query = 'query($n: Int) { sendLogs(first: $n) { edges { node { destinations } } } }';
    expect(estimate(query, { n: 100 })).toEqual({ calls: 2 + 100, rows: 100, cost: 103 });
    expect(estimate(query, { n: 1e12 }).rows).toBe(0);
    expect(estimate(query, {}).rows).toBe(20);
  });

  it('fragments are priced once and reused at every spread', () => {
    let fragments = 'fragment F0 on Campaign { stats { sent } }';
    for (let i = 1; i <= 30; i++) fragments += ` fragment F${i} on Campaign { ...F${i - 1} ...F${i - 1} }`;
    const started = performance.now();
    const result = estimate(`{ campaignByProviderId(provider: MIGMA, providerId: "c") { ...F30 } } ${fragments}`);
    expect(performance.now() - started).toBeLessThan(100);
    expect(result.calls).toBe(1 + 2 ** 30);
  });
});
