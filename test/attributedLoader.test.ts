import { describe, expect, it } from 'vitest';
import {
  asCaller,
  atPath,
  callerOf,
  CallLedger,
  joinCaller,
  recordStale,
  sharedBy,
  withLedger,
  type CallContext,
} from '../src/http/callLedger.js';
import { AttributedLoader, eachAsCaller } from '../src/providers/attributedLoader.js';

/** What the cache stage records when it serves a stale answer, for the caller running now. */
const staleHere = (route: string, storedAt = 1000) => recordStale(callerOf(), { provider: 'TEST', route, storedAt });
const paths = (ledger: CallLedger) => ledger.stale.map((s) => [s.path, s.route]);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('callLedger: callers of calls made later or for several fields', () => {
  it('recordStale at a resolver: one entry at its path; outside a request: nothing', () => {
    const ledger = new CallLedger();
    withLedger(ledger, () => atPath(['a'], () => staleHere('GET /x')));
    expect(ledger.stale).toEqual([{ provider: 'TEST', route: 'GET /x', storedAt: 1000, path: ['a'] }]);
    expect(ledger.staleCalls).toBe(1);
    expect(callerOf()).toBeUndefined();
    expect(() => staleHere('GET /x')).not.toThrow();
  });

  it('asCaller runs as a caller taken earlier; sharedBy records one call at every caller; a joiner gets what was recorded before and after', () => {
    const ledger = new CallLedger();
    const [a, b, c] = withLedger(ledger, () => [atPath(['a'], callerOf), atPath(['b'], callerOf), atPath(['c'], callerOf)]);
    asCaller(b, () => staleHere('GET /one'));
    expect(paths(ledger)).toEqual([[['b'], 'GET /one']]);

    const shared = sharedBy([a, undefined, b]);
    asCaller(shared, () => staleHere('GET /both'));
    joinCaller(shared, c);
    joinCaller(shared, c); // once only
    asCaller(shared, () => staleHere('GET /after'));
    expect(paths(ledger)).toEqual([
      [['b'], 'GET /one'],
      [['a'], 'GET /both'],
      [['b'], 'GET /both'],
      [['c'], 'GET /both'],
      [['a'], 'GET /after'],
      [['b'], 'GET /after'],
      [['c'], 'GET /after'],
    ]);
    // Calls, not fields: three stale calls.
    expect(ledger.staleCalls).toBe(3);
    expect(sharedBy([undefined])).toBeUndefined();
    expect(asCaller(undefined, () => 7)).toBe(7);
  });

  it('nested shared callers (a key asked by another key) reach every field below them', () => {
    const ledger = new CallLedger();
    const [a, b] = withLedger(ledger, () => [atPath(['a'], callerOf), atPath(['b'], callerOf)]);
    const statsKey = sharedBy([a]);
    const campaignKey = sharedBy([statsKey, b]);
    asCaller(campaignKey, () => staleHere('GET /campaign'));
    expect(paths(ledger)).toEqual([
      [['a'], 'GET /campaign'],
      [['b'], 'GET /campaign'],
    ]);
  });
});

describe('AttributedLoader', () => {
  /** A loader recording, per key, the caller its call ran as; keys starting with `stale` record a stale answer. */
  function testLoader() {
    const batches: Array<{ keys: string[]; callers: Array<CallContext | undefined> }> = [];
    const loader = new AttributedLoader<string, string>((keys, callers) => {
      batches.push({ keys: [...keys], callers: [...callers] });
      return eachAsCaller(async (key: string) => {
        await tick();
        if (key.startsWith('stale')) staleHere(`GET /${key}`);
        if (key === 'fail') throw new Error('no');
        return key.toUpperCase();
      })(keys, callers);
    });
    return { loader, batches };
  }

  it('one batch: each key\'s call runs as the field that asked for it, not as the batch\'s first field', async () => {
    const ledger = new CallLedger();
    const { loader, batches } = testLoader();
    const values = await withLedger(ledger, () =>
      Promise.all([
        atPath(['x', 0], () => loader.load('fresh')),
        atPath(['x', 1], () => loader.load('stale1')),
        atPath(['x', 2], () => loader.load('stale2')),
        atPath(['x', 3], () => loader.load('fail').catch((error: Error) => error.message)),
      ]),
    );
    expect(values).toEqual(['FRESH', 'STALE1', 'STALE2', 'no']);
    expect(batches.map((b) => b.keys)).toEqual([['fresh', 'stale1', 'stale2', 'fail']]);
    expect(paths(ledger)).toEqual([
      [['x', 1], 'GET /stale1'],
      [['x', 2], 'GET /stale2'],
    ]);
  });

  it('a deduplicated key: one call, its stale answer recorded at every field that asked, during the batch or after it answered', async () => {
    const ledger = new CallLedger();
    const { loader, batches } = testLoader();
    await withLedger(ledger, async () => {
      const first = Promise.all([atPath(['a'], () => loader.load('stale')), atPath(['b'], () => loader.load('stale'))]);
      await tick(); // the batch is under way
      const during = atPath(['c'], () => loader.load('stale'));
      expect(await first).toEqual(['STALE', 'STALE']);
      await during;
      expect(await atPath(['d'], () => loader.load('stale'))).toBe('STALE');
      expect(await atPath(['e'], () => loader.loadMany(['stale']))).toEqual(['STALE']);
    });
    expect(batches.map((b) => b.keys)).toEqual([['stale']]);
    expect(paths(ledger)).toEqual([
      [['a'], 'GET /stale'],
      [['b'], 'GET /stale'],
      [['c'], 'GET /stale'],
      [['d'], 'GET /stale'],
      [['e'], 'GET /stale'],
    ]);
    expect(ledger.staleCalls).toBe(1);
  });

  it('a call for several keys, made as sharedBy their callers, is recorded at each; unattributed batch work runs as every key', async () => {
    const ledger = new CallLedger();
    const loader = new AttributedLoader<string, string>(async (keys, callers) => {
      staleHere('GET /list'); // not said for whom: the whole batch
      await asCaller(sharedBy(callers.slice(0, 2)), async () => staleHere('POST /search'));
      return keys.map((k) => k);
    });
    await withLedger(ledger, () => Promise.all(['k0', 'k1', 'k2'].map((key, i) => atPath(['n', i], () => loader.load(key)))));
    expect(paths(ledger).sort()).toEqual(
      [
        [['n', 0], 'GET /list'],
        [['n', 1], 'GET /list'],
        [['n', 2], 'GET /list'],
        [['n', 0], 'POST /search'],
        [['n', 1], 'POST /search'],
      ].sort(),
    );
  });

  it('works with cacheKeyFn keys; prime gives askers nothing; clear starts a new call with new askers', async () => {
    const ledger = new CallLedger();
    const calls: string[] = [];
    const loader = new AttributedLoader<{ id: string }, string, string>(
      eachAsCaller(async (key) => {
        calls.push(key.id);
        staleHere(`GET /${key.id}`);
        return key.id;
      }),
      { cacheKeyFn: (key) => key.id },
    );
    await withLedger(ledger, async () => {
      await Promise.all([atPath(['a'], () => loader.load({ id: 'k' })), atPath(['b'], () => loader.load({ id: 'k' }))]);
      loader.prime({ id: 'p' }, 'primed');
      expect(await atPath(['c'], () => loader.load({ id: 'p' }))).toBe('primed');
      loader.clear({ id: 'k' });
      await atPath(['e'], () => loader.load({ id: 'k' }));
    });
    expect(calls).toEqual(['k', 'k']);
    expect(paths(ledger)).toEqual([
      [['a'], 'GET /k'],
      [['b'], 'GET /k'],
      [['e'], 'GET /k'],
    ]);
  });

  it('outside a request: a plain DataLoader, the batch sees no callers', async () => {
    const { loader, batches } = testLoader();
    expect(await Promise.all([loader.load('a'), loader.load('b'), loader.load('a')])).toEqual(['A', 'B', 'A']);
    expect(batches).toEqual([{ keys: ['a', 'b'], callers: [] }]);
  });
});
