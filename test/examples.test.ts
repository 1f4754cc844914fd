import { readFileSync, readdirSync } from 'node:fs';
import { composeServices } from '@theguild/federation-composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse, print, type DefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from '../src/gateway.js';
import { buildSubgraphSchemaFromSdl } from '../src/schema.js';
import { startHarness, type Harness } from './support/harness.js';

const DOCS = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`), ...readdirSync('docs/providers').map((f) => `docs/providers/${f}`)];

function graphqlBlocks(): Array<{ file: string; text: string }> {
  return DOCS.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => ({ file, text: m[1]! })));
}

/** Each operation of a block on its own (a block may show several), with the block's fragments. */
function operationsOf(text: string): string[] {
  const document = parse(text);
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  return document.definitions
    .filter((d): d is DefinitionNode & { kind: Kind.OPERATION_DEFINITION } => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }));
}

/** True when some list or object in the answer holds something: an example that answers nothing shows nothing. */
function holdsData(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.some(holdsData);
  if (value && typeof value === 'object') return Object.values(value).some(holdsData);
  return value !== null && value !== undefined;
}

describe('the examples in the README and docs run as written', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX', 'INFOBIP'], env: { MIGMA_PROJECT_ID: 'proj_demo' } });
  });
  afterAll(() => h.close());

  const queries = [{ file: 'GraphiQL default', text: DEFAULT_QUERY }, ...graphqlBlocks().filter((b) => !/@key|@link/.test(b.text))];
  it('there are examples to run', () => {
    expect(queries.length).toBeGreaterThanOrEqual(3);
  });
  for (const { file, text } of queries) {
    for (const operation of operationsOf(text)) {
      it(`${file}: ${operation.replace(/\s+/g, ' ').slice(0, 80)}`, async () => {
        const res = await h.query(operation);
        expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
        expect(holdsData(res.data), JSON.stringify(res.data)).toBe(true);
      });
    }
  }

  it('the subgraph example of docs/federation.md composes with ours exactly as written', () => {
    const subgraphs = graphqlBlocks().filter((b) => /@key|@link/.test(b.text));
    expect(subgraphs.map((b) => b.file)).toEqual(['docs/federation.md']);
    const result = composeServices([
      { name: 'campaign-graph', typeDefs: parse(printSubgraphSchema(buildSubgraphSchemaFromSdl())), url: 'http://campaign-graph.local/graphql' },
      { name: 'shop', typeDefs: parse(subgraphs[0]!.text), url: 'http://shop.local/graphql' },
    ]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.supergraphSdl).toContain('revenue: Float');
  });
});
