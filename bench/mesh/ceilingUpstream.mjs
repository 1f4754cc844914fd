// What both ceilings (handwritten-server.mjs, passthrough-server.mjs) share: the Migma simulator
// called with the same undici campaign-graph uses (resolved from the repository root), 16
// keep-alive connections, no pipelining, JSON parsed whole. MIGMA_BASE_URL and MIGMA_API_KEY
// point it at the simulator.
import { createRequire } from 'node:module';

export const root = createRequire(new URL('../../package.json', import.meta.url));
const { Pool } = root('undici');

const pool = new Pool(process.env.MIGMA_BASE_URL, { connections: 16, pipelining: 1 });
const headers = { authorization: `Bearer ${process.env.MIGMA_API_KEY}`, accept: 'application/json' };

/** GET `path` from the simulator, its body parsed. */
export async function get(path) {
  const response = await pool.request({ method: 'GET', path, headers });
  return JSON.parse(await response.body.text());
}

/** A rate as campaign-graph computes it: 0 when there is nothing to divide by. */
export const fraction = (part, whole) => (whole ? part / whole : 0);
