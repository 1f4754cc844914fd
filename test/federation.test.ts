import { composeServices } from '@theguild/federation-composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSubgraphSchemaFromSdl } from '../src/schema.js';

// A second subgraph as a platform team would write one: it attaches its own data to our campaigns
// by either key, and shares PageInfo.
const ATTRIBUTION = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
  enum Provider { MIGMA DRIPCEL EMAILSENDX INFOBIP }
  type Campaign @key(fields: "provider providerId") {
    provider: Provider!
    providerId: String!
    revenue: Float
  }
  type SendLog @key(fields: "id", resolvable: false) { id: ID! }
  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
  type Query { topCampaign: Campaign }
`;

describe('federation', () => {
  it('the subgraph SDL (npm run schema:print) composes into a supergraph with another subgraph', () => {
    const sdl = printSubgraphSchema(buildSubgraphSchemaFromSdl());
    const result = composeServices([
      { name: 'campaign-graph', typeDefs: parse(sdl), url: 'http://campaign-graph.local/graphql' },
      { name: 'attribution', typeDefs: parse(ATTRIBUTION), url: 'http://attribution.local/graphql' },
    ]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.supergraphSdl).toContain('revenue: Float');
    expect(result.supergraphSdl).toMatch(/type Campaign implements Node[\s\S]*@join__type\(graph: CAMPAIGN_GRAPH, key: "provider providerId"\)/);
    expect(result.supergraphSdl).toMatch(/type EmailLog implements Node[\s\S]*?@join__type\(graph: CAMPAIGN_GRAPH, key: "id"\)/);
  });
});
