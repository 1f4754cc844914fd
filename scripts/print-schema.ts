/** Writes the Apollo Federation v2 subgraph SDL to stdout, for a schema registry or composition. */
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildSubgraphSchemaFromSdl } from '../src/schema.js';

process.stdout.write(`${printSubgraphSchema(buildSubgraphSchemaFromSdl())}\n`);
