import { describe, expect, it } from 'vitest';
import { readInfobipError, toEmailLog } from '../src/providers/infobip/mapping.js';
import { walkLogs, type LogPageRequest, type LogWalkPosition } from '../src/providers/infobip/logWalk.js';
import type { EmailLogModel } from '../src/domain/emailLog.js';
import { seededRandom } from '../src/providers/simulatorServer.js';

/** A fake logs endpoint that shuffles rows sharing an instant differently on every request. */
function shufflingEndpoint(times: number[], exclusive: boolean) {
  const random = seededRandom(7);
  const logs = times.map((time, i) => toEmailLog({ messageId: `m${i}`, sentAt: new Date(time).toISOString() }, null)!);
  const requests: LogPageRequest[] = [];
  const fetchPage = async (request: LogPageRequest) => {
    requests.push(request);
    const until = request.sentUntil?.getTime() ?? Infinity;
    const matching = logs
      .filter((log) => (exclusive ? log.sentAt!.getTime() < until : log.sentAt!.getTime() <= until))
      .map((log) => ({ log, key: random() }))
      .sort((a, b) => b.log.sentAt!.getTime() - a.log.sentAt!.getTime() || a.key - b.key)
      .map((x) => x.log)
      .slice(0, request.limit);
    return { logs: matching, received: matching.length };
  };
  return { logs, fetchPage, requests };
}

describe('walkLogs (pure)', () => {
  const base = Date.parse('2026-11-21T10:00:00.000Z');
  // Runs of ties, some a millisecond apart.
  const times = [...Array(40).fill(base + 5), ...Array(3).fill(base + 4), ...Array(25).fill(base + 3), base + 1, ...Array(12).fill(base)];

  for (const exclusive of [false, true]) {
    it(`returns every row once, newest first, even when ties come back in another order each time (${exclusive ? 'exclusive' : 'inclusive'})`, async () => {
      const endpoint = shufflingEndpoint(times, exclusive);
      const seen: EmailLogModel[] = [];
      let from: LogWalkPosition | null = null;
      for (;;) {
        const page = await walkLogs({ count: 6, from, until: null, fetchPage: endpoint.fetchPage });
        seen.push(...page.logs);
        if (!page.hasMore) break;
        from = page.positionAfter(page.logs.length - 1);
      }
      expect(new Set(seen.map((l) => l.messageId)).size).toBe(times.length);
      expect(seen).toHaveLength(times.length);
      const sentAt = seen.map((l) => l.sentAt!.getTime());
      expect(sentAt).toEqual([...sentAt].sort((a, b) => b - a));
      expect(Math.max(...endpoint.requests.map((r) => r.limit))).toBeLessThanOrEqual(1000);
    });
  }

  it('positions carry the tie set of the instant, including ties returned by earlier pages', async () => {
    const endpoint = shufflingEndpoint([base, base, base, base - 1], false);
    const page1 = await walkLogs({ count: 2, from: null, until: null, fetchPage: endpoint.fetchPage });
    const after1 = page1.positionAfter(1);
    expect(after1.at).toBe(base);
    expect(after1.seen).toHaveLength(2);
    const page2 = await walkLogs({ count: 2, from: after1, until: null, fetchPage: endpoint.fetchPage });
    expect(page2.positionAfter(0)).toEqual({ at: base, seen: [...after1.seen, page2.logs[0]!.messageId] });
    expect(page2.positionAfter(1)).toEqual({ at: base - 1, seen: ['m3'] });
    expect(page2.hasMore).toBe(false);
  });

  it('a walk of everything (stats) asks for 1000 rows at a time', async () => {
    const endpoint = shufflingEndpoint(Array.from({ length: 2500 }, (_, i) => base - Math.floor(i / 3)), true);
    const all = await walkLogs({ count: Infinity, from: null, until: null, fetchPage: endpoint.fetchPage });
    expect(all.logs).toHaveLength(2500);
    expect(endpoint.requests.map((r) => r.limit)).toEqual([1000, 1000, 1000]);
  });
});

describe('Infobip wire mapping', () => {
  it('reads the newer and the legacy error bodies', () => {
    expect(readInfobipError({ errorCode: 'E429', description: 'Too many requests', action: '', violations: [], resources: [] })).toEqual({ code: 'E429', message: 'Too many requests' });
    expect(readInfobipError({ errorCode: 'E400', description: 'Bad request', violations: [{ property: 'limit', violation: 'must be at most 1000' }] })).toEqual({
      code: 'E400',
      message: 'Bad request; limit must be at most 1000',
    });
    expect(readInfobipError({ requestError: { serviceException: { messageId: 'UNAUTHORIZED', text: 'Invalid login details' } } })).toEqual({
      code: 'UNAUTHORIZED',
      message: 'Invalid login details',
    });
    expect(readInfobipError('<html>bad gateway</html>')).toEqual({ message: '<html>bad gateway</html>' });
    expect(readInfobipError({ something: 'else' })).toEqual({});
  });

  it('parses ...123Z and ...440+0000 timestamps and drops rows that cannot be placed', () => {
    expect(toEmailLog({ messageId: 'a', sentAt: '2021-01-02T01:00:00.123Z' }, null)!.sentAt!.toISOString()).toBe('2021-01-02T01:00:00.123Z');
    expect(toEmailLog({ messageId: 'a', sentAt: '2021-01-02T01:00:00.440+0000', doneAt: '2021-01-02T03:00:00.440+0200' }, 'ref')).toMatchObject({
      sentAt: new Date('2021-01-02T01:00:00.440Z'),
      doneAt: new Date('2021-01-02T01:00:00.440Z'),
      campaignReferenceId: 'ref',
    });
    expect(toEmailLog({ sentAt: '2021-01-02T01:00:00.123Z' }, null)).toBeNull();
    expect(toEmailLog({ messageId: 'a', sentAt: 'yesterday' }, null)).toBeNull();
  });
});
