/**
 * Fails when src/__generated__ differs from what `npm run codegen` would write now (drift).
 */
import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen.js';

const outputs = await generate({ ...config, silent: true }, false);
let drift = 0;
for (const output of outputs) {
  let committed = '';
  try {
    committed = readFileSync(output.filename, 'utf8');
  } catch {
    // missing file counts as drift
  }
  if (committed !== output.content) {
    console.error(`codegen drift: ${output.filename} is stale; run \`npm run codegen\` and commit it`);
    drift++;
  }
}
if (drift) process.exit(1);
console.log(`codegen: ${outputs.length} generated file(s) up to date`);
