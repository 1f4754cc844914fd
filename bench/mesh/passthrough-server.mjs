// Ceiling: a bare graphql-yoga pass-through of the Mesh scenario. The scenario's schema, with
// resolvers that call the Migma simulator with undici directly: no cache, no limits, no metrics,
// no logs, no retries, no error mapping. What the issue calls "a bare yoga pass-through", the same
// graphql-yoga and undici campaign-graph uses (resolved from the repository root). Listens on
// 127.0.0.1, port 0; prints `listening on <url>`. MIGMA_BASE_URL and MIGMA_API_KEY point it at the simulator.
import { createServer } from 'node:http';
import { fraction, get, root } from './ceilingUpstream.mjs';

const { createSchema, createYoga } = root('graphql-yoga');

const typeDefs = /* GraphQL */ `
  enum Provider { MIGMA }
  type Query { campaignByProviderId(provider: Provider!, providerId: String!): Campaign }
  type Campaign { stats: Stats recipientLogs(first: Int = 20): RecipientLogConnection! }
  type Stats {
    sent: Int delivered: Int opens: Int uniqueOpens: Int clicks: Int uniqueClicks: Int bounces: Int unsubscribes: Int
    openRate: Float clickRate: Float lastUpdated: String
  }
  type RecipientLogConnection { edges: [RecipientLogEdge!]! }
  type RecipientLogEdge { node: RecipientLog! }
  type RecipientLog { toEmail: String! status: String! openCount: Int! }
`;
const resolvers = {
  Query: { campaignByProviderId: (_, { providerId }) => ({ path: `/v1/campaigns/${encodeURIComponent(providerId)}` }) },
  Campaign: {
    async stats({ path }) {
      const s = (await get(`${path}/stats`)).data;
      return {
        sent: s.totalSent, delivered: s.totalDelivered, opens: s.totalOpens, uniqueOpens: s.uniqueOpens, clicks: s.totalClicks,
        uniqueClicks: s.uniqueClicks, bounces: s.bounces, unsubscribes: s.unsubscribes,
        openRate: fraction(s.uniqueOpens, s.totalDelivered), clickRate: fraction(s.uniqueClicks, s.totalDelivered),
        lastUpdated: new Date(s.lastUpdated).toISOString(),
      };
    },
    async recipientLogs({ path }, { first }) {
      const rows = (await get(`${path}/logs?limit=${first}`)).data.emails.slice(0, first);
      return { edges: rows.map((r) => ({ node: { toEmail: r.to_email, status: r.status, openCount: r.open_count ?? 0 } })) };
    },
  },
};

const yoga = createYoga({ schema: createSchema({ typeDefs, resolvers }), graphiql: false, landingPage: false, logging: false });
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/graphql`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
