import { afterAll, beforeAll, describe, expect } from 'vitest';
import { dripcelDemoData } from '../src/providers/dripcel/demoData.js';
import { emailSendXDemoCampaigns } from '../src/providers/emailsendx/demoData.js';
import { migmaDemoData } from '../src/providers/migma/demoData.js';
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

const MIGMA = migmaDemoData();

/** What the simulators serve, in the documented order: Migma's project, then Dripcel's, then EmailSendX's, each in its API's order. */
const EXPECTED = [
  ...MIGMA.campaigns.filter((c) => c.projectId === MIGMA.projectId).map((c) => `MIGMA:${c.id}`),
  ...dripcelDemoData().campaigns.map((c) => `DRIPCEL:${c._id}`),
  ...emailSendXDemoCampaigns().map((c) => `EMAILSENDX:${c.id}`),
];

describe('campaigns across providers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX', 'INFOBIP'], env: { MIGMA_PROJECT_ID: MIGMA.projectId } });
  });
  afterAll(() => h.close());

  it('walks MIGMA, then DRIPCEL, then EMAILSENDX, every campaign once, hasNextPage exact at every boundary', async () => {
    expect([...new Set(EXPECTED.map((k) => k.split(':')[0]))]).toEqual(['MIGMA', 'DRIPCEL', 'EMAILSENDX']);
    const all: any = await h.query(PAGE, { first: 500 });
    expect(all.errors).toBeUndefined();
    expect(all.data.campaigns.edges.map((e: any) => `${e.node.provider}:${e.node.providerId}`)).toEqual(EXPECTED);
    expect(all.data.campaigns.totalCount).toBe(EXPECTED.length);
    expect(all.data.campaigns.pageInfo.hasNextPage).toBe(false);
    const migmaCount = EXPECTED.filter((k) => k.startsWith('MIGMA:')).length;
    const dripcelEnd = migmaCount + EXPECTED.filter((k) => k.startsWith('DRIPCEL:')).length;

    // A page that ends exactly where Migma's (or Dripcel's) list ends still says more follows.
    for (const first of [migmaCount, dripcelEnd]) {
      const head: any = await h.query(PAGE, { first });
      expect(head.data.campaigns.edges.map((e: any) => `${e.node.provider}:${e.node.providerId}`)).toEqual(EXPECTED.slice(0, first));
      expect(head.data.campaigns.pageInfo.hasNextPage, String(first)).toBe(true);
    }
    // One that ends with the last campaign does not.
    const whole: any = await h.query(PAGE, { first: EXPECTED.length });
    expect(whole.data.campaigns.pageInfo.hasNextPage).toBe(false);

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
      expect(seen).toEqual(EXPECTED);
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
