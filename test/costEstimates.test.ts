import { Kind, parse, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CostEstimates } from '../src/limits/costEstimates.js';
import { estimateCost, fieldCosts, type CostEstimate } from '../src/limits/costModel.js';
import { PROVIDER_DEFINITIONS } from '../src/providers/registry.js';
import { resolvers } from '../src/resolvers/index.js';
import { buildExecutableSchema } from '../src/schema.js';

const schema = buildExecutableSchema(resolvers);
const costs = fieldCosts(PROVIDER_DEFINITIONS);
const providers = PROVIDER_DEFINITIONS.map((d) => d.name);

function direct(document: DocumentNode, variables: Record<string, unknown>, onVariable?: (name: string) => void): CostEstimate {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  return estimateCost(schema, operation, fragments, variables, costs, providers, onVariable);
}

/** A CostEstimates with a counter of the estimates it really worked out. */
function counted(estimates = new CostEstimates()) {
  let worked = 0;
  return {
    get worked() {
      return worked;
    },
    estimate(document: DocumentNode, variables: Record<string, unknown>) {
      return estimates.estimate(document, undefined, variables, (onVariable) => {
        worked++;
        return direct(document, variables, onVariable);
      });
    },
  };
}

describe('cost estimates reused across requests', () => {
  it('prices a document once when only variables no price reads change (a different campaign per request)', () => {
    const document = parse(`query($id: String!, $n: Int) { campaignByProviderId(provider: MIGMA, providerId: $id) {
      stats { sent } recipientLogs(first: $n) { edges { node { toEmail } } } } }`);
    const estimates = counted();
    const read: string[] = [];
    direct(document, { id: 'a', n: 50 }, (name) => read.push(name));
    expect(new Set(read)).toEqual(new Set(['n'])); // providerId is never read by a price
    for (const id of ['a', 'b', 'c', 'd']) expect(estimates.estimate(document, { id, n: 50 })).toEqual(direct(document, { id, n: 50 }));
    expect(estimates.worked).toBe(1);
    // A value a price reads is another estimate, and right.
    expect(estimates.estimate(document, { id: 'a', n: 500 })).toEqual(direct(document, { id: 'a', n: 500 }));
    expect(estimates.estimate(document, { id: 'a', n: 500 }).calls).toBeGreaterThan(estimates.estimate(document, { id: 'a', n: 50 }).calls);
    expect(estimates.worked).toBe(2);
    // Absent and null are told apart in the key, and each is right.
    expect(estimates.estimate(document, { id: 'a' })).toEqual(direct(document, { id: 'a' }));
    expect(estimates.estimate(document, { id: 'a', n: null })).toEqual(direct(document, { id: 'a', n: null }));
    expect(estimates.worked).toBe(4);
  });

  it('agrees with pricing every request, where one variable decides which others are read', () => {
    const document = parse(`query($p: Provider, $f: CampaignFilter, $n: Int, $m: Int, $id: String!) {
      campaigns(first: $n, filter: $f) { totalCount edges { node { recipientLogs(first: $m) { edges { node { toEmail } } } } } }
      campaignByProviderId(provider: $p, providerId: $id) { stats { sent } sendLogs(first: $m) { edges { node { destinations } } } } }`);
    const estimates = counted();
    const cases: Record<string, unknown>[] = [];
    for (const p of [undefined, null, 'MIGMA', 'INFOBIP', 'DRIPCEL']) {
      for (const f of [undefined, { providers: ['DRIPCEL'] }, { providers: [] }, { providers: ['MIGMA', 'EMAILSENDX'] }]) {
        for (const n of [undefined, 3, 500]) for (const m of [7, 2000]) for (const id of ['x', 'y']) cases.push({ p, f, n, m, id });
      }
    }
    const worked: number[] = [];
    for (const round of [1, 2]) {
      for (const variables of cases) expect(estimates.estimate(document, variables), `${JSON.stringify(variables)} round ${round}`).toEqual(direct(document, variables));
      worked.push(estimates.worked);
    }
    // `$id` is read by no price: the cases that differ only in it share an estimate already in round 1.
    expect(worked[0]).toBeLessThanOrEqual(cases.length / 2);
    expect(worked[1]).toBe(worked[0]); // the second round is all reuse
  });

  it('keeps no key longer than its bound, and at most so many values per shape, oldest dropped first', () => {
    const document = parse('query($ids: [ID!]!) { nodes(ids: $ids) { id } }');
    const estimates = counted(new CostEstimates({ shapes: 8, valuesPerShape: 2, maxKeyLength: 40 }));
    const long = Array.from({ length: 20 }, (_, i) => `Campaign:${i}`);
    expect(estimates.estimate(document, { ids: long }).calls).toBe(20);
    expect(estimates.estimate(document, { ids: long }).calls).toBe(20);
    expect(estimates.worked).toBe(2); // too long to key: worked out every time

    const other = parse('query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }');
    const bounded = counted(new CostEstimates({ shapes: 8, valuesPerShape: 2, maxKeyLength: 1024 }));
    bounded.estimate(other, { ids: ['a'] });
    bounded.estimate(other, { ids: ['a', 'b'] });
    bounded.estimate(other, { ids: ['a', 'b', 'c'] }); // drops ['a']
    expect(bounded.worked).toBe(3);
    expect(bounded.estimate(other, { ids: ['a', 'b', 'c'] }).calls).toBe(3);
    expect(bounded.worked).toBe(3);
    expect(bounded.estimate(other, { ids: ['a'] }).calls).toBe(1);
    expect(bounded.worked).toBe(4);
  });

  it('keeps documents apart, and operations of one document apart', () => {
    const estimates = new CostEstimates();
    const document = parse('query A { campaignByProviderId(provider: MIGMA, providerId: "c") { stats { sent } } } query B { sendLogs(first: 100) { edges { node { destinations } } } }');
    const operation = (name: string) => document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name) as OperationDefinitionNode;
    const work = (name: string) => () => estimateCost(schema, operation(name), new Map(), {}, costs, providers);
    expect(estimates.estimate(document, 'A', {}, work('A')).calls).toBe(2);
    expect(estimates.estimate(document, 'B', {}, work('B')).calls).toBe(102);
    expect(estimates.estimate(document, 'A', {}, work('B')).calls).toBe(2); // reused, not B's
    const copy = parse('query A { campaignByProviderId(provider: MIGMA, providerId: "c") { stats { sent } } }');
    expect(estimates.estimate(copy, 'A', {}, () => ({ calls: 9, rows: 0, cost: 9 })).calls).toBe(9); // another document object: worked out
  });
});
