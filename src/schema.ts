import { readFileSync, readdirSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { addResolversToSchema } from '@graphql-tools/schema';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
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
  const { Query, ...types } = resolvers;
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
