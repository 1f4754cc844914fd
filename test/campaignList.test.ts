import { afterAll, beforeAll, describe, expect } from 'vitest';
import { encodeCursor } from '../src/relay/cursor.js';
import { startHarness, type Harness } from './support/harness.js';
import { it } from './support/fixtures.js';

const PAGE = /* GraphQL */ `
  query($first: Int, $after: String, $filter: CampaignFilter) {
    campaigns(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { provider providerId status } }
    }
  }
`;

describe('campaigns across providers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX', 'INFOBIP'], env: { MIGMA_PROJECT_ID: 'proj_demo' } });
  });
  afterAll(() => h.close());

  it('walks MIGMA, then DRIPCEL, then EMAILSENDX, every campaign once, hasNextPage exact at every boundary', async () => {
    const all: any = await h.query(PAGE, { first: 500 });
    const expected = all.data.campaigns.edges.map((e: any) => `${e.node.provider}:${e.node.providerId}`);
    const providers = [...new Set(all.data.campaigns.edges.map((e: any) => e.node.provider))];
    expect(providers).toEqual(['MIGMA', 'DRIPCEL', 'EMAILSENDX']);
    expect(all.data.campaigns.totalCount).toBe(expected.length);
    const migmaCount = expected.filter((k: string) => k.startsWith('MIGMA:')).length;

    // A page that ends exactly where Migma's list ends still says more follows (Dripcel's).
    const head: any = await h.query(PAGE, { first: migmaCount });
    expect(head.data.campaigns.pageInfo.hasNextPage).toBe(true);

    for (const first of [7, migmaCount]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const res: any = await h.query(PAGE, { first, after });
        expect(res.errors).toBeUndefined();
        const c = res.data.campaigns;
        seen.push(...c.edges.map((e: any) => `${e.node.provider}:${e.node.providerId}`));
        if (!c.pageInfo.hasNextPage) break;
        expect(c.edges.length).toBe(first); // never an empty last page
        after = c.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected);
    }
  });

  it('says hasNextPage false when no later provider has a match', async () => {
    // Only Migma has an UNKNOWN campaign (its "archived" one); Dripcel and EmailSendX have none.
    const res: any = await h.query(PAGE, { first: 1, filter: { status: ['UNKNOWN'] } });
    expect(res.data.campaigns.edges.map((e: any) => e.node.provider)).toEqual(['MIGMA']);
    expect(res.data.campaigns.pageInfo.hasNextPage).toBe(false);
  });

  it('an Infobip-only or empty provider filter is an empty list, not an error', async () => {
    for (const providers of [['INFOBIP'], []]) {
      const res: any = await h.query(PAGE, { filter: { providers } });
      expect(res.errors).toBeUndefined();
      expect(res.data.campaigns).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
    }
  });

  it('rejects forged or empty cursors with BAD_USER_INPUT, never an internal error', async () => {
    const scope = { providers: null, statuses: null };
    for (const position of [5, null, ['EMAILSENDX', 1e15], ['EMAILSENDX', -1], ['NOPE', 0], ['EMAILSENDX']]) {
      const res = await h.query(PAGE, { after: encodeCursor('campaigns', scope, position) });
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(position)).toBe('BAD_USER_INPUT');
    }
    const empty = await h.query(PAGE, { after: '' });
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('campaigns when no configured provider can list', () => {
  // `it.for`, not `it.each`: it hands the test context (the fixtures) to the test as well.
  it.for([
    ['only Infobip', { providers: ['INFOBIP'] as const, env: {} }],
    ['Migma without a project id', { providers: ['MIGMA'] as const, env: {} }],
  ] as const)('%s: an empty list with totalCount 0', async ([_name, options], { startHarness }) => {
    const h = await startHarness({ providers: [...options.providers], env: options.env });
    const res: any = await h.query(PAGE, {});
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
  });
});
