import { describe, expect } from 'vitest';
import { UpstreamClient } from '../src/http/upstreamClient.js';
import { UpstreamFailure } from '../src/http/upstreamFailure.js';
import { it } from './support/fixtures.js';
import { dripcelRoutes, readDripcelError } from '../src/providers/dripcel/routes.js';
import { serveSimulator } from '../src/providers/simulatorServer.js';

// Keys long enough that any 8-character piece of them is recognisable in a response.
const KEYS = {
  DRIPCEL: 'dripcel_live_4f8a9c2e7b1d3a5c',
  MIGMA: 'mgma_sk_live_9e2b7c4a1f3d8e6b',
  EMAILSENDX: 'esx_live_7d3a1c9e5b2f8a4c',
};

function expectNoPieceOfKeys(text: string) {
  for (const key of Object.values(KEYS)) {
    for (let i = 0; i + 8 <= key.length; i += 4) expect(text, `piece of ${key}`).not.toContain(key.slice(i, i + 8));
  }
}

describe('no API key reaches a client, whatever the provider echoes', () => {
  it('in envelopes that report failure with a 200, and in long messages cut where the key stands', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['DRIPCEL', 'MIGMA', 'EMAILSENDX'], env: { MIGMA_PROJECT_ID: 'proj_demo' } });
    // The harness uses the simulators' keys; make the simulators echo them.
    const keys = { DRIPCEL: h.simulators.DRIPCEL!.apiKey, MIGMA: h.simulators.MIGMA!.apiKey, EMAILSENDX: h.simulators.EMAILSENDX!.apiKey };
    h.simulators.DRIPCEL!.inject({ status: 200, body: { ok: false, error: { code: 'forbidden', message: `key ${keys.DRIPCEL} lacks sendLog.read` } } });
    h.simulators.MIGMA!.inject({ status: 200, body: { success: false, error: `${'y'.repeat(380)}${keys.MIGMA}`, code: `BAD_${keys.MIGMA}` } });
    h.simulators.EMAILSENDX!.inject({ status: 401, body: { error: `${'x'.repeat(385)} ${keys.EMAILSENDX}` } });
    const responses = [
      await h.query(`{ sendLogs(first: 1) { totalCount } }`),
      await h.query(`{ campaigns(first: 1, filter: { providers: [MIGMA] }) { totalCount } }`),
      await h.query(`{ campaigns(first: 1, filter: { providers: [EMAILSENDX] }) { totalCount } }`),
    ];
    expect(responses.map((r) => r.errors?.[0]?.extensions?.provider)).toEqual(['DRIPCEL', 'MIGMA', 'EMAILSENDX']);
    for (const res of responses) {
      for (const key of Object.values(keys)) {
        for (let i = 0; i + 6 <= key.length; i += 3) expect(res.text, `piece of ${key}`).not.toContain(key.slice(i, i + 6));
      }
    }
  });

  it('the HTTP layer removes the key before shortening a message, and from upstream codes', async ({ closeAfter }) => {
    const upstream = closeAfter(
      await serveSimulator(
        () => ({ status: 400, body: { ok: false, error: { code: KEYS.DRIPCEL, message: `said: ${'z'.repeat(378)}${KEYS.DRIPCEL}` } } }),
        { apiKey: KEYS.DRIPCEL },
      ),
    );
    const client = closeAfter(new UpstreamClient({
      provider: 'DRIPCEL',
      baseUrl: upstream.url,
      apiKey: KEYS.DRIPCEL,
      authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
      readError: readDripcelError,
      timeoutMs: 1000,
      stages: [],
    }));
    const failure = await client.call(dripcelRoutes.listCampaigns).then(() => null, (error: unknown) => error as UpstreamFailure);
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect(failure!.code).toBe('BAD_USER_INPUT');
    expectNoPieceOfKeys(failure!.message);
    expectNoPieceOfKeys(failure!.upstreamCode ?? '');
    expect(failure!.message.length).toBeLessThanOrEqual(400);
  });
});
