import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UpstreamClient } from '../src/http/upstreamClient.js';
import { PROVIDERS } from '../src/domain/campaign.js';
import type { Capability } from '../src/providers/provider.js';
import { PROVIDER_DEFINITIONS } from '../src/providers/registry.js';

const BASE = { apiKey: 'k', baseUrl: 'http://127.0.0.1:9', rateLimitPerMinute: 0 };
const CAPABILITIES: Capability[] = ['campaignList', 'recipientLogs', 'sendLogs', 'emailLogs'];

describe('provider definitions', () => {
  it('the registry holds one definition per Provider enum value, in the listing order', () => {
    expect(PROVIDER_DEFINITIONS.map((d) => d.name)).toEqual([...PROVIDERS]);
  });

  it.each(PROVIDER_DEFINITIONS.map((d) => [d.name, d] as const))('%s: a session has exactly the capabilities its definition lists', (_name, definition) => {
    const client = new UpstreamClient({
      provider: definition.name,
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'k',
      authHeaders: definition.authHeaders,
      readError: definition.readError,
      timeoutMs: 1000,
      stages: [],
    });
    const settings = definition.readSettings ? definition.readSettings({}, BASE) : BASE;
    const session = definition.open(client, settings).session({ signal: new AbortController().signal });
    expect(session.provider).toBe(definition.name);
    for (const capability of CAPABILITIES) {
      expect(Boolean(session[capability]), capability).toBe(definition.capabilities.includes(capability));
    }
    void client.close();
  });

  it.each(PROVIDER_DEFINITIONS.map((d) => [d.name, d] as const))('%s: routes are named by their key, templated, and read JSON', (_name, definition) => {
    for (const [key, route] of Object.entries(definition.routes)) {
      expect(route.name).toBe(key);
      expect(route.template).toMatch(/^\/[\w/:.-]*$/);
      // Ids go into `:params`, never into a template literal: no raw id in a template.
      expect(route.template).not.toMatch(/\$\{/);
    }
    expect(definition.quota.perMinute).toBeGreaterThan(0);
    expect(definition.quota.source).toMatch(/^(docs|sdk|guess)\b/);
  });
});

/** Static imports of a TypeScript source file (`import ... from './x.js'`, `export ... from`), resolved to .ts paths. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
    if (/^import\s+type\s/.test(match[0]) || /^export\s+type\s/.test(match[0])) continue;
    found.push(resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
  }
  return found;
}

describe('production path', () => {
  it('src/main.ts reaches no simulator, demo dataset or demo mode through static imports (demo mode loads them on demand)', () => {
    const root = resolve(__dirname, '..');
    const seen = new Set<string>();
    const queue = [resolve(root, 'src/main.ts')];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      queue.push(...staticImports(file));
    }
    const reached = [...seen].map((f) => f.slice(root.length + 1));
    expect(reached).toContain('src/providers/registry.ts');
    expect(reached).toContain('src/providers/migma/session.ts');
    expect(reached.filter((f) => /simulator\.ts$|demoData\.ts$|simulatorServer\.ts$|demoMode\.ts$/.test(f))).toEqual([]);
  });
});
