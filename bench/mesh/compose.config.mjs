// GraphQL Mesh compose config of the benchmark peer: Migma's two campaign endpoints
// (migma.openapi.json) as one subgraph. peers.ts runs
// `mesh-compose -c compose.config.mjs -o supergraph.graphql` here before the gateway starts.
// The endpoint and the key stay `{env.…}` placeholders in the supergraph: the REST transport
// fills them in from Hive Gateway's environment, so the composed file does not depend on the
// simulator's port. Plain JavaScript so the root `tsc` (which includes bench/) does not need these
// packages installed.
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('Migma', {
        source: './migma.openapi.json',
        endpoint: '{env.MIGMA_BASE_URL}',
        operationHeaders: { Authorization: 'Bearer {env.MIGMA_API_KEY}' },
      }),
    },
  ],
});
