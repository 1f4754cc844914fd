import { readFileSync, readdirSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { addResolversToSchema } from '@graphql-tools/schema';
import { parse, responsePathAsArray, type DocumentNode, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { atPath } from './http/callLedger.js';
import type { Resolvers } from './__generated__/resolvers-types.js';

const SCHEMA_DIR = new URL('../schema/', import.meta.url);

/** The SDL of schema/*.graphql, the source of truth, as one document. */
export function loadTypeDefs(): DocumentNode {
  const files = readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  return parse(files.map((file) => readFileSync(new URL(file, SCHEMA_DIR), 'utf8')).join('\n'));
}

/** The Apollo Federation v2 subgraph schema without resolvers (codegen, schema:print). */
export function buildSubgraphSchemaFromSdl(): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: loadTypeDefs() }]);
}

/**
 * The executable schema: the subgraph (with `_service` and `_entities`) from @apollo/subgraph, and
 * our typed resolvers attached by @graphql-tools/schema.
 */
export function buildExecutableSchema(resolvers: Resolvers): GraphQLSchema {
  const { Query, ...types } = attributeCalls(resolvers);
  // Entity reference resolvers must be known to buildSubgraphSchema for `_entities`.
  const referenceResolvers = Object.fromEntries(
    Object.entries(types)
      .filter(([, value]) => value && typeof value === 'object' && '__resolveReference' in value)
      .map(([name, value]) => [name, { __resolveReference: (value as Record<string, unknown>).__resolveReference }]),
  ) as GraphQLResolverMap<unknown>;
  const subgraph = buildSubgraphSchema([{ typeDefs: loadTypeDefs(), resolvers: referenceResolvers }]);
  return addResolversToSchema({
    schema: subgraph,
    resolvers: { Query, ...types } as Parameters<typeof addResolversToSchema>[0]['resolvers'],
    updateResolversInPlace: true,
  });
}

type AnyResolver = (parent: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo) => unknown;

/**
 * Wraps the resolvers that can call a provider so each upstream call they make is attributed to
 * their response path (stale answers are reported by path). Pure resolvers (ids, rates, scalars)
 * are left alone: the wrapper costs a context switch per field.
 */
function attributeCalls(resolvers: Resolvers): Resolvers {
  const wrapped: Record<string, unknown> = { ...resolvers };
  for (const [typeName, fields] of Object.entries(resolvers)) {
    if (!fields || typeof fields !== 'object' || typeName === 'CampaignStats' || typeName === 'Node') continue;
    if (!('getFields' in fields) && typeof (fields as { serialize?: unknown }).serialize !== 'function') {
      wrapped[typeName] = Object.fromEntries(
        Object.entries(fields as Record<string, unknown>).map(([field, resolve]) => {
          if (typeof resolve !== 'function' || field === 'id' || field.startsWith('__')) return [field, resolve];
          const fn = resolve as AnyResolver;
          const around: AnyResolver = (parent, args, context, info) => atPath(responsePathAsArray(info.path), () => fn(parent, args, context, info));
          return [field, around];
        }),
      );
    }
  }
  return wrapped as Resolvers;
}
