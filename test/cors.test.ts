import { describe, expect } from 'vitest';
import { loadConfig } from '../src/config.js';
import { it } from './support/fixtures.js';

const preflight = (url: string, origin: string) =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

describe('CORS for frontends on other origins', () => {
  it('GATEWAY_CORS_ORIGINS: listed origins are allowed (x-request-id exposed), others are not', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['EMAILSENDX'], env: { GATEWAY_CORS_ORIGINS: 'https://app.example.com,http://localhost:5173' } });
    const allowed = await preflight(h.url, 'https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const post = await fetch(h.url, { method: 'POST', headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(post.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(post.headers.get('access-control-expose-headers')).toContain('x-request-id');
    const denied = await preflight(h.url, 'https://evil.example.net');
    expect(denied.headers.get('access-control-allow-origin')).not.toBe('https://evil.example.net');
  });

  it('production without GATEWAY_CORS_ORIGINS sends no CORS headers; development allows any origin', async ({ startHarness }) => {
    const production = await startHarness({ providers: ['EMAILSENDX'], env: { NODE_ENV: 'production' } });
    expect((await preflight(production.url, 'https://app.example.com')).headers.get('access-control-allow-origin')).toBeNull();
    const development = await startHarness({ providers: ['EMAILSENDX'] });
    expect((await preflight(development.url, 'https://app.example.com')).headers.get('access-control-allow-origin')).toBeTruthy();
  });

  it('a malformed origin is a configuration error naming the variable', () => {
    expect(() => loadConfig({ GATEWAY_CORS_ORIGINS: 'app.example.com/path' })).toThrow(/GATEWAY_CORS_ORIGINS/);
    expect(loadConfig({ GATEWAY_CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
  });
});
