import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { buildSubgraphSchemaFromSdl } from '../src/schema.js';
import { it } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';

/**
 * Federation end to end: our subgraph (the harness: real HTTP, the four providers' simulators) and
 * a second one written here, composed with @theguild/federation-composition and served by Hive
 * Gateway's runtime (what `hive-gateway supergraph` runs, in-process on node:http), queried over
 * HTTP. Between the router and campaign-graph sits a counting proxy: the test sees every request
 * the router sends us, its headers and our status.
 */

const ROUTER_TOKEN = 'router-secret-e2e';
const API_TOKEN = 'api-token-e2e';
/**
 * The router's `transportEntries` headers for campaign-graph as docs/federation.md shows them:
 * read from the router's environment (Hive Gateway interpolates `{env.NAME}`).
 */
const SEND_ROUTER_TOKEN: Array<[string, string]> = [['x-router-token', '{env.CAMPAIGN_GRAPH_ROUTER_TOKEN}']];
const SEND_BOTH_TOKENS: Array<[string, string]> = [...SEND_ROUTER_TOKEN, ['authorization', 'Bearer {env.CAMPAIGN_GRAPH_API_TOKEN}']];

// The second subgraph, as a shop's own team would write it: revenue it attributes to campaigns it
// knows by provider and provider id, and a list of those campaigns.
const ATTRIBUTION_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  enum Provider { MIGMA DRIPCEL EMAILSENDX INFOBIP }
  type Campaign @key(fields: "provider providerId") {
    provider: Provider!
    providerId: String!
    revenue: Float
  }
  type Query { topCampaigns: [Campaign!]! }
`;

/** The attribution subgraph's `topCampaigns`, best first, with their revenue (demo data of three providers). */
const TOP: Array<[provider: string, providerId: string, revenue: number]> = [
  ['MIGMA', 'cmp_mg_webinar', 18250.5],
  ['EMAILSENDX', 'clx_camp_april_nl_id', 12990],
  ['DRIPCEL', '6967452af79405d3df24217e', 9400.25],
  ['MIGMA', 'cmp_mg_loyalty_ab', 7125],
  ['EMAILSENDX', 'clx_camp_march_nl_id', 5010.75],
  ['DRIPCEL', '69ae71f29f75ca805c871119', 3300],
];
/** Revenue it knows for other campaigns (the newest two Migma ones; not the one in between). */
const OTHERS: Array<[provider: string, providerId: string, revenue: number]> = [
  ['MIGMA', 'cmp_mg_black_friday', 2200],
  ['MIGMA', 'cmp_mg_winter_teaser', 640.4],
];
const REVENUE = new Map([...TOP, ...OTHERS].map(([provider, providerId, revenue]) => [`${provider}:${providerId}`, revenue]));

interface Listening {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server, path = ''): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The attribution subgraph on 127.0.0.1, port 0. It records the representations of each
 * `_entities` request and the x-router-token of each request (the token is campaign-graph's only).
 */
async function startAttribution(): Promise<Listening & { representations: unknown[][]; routerTokens: Array<string | null> }> {
  const representations: unknown[][] = [];
  const routerTokens: Array<string | null> = [];
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(ATTRIBUTION_SDL),
      resolvers: {
        Query: { topCampaigns: () => TOP.map(([provider, providerId]) => ({ provider, providerId })) },
        Campaign: {
          __resolveReference: (ref: { provider: string; providerId: string }) => ref,
          revenue: (campaign: { provider: string; providerId: string }) => REVENUE.get(`${campaign.provider}:${campaign.providerId}`) ?? null,
        },
      },
    },
  ]);
  const recordRequests: Plugin = {
    onRequest({ request }) {
      routerTokens.push(request.headers.get('x-router-token'));
    },
    onExecute({ args }) {
      const reps = (args.variableValues as { representations?: unknown[] } | null | undefined)?.representations;
      if (reps) representations.push(reps);
    },
  };
  const yoga = createYoga({ schema, logging: false, plugins: [recordRequests] });
  return { ...(await listen(createServer(yoga), '/graphql')), representations, routerTokens };
}

interface ProxiedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: { query?: string; variables?: Record<string, unknown> } | undefined;
  status?: number;
}

/** A plain HTTP proxy in front of `target` that records every request and the status answered. */
async function startCountingProxy(target: string): Promise<Listening & { requests: ProxiedRequest[] }> {
  const requests: ProxiedRequest[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: ProxiedRequest['body'];
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        body = undefined;
      }
      const record: ProxiedRequest = { method: req.method ?? '', headers: req.headers, body };
      requests.push(record);
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          record.status = answer.statusCode;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(raw);
    });
  });
  return { ...(await listen(server, new URL(target).pathname)), requests };
}

/** Composes campaign-graph's SDL (as `npm run schema:print` prints it) with the attribution subgraph. */
function composeSupergraph(campaignGraphUrl: string, attributionUrl: string): string {
  const result = composeServices([
    { name: 'campaign-graph', typeDefs: parse(printSubgraphSchema(buildSubgraphSchemaFromSdl())), url: campaignGraphUrl },
    { name: 'attribution', typeDefs: parse(ATTRIBUTION_SDL), url: attributionUrl },
  ]);
  expect(result.errors ?? []).toEqual([]);
  return result.supergraphSdl!;
}

interface Router extends Listening {
  query<D = any>(query: string): Promise<{ status: number; data?: D; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> }>;
}

/**
 * Hive Gateway's runtime serving `supergraph` on 127.0.0.1, port 0 (its fetch handler on
 * node:http). `campaignGraphHeaders`: what it sends campaign-graph, and no other subgraph, as a
 * gateway.config.ts would configure it.
 */
async function startRouter(supergraph: string, campaignGraphHeaders?: Array<[string, string]>): Promise<Router> {
  const runtime = createGatewayRuntime({
    supergraph,
    logging: false,
    ...(campaignGraphHeaders ? { transportEntries: { 'campaign-graph': { headers: campaignGraphHeaders } } } : {}),
  });
  const listening = await listen(createServer(runtime), '/graphql');
  return {
    ...listening,
    async query(query) {
      const response = await fetch(listening.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async close() {
      await listening.close();
      await runtime.dispose();
    },
  };
}

const ALL = ['MIGMA', 'DRIPCEL', 'EMAILSENDX', 'INFOBIP'] as const;

interface Setup {
  harness: Harness;
  proxy: Awaited<ReturnType<typeof startCountingProxy>>;
  attribution: Awaited<ReturnType<typeof startAttribution>>;
  supergraph: string;
  close(): Promise<void>;
}

async function startSetup(env: Record<string, string> = {}): Promise<Setup> {
  const harness = await startHarness({ providers: [...ALL], env: { MIGMA_PROJECT_ID: 'proj_demo', ...env } });
  const proxy = await startCountingProxy(harness.url);
  const attribution = await startAttribution();
  const supergraph = composeSupergraph(proxy.url, attribution.url);
  return {
    harness,
    proxy,
    attribution,
    supergraph,
    async close() {
      await Promise.allSettled([proxy.close(), attribution.close()]);
      await harness.close();
    },
  };
}

const entitiesRequests = (proxy: Setup['proxy']) => proxy.requests.filter((r) => r.method === 'POST' && /\b_entities\b/.test(r.body?.query ?? ''));

describe('federation behind Hive Gateway', () => {
  let setup: Setup;
  let router: Router;
  beforeAll(async () => {
    setup = await startSetup();
    router = await startRouter(setup.supergraph);
  });
  afterAll(async () => {
    await router?.close();
    await setup?.close();
  });

  it('topCampaigns: the list and revenue from the attribution subgraph, name and stats from campaign-graph', async () => {
    const res = await router.query('{ topCampaigns { provider providerId revenue name stats { openRate } } }');
    expect(res.errors).toBeUndefined();
    const direct = await setup.harness.query(
      `{ ${TOP.map(([provider, providerId], i) => `c${i}: campaignByProviderId(provider: ${provider}, providerId: "${providerId}") { name stats { openRate } }`).join(' ')} }`,
    );
    expect(direct.errors).toBeUndefined();
    expect(res.data.topCampaigns).toEqual(TOP.map(([provider, providerId, revenue], i) => ({ provider, providerId, revenue, ...direct.data[`c${i}`] })));
    expect(res.data.topCampaigns.map((c: { name: string }) => c.name)).toContain('Webinar Reminder');
    expect(res.data.topCampaigns.filter((c: { stats: { openRate: unknown } }) => typeof c.stats.openRate === "number").length).toBeGreaterThanOrEqual(4);
  });

  it('campaigns(first: 3): the list from campaign-graph, revenue from the attribution subgraph', async () => {
    const res = await router.query('{ campaigns(first: 3) { edges { node { provider providerId name revenue } } } }');
    expect(res.errors).toBeUndefined();
    const direct = await setup.harness.query('{ campaigns(first: 3) { edges { node { provider providerId name } } } }');
    const nodes = res.data.campaigns.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toEqual(
      direct.data.campaigns.edges.map(({ node }: { node: { provider: string; providerId: string } }) => ({ ...node, revenue: REVENUE.get(`${node.provider}:${node.providerId}`) ?? null })),
    );
    expect(nodes.map((n: { name: string; revenue: number | null }) => [n.name, n.revenue])).toEqual([
      ['Black Friday Preview', 2200],
      ['November Digest', null],
      ['Winter Collection Teaser', 640.4],
    ]);
  });

  it('six entity lookups in one query reach campaign-graph as one _entities request, batched per provider', async () => {
    const upstreamCalls = () =>
      Object.fromEntries(Object.entries(setup.harness.simulators).map(([name, s]) => [name, s!.calls.map((c) => `${c.method} ${c.path}${c.query.size ? `?${c.query}` : ''}`).sort()]));
    setup.harness.resetCalls();
    setup.proxy.requests.length = 0;
    setup.attribution.representations.length = 0;
    const res = await router.query('{ topCampaigns { name } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.topCampaigns.map((c: { name: string }) => c.name)).toEqual([
      'Webinar Reminder',
      'April Newsletter',
      'Black Friday flash sale',
      'Loyalty Programme A/B',
      'March Newsletter',
      'Store opening: Sandton',
    ]);
    // One request from the router to campaign-graph, for all six.
    expect(setup.proxy.requests).toHaveLength(1);
    const [entities] = entitiesRequests(setup.proxy);
    expect(entities!.body!.variables!.representations).toEqual(TOP.map(([provider, providerId]) => ({ __typename: 'Campaign', provider, providerId })));
    // ... and so one request's loaders: Migma and EmailSendX one lookup per id (neither has a batch
    // lookup), Dripcel one call for both of its ids, Infobip nothing.
    const viaRouter = upstreamCalls();
    expect(viaRouter).toEqual({
      MIGMA: ['GET /v1/campaigns/cmp_mg_loyalty_ab', 'GET /v1/campaigns/cmp_mg_webinar'],
      DRIPCEL: ['GET /campaigns'],
      EMAILSENDX: ['GET /api/v1/campaigns?id=clx_camp_april_nl_id', 'GET /api/v1/campaigns?id=clx_camp_march_nl_id'],
      INFOBIP: [],
    });
    // The same calls as one direct _entities request with the six representations.
    setup.harness.resetCalls();
    const direct = await setup.harness.query('query($r: [_Any!]!) { _entities(representations: $r) { ... on Campaign { name } } }', { r: entities!.body!.variables!.representations });
    expect(direct.errors).toBeUndefined();
    expect(upstreamCalls()).toEqual(viaRouter);
    // topCampaigns needed no entity lookup at the attribution subgraph.
    expect(setup.attribution.representations).toEqual([]);
  });

  it('campaign-graph lists, the attribution subgraph answers revenue for all of them in one _entities request', async () => {
    setup.attribution.representations.length = 0;
    const res = await router.query('{ campaigns(first: 10) { edges { node { providerId revenue } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns.edges).toHaveLength(10);
    expect(setup.attribution.representations).toHaveLength(1);
    expect(setup.attribution.representations[0]).toHaveLength(10);
  });
});

describe('GATEWAY_ROUTER_TOKENS behind Hive Gateway', () => {
  let setup: Setup;
  beforeAll(async () => {
    process.env.CAMPAIGN_GRAPH_ROUTER_TOKEN = ROUTER_TOKEN;
    setup = await startSetup({ GATEWAY_ROUTER_TOKENS: ROUTER_TOKEN });
  });
  afterAll(async () => {
    delete process.env.CAMPAIGN_GRAPH_ROUTER_TOKEN;
    await setup?.close();
  });

  it('a router configured to send x-router-token gets its entities; the other subgraph never sees the token', async ({ closeAfter }) => {
    const router = closeAfter(await startRouter(setup.supergraph, SEND_ROUTER_TOKEN));
    setup.proxy.requests.length = 0;
    setup.attribution.routerTokens.length = 0;
    const res = await router.query('{ topCampaigns { providerId revenue name stats { sent } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.topCampaigns.map((c: { providerId: string; revenue: number; name: string }) => [c.providerId, c.revenue, c.name])).toEqual([
      ['cmp_mg_webinar', 18250.5, 'Webinar Reminder'],
      ['clx_camp_april_nl_id', 12990, 'April Newsletter'],
      ['6967452af79405d3df24217e', 9400.25, 'Black Friday flash sale'],
      ['cmp_mg_loyalty_ab', 7125, 'Loyalty Programme A/B'],
      ['clx_camp_march_nl_id', 5010.75, 'March Newsletter'],
      ['69ae71f29f75ca805c871119', 3300, 'Store opening: Sandton'],
    ]);
    expect(setup.proxy.requests.map((r) => [r.headers['x-router-token'], r.status])).toEqual([[ROUTER_TOKEN, 200]]);
    expect(setup.attribution.routerTokens).toEqual([null]);
  });

  it('a router that does not send it: _entities is UNAUTHENTICATED (401) before any provider call; the other subgraph still answers', async ({ closeAfter }) => {
    const router = closeAfter(await startRouter(setup.supergraph));
    setup.proxy.requests.length = 0;
    setup.harness.resetCalls();
    const res = await router.query('{ topCampaigns { providerId revenue name } }');
    const entities = entitiesRequests(setup.proxy);
    expect(entities.map((r) => [r.headers['x-router-token'], r.status])).toEqual([[undefined, 401]]);
    expect(Object.values(setup.harness.simulators).every((s) => s!.calls.length === 0)).toBe(true);
    // The router passes our error on for each campaign, and what the attribution subgraph answered.
    expect(res.errors?.length).toBeGreaterThan(0);
    for (const error of res.errors!) expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', serviceName: 'campaign-graph' });
    expect(res.data.topCampaigns.map((c: { providerId: string; revenue: number; name: string | null }) => [c.providerId, c.revenue, c.name])).toEqual(
      TOP.map(([, providerId, revenue]) => [providerId, revenue, null]),
    );
  });
});

describe('GATEWAY_API_TOKENS and GATEWAY_ROUTER_TOKENS behind Hive Gateway', () => {
  let setup: Setup;
  beforeAll(async () => {
    process.env.CAMPAIGN_GRAPH_ROUTER_TOKEN = ROUTER_TOKEN;
    process.env.CAMPAIGN_GRAPH_API_TOKEN = API_TOKEN;
    setup = await startSetup({ GATEWAY_ROUTER_TOKENS: ROUTER_TOKEN, GATEWAY_API_TOKENS: API_TOKEN });
  });
  afterAll(async () => {
    delete process.env.CAMPAIGN_GRAPH_ROUTER_TOKEN;
    delete process.env.CAMPAIGN_GRAPH_API_TOKEN;
    await setup?.close();
  });

  it('a router that sends both headers gets its entities; with x-router-token alone it is refused', async ({ closeAfter }) => {
    const both = closeAfter(await startRouter(setup.supergraph, SEND_BOTH_TOKENS));
    const ok = await both.query('{ topCampaigns { providerId name } }');
    expect(ok.errors).toBeUndefined();
    expect(ok.data.topCampaigns[0]).toEqual({ providerId: 'cmp_mg_webinar', name: 'Webinar Reminder' });
    const routerTokenOnly = closeAfter(await startRouter(setup.supergraph, SEND_ROUTER_TOKEN));
    setup.proxy.requests.length = 0;
    const refused = await routerTokenOnly.query('{ topCampaigns { providerId name } }');
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', serviceName: 'campaign-graph' });
    expect(setup.proxy.requests.map((r) => r.status)).toEqual([401]);
  });
});
