import { timingSafeEqual } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from './config.js';
import { RequestProviders, type GatewayContext } from './context.js';
import { UnauthenticatedError, toClientError, withBadInputCode } from './errors.js';
import { connectProviders } from './providers/connect.js';
import { setCursorSecret } from './relay/cursor.js';
import { resolvers } from './resolvers/index.js';
import { buildExecutableSchema } from './schema.js';

export const DEFAULT_QUERY = /* GraphQL */ `# campaign-graph: one schema over Migma, Dripcel, EmailSendX and Infobip.
# Press the run button (or Ctrl+Enter). Walk further pages with after: "<endCursor>".
query Campaigns {
  campaigns(first: 10) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        provider
        name
        status
        sentAt
        stats { source sent delivered openRate clickRate bounceRate }
      }
    }
  }
}
`;

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  config: Config;
  /** Closes the providers' connection pools. */
  close(): Promise<void>;
}

/** The yoga instance over the configured providers. Tests use it through `yoga.fetch` or real HTTP. */
export function createGateway(config: Config): Gateway {
  setCursorSecret(config.cursorSecret);
  const connections = connectProviders(config);

  // Never shown to a client, whatever an upstream echoes back (errors.ts redacts them).
  const secrets = [
    ...Object.values(config.providers).map((settings) => settings!.apiKey),
    ...config.apiTokens,
    ...(config.cursorSecret ? [config.cursorSecret] : []),
  ].filter((secret) => secret.length >= 4);
  const plugins: Plugin<GatewayContext>[] = [everyErrorHasACode()];
  if (config.apiTokens.length > 0) plugins.push(bearerTokens(config.apiTokens));
  if (!config.introspection) plugins.push(noIntrospection());

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema: buildExecutableSchema(resolvers),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.introspection ? { defaultQuery: DEFAULT_QUERY, title: 'campaign-graph' } : false,
    renderGraphiQL,
    maskedErrors: {
      maskError: (error, message) => toClientError(error, message, { isDev: !config.production, secrets }),
    },
    logging: config.logLevel === 'silent' ? false : config.logLevel,
    context: ({ request }): GatewayContext => ({
      config,
      signal: request.signal,
      providers: new RequestProviders(connections, { signal: request.signal }),
    }),
    plugins,
  });

  return {
    yoga,
    config,
    async close() {
      await Promise.all(Object.values(connections).map((connection) => connection.close()));
    },
  };
}

/** GATEWAY_API_TOKENS: every GraphQL request needs `Authorization: Bearer <token>` (GraphiQL's page itself loads without). */
function bearerTokens(tokens: string[]): Plugin<GatewayContext> {
  const accepted = tokens.map((token) => Buffer.from(token));
  const isAccepted = (header: string | null) => {
    const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
    if (!match) return false;
    const given = Buffer.from(match[1]!.trim());
    return accepted.some((token) => token.length === given.length && timingSafeEqual(token, given));
  };
  return {
    onRequestParse({ request }) {
      if (!isAccepted(request.headers.get('authorization'))) throw new UnauthenticatedError();
    },
  };
}

/** Errors yoga answers before masking (bad variables) get the contract's code too. */
function everyErrorHasACode(): Plugin<GatewayContext> {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      const errors = result.errors.map((error) => (error instanceof GraphQLError ? withBadInputCode(error) : error));
      if (errors.some((error, i) => error !== result.errors![i])) setResult({ ...result, errors });
    },
  };
}

/** Production without GATEWAY_INTROSPECTION=true: introspection queries are rejected. */
function noIntrospection(): Plugin<GatewayContext> {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
