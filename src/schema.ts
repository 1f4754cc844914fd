import { readFileSync, readdirSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { addResolversToSchema } from '@graphql-tools/schema';
import { isUnionType, parse, responsePathAsArray, type DocumentNode, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { BadUserInputError } from './errors.js';
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
  const schema = addResolversToSchema({
    schema: subgraph,
    resolvers: { Query, ...types } as Parameters<typeof addResolversToSchema>[0]['resolvers'],
    updateResolversInPlace: true,
  });
  entitiesOneByOne(schema);
  return schema;
}

/**
 * `_entities` one representation at a time. `_Any` is any JSON, and @apollo/subgraph resolves the
 * whole list in one `map`: a representation with an unknown `__typename` (a plain Error: masked as
 * INTERNAL_SERVER_ERROR) or a reference resolver that throws failed the whole field and left the
 * other entries' promises rejected with no one listening. Each entry now fails alone, null plus a
 * BAD_USER_INPUT error at its index, as in `nodes`.
 */
function entitiesOneByOne(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const entity = schema.getType('_Entity');
  if (!field?.resolve || !isUnionType(entity)) return;
  const resolve = field.resolve;
  const entityTypes = entity.getTypes().map((type) => type.name);
  field.resolve = (source, args: { representations: unknown[] }, context, info) =>
    args.representations.map((representation, index) => {
      const typename = representation && typeof representation === 'object' ? (representation as { __typename?: unknown }).__typename : undefined;
      if (Array.isArray(representation) || typeof typename !== 'string' || !entityTypes.includes(typename)) {
        return new BadUserInputError(`representations[${index}] needs a __typename of ${entityTypes.join(', ')}`, { argument: 'representations' });
      }
      try {
        return (resolve(source, { representations: [representation] }, context, info) as unknown[])[0];
      } catch (error) {
        // graphql-js reports an Error entry as null plus an error at its index.
        return error;
      }
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
