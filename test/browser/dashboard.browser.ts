import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAUNCH_TIMEOUT_MS, launchChromium } from '../support/chromium.js';
import { startDemoGateway, type DemoGateway } from '../support/demoGateway.js';

const SCREENSHOT = 'test/browser/screenshots/dashboard.png';

/** examples/dashboard/dashboard.js asks for pages of this many campaigns. */
const PAGE_SIZE = 12;
/** The cache TTL of this gateway: short, so the test can wait past it and make answers stale. */
const TTL_S = 2;

/** The dashboard's own page query, by the test: its answers are what the page must show. */
const PAGE_QUERY = /* GraphQL */ `query DashboardPage($first: Int!, $after: String) {
  campaigns(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id provider name status stats { sent delivered uniqueOpens uniqueClicks bounces openRate clickRate bounceRate } } }
  }
}`;

type Rate = 'openRate' | 'clickRate' | 'bounceRate';
const RATES: Array<[Rate, string]> = [
  ['openRate', 'open'],
  ['clickRate', 'click'],
  ['bounceRate', 'bounce'],
];

interface ApiCampaign {
  id: string;
  provider: string;
  name: string | null;
  stats: Record<string, number | null> | null;
}

/** What the page writes for a rate (dashboard.js `percent`), and in the cell's title. */
const shown = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`);
const titled = (label: string, rate: number | null) => (rate === null ? null : `${label} rate ${(rate * 100).toFixed(2)}%`);

interface Row {
  id: string;
  provider: string;
  name: string;
  stale: boolean;
  staleAge: string | null;
  badge: string | null;
  cells: Record<string, { text: string; title: string | null; statsStale: boolean }>;
}

/** Every campaign row of the page as it is drawn. */
function rows(page: Page): Promise<Row[]> {
  return page.$$eval('#campaigns li.campaign', (items) =>
    items.map((item) => {
      const li = item as HTMLElement;
      const cell = (css: string) => {
        const element = li.querySelector(`.rate.${css}`) as HTMLElement;
        return { text: element.querySelector('.value')!.textContent!, title: element.getAttribute('title'), statsStale: element.classList.contains('stats-stale') };
      };
      return {
        id: li.dataset.id!,
        provider: li.dataset.provider!,
        name: li.querySelector('.name')!.textContent!,
        stale: li.classList.contains('stale'),
        staleAge: li.dataset.staleAge ?? null,
        badge: li.querySelector('.stale-badge')?.textContent ?? null,
        cells: { open: cell('open'), click: cell('click'), bounce: cell('bounce') },
      };
    }),
  );
}

describe('the example dashboard in a real browser (demo mode, /dashboard)', () => {
  let g: DemoGateway;
  let browser: Browser;
  beforeAll(async () => {
    // As `npm start` without keys serves it (the dashboard is there in demo mode only), with a
    // short cache TTL and no retries so the test can make the providers' numbers stale.
    g = await startDemoGateway({ CACHE_TTL_S: String(TTL_S), CACHE_STALE_S: '600', UPSTREAM_RETRIES: '0' });
    browser = await launchChromium();
  }, LAUNCH_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    await browser?.close();
    await g?.close();
  });

  async function api(after: string | null) {
    const response = await fetch(g.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: PAGE_QUERY, variables: { first: PAGE_SIZE, after } }),
    });
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    return body.data.campaigns as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: ApiCampaign }> };
  }

  /** The rows drawn agree with the API's campaigns, in order, rate by rate. */
  function expectRowsMatch(drawn: Row[], expected: ApiCampaign[]) {
    expect(drawn.map((r) => r.id)).toEqual(expected.map((c) => c.id));
    drawn.forEach((row, i) => {
      const campaign = expected[i]!;
      expect(row.provider).toBe(campaign.provider);
      expect(row.name).toBe(campaign.name ?? '(no name)');
      for (const [key, label] of RATES) {
        const rate = campaign.stats?.[key] ?? null;
        expect(row.cells[label]!.text, `${campaign.id} ${label}`).toBe(shown(rate));
        if (rate !== null) expect(row.cells[label]!.title, `${campaign.id} ${label}`).toBe(titled(label, rate));
      }
    });
  }

  it('charts rates per campaign that match the API, loads every page through the Relay cursors, marks stale numbers, and asks nothing of other origins', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(`${g.origin}/`)) foreign.push(request.url());
    });
    /** The page's own GraphQL requests (variables) and answers, in order. */
    const exchanges: Array<{ variables: { first: number; after: string | null }; body: Promise<any> }> = [];
    page.on('request', (request) => {
      if (request.url() === g.url && request.method() === 'POST') {
        const response = request.response();
        exchanges.push({ variables: request.postDataJSON().variables, body: response.then((r) => r!.json()) });
      }
    });
    mkdirSync('test/browser/screenshots', { recursive: true });
    try {
      const opened = await page.goto(`${g.origin}/dashboard`);
      expect(opened!.status()).toBe(200);
      expect(opened!.headers()['content-type']).toBe('text/html; charset=utf-8');
      await page.locator('#campaigns li.campaign').nth(PAGE_SIZE - 1).waitFor({ timeout: 30_000 });

      // Page 1 is the API's first page, rate by rate.
      const first = await api(null);
      expectRowsMatch(await rows(page), first.edges.map((e) => e.node));
      await expect.poll(() => page.locator('#summary').textContent()).toBe(`${PAGE_SIZE} of ${first.totalCount} campaigns from 2 providers`);

      // Load more until the last page: each click is one request whose `after` is the endCursor
      // the previous answer gave; the new rows are the API's next page; no campaign twice.
      const expected = first.edges.map((e) => e.node);
      let cursor = first.pageInfo.endCursor;
      let more = first.pageInfo.hasNextPage;
      let clicks = 0;
      while (more) {
        const before = exchanges.length;
        await page.locator('#load-more').click();
        clicks++;
        const next = await api(cursor);
        expected.push(...next.edges.map((e) => e.node));
        await expect.poll(() => page.locator('#campaigns li.campaign').count(), { timeout: 30_000 }).toBe(expected.length);
        expect(exchanges.length).toBe(before + 1);
        const exchange = exchanges.at(-1)!;
        expect(exchange.variables).toEqual({ first: PAGE_SIZE, after: cursor });
        const pageBody = await exchange.body;
        expect(pageBody.data.campaigns.edges.map((e: any) => e.node.id)).toEqual(next.edges.map((e) => e.node.id));
        cursor = next.pageInfo.endCursor;
        more = next.pageInfo.hasNextPage;
      }
      // The cursors chain: every request after the first carries the endCursor of the one before.
      const bodies = await Promise.all(exchanges.map((e) => e.body));
      exchanges.forEach((exchange, i) => expect(exchange.variables.after).toBe(i === 0 ? null : bodies[i - 1].data.campaigns.pageInfo.endCursor));

      const drawn = await rows(page);
      expect(clicks).toBeGreaterThanOrEqual(2);
      expect(drawn).toHaveLength(first.totalCount);
      expect(new Set(drawn.map((r) => r.id)).size).toBe(drawn.length);
      expectRowsMatch(drawn, expected);
      await expect.poll(() => page.locator('#load-more').isHidden()).toBe(true);
      // Every provider that lists campaigns is charted (Infobip has no listing: the page says so).
      const providers = [...new Set(drawn.map((r) => r.provider))];
      expect(providers).toEqual(['MIGMA', 'DRIPCEL', 'EMAILSENDX']);
      expect(await page.locator('#summary').textContent()).toBe(`${first.totalCount} of ${first.totalCount} campaigns from 3 providers`);
      expect(await page.locator('header .lede').textContent()).toContain('Infobip has no campaign listing');
      // Open, click and bounce rates drawn as numbers for the providers that give the counts
      // (Migma, EmailSendX); Dripcel is SMS: only `sent`, so its rates are null and drawn as "—".
      const numeric = (row: Row) => Object.values(row.cells).every((cell) => /^\d+(\.\d)?%$/.test(cell.text));
      for (const provider of ['MIGMA', 'EMAILSENDX']) {
        expect(drawn.filter((r) => r.provider === provider && numeric(r)).length, provider).toBeGreaterThanOrEqual(3);
      }
      expect(drawn.filter((r) => r.provider === 'DRIPCEL').every((r) => Object.values(r.cells).every((cell) => cell.text === '—'))).toBe(true);

      // The per-provider cards: rates from the summed counts of the loaded campaigns.
      for (const provider of providers) {
        const list = expected.filter((c) => c.provider === provider);
        const sum = (key: string) => list.reduce((total, c) => total + (c.stats?.[key] ?? 0), 0);
        const labels = await page.locator(`.provider-card[data-provider="${provider}"] svg text`).allTextContents();
        const delivered = sum('delivered');
        const sent = sum('sent');
        expect(labels).toEqual([
          'open',
          shown(delivered ? sum('uniqueOpens') / delivered : null),
          'click',
          shown(delivered ? sum('uniqueClicks') / delivered : null),
          'bounce',
          shown(sent ? sum('bounces') / sent : null),
        ]);
        expect(await page.locator(`.provider-card[data-provider="${provider}"] .count`).textContent()).toBe(`${list.length} campaigns · ${sent.toLocaleString('en-US')} sent`);
      }
      expect(drawn.some((r) => r.stale)).toBe(false);
      expect(await page.locator('.notice').count()).toBe(0);

      // Stale numbers: past the TTL, EmailSendX stops answering (its list, and with it its
      // stats) and Migma's stats route too. Refresh walks the same pages again; the gateway
      // answers those parts from its cache and says so in extensions.stale; the page marks them.
      await new Promise((resolve) => setTimeout(resolve, TTL_S * 1000 + 300));
      g.demo.simulators.EMAILSENDX!.inject({ kind: '503', times: Infinity });
      g.demo.simulators.MIGMA!.inject({ kind: '503', route: 'GET /v1/campaigns/:id/stats', times: Infinity });
      const walked = exchanges.length;
      await page.locator('#refresh').click();
      await page.locator('.notice.stale').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.locator('#refresh').isDisabled()).toBe(false);
      const refreshed = await Promise.all(exchanges.slice(walked).map((e) => e.body));
      expect(refreshed).toHaveLength(bodies.length);
      for (const body of refreshed) expect(body.errors).toBeUndefined();
      const staleProviders = new Set(refreshed.flatMap((b) => (b.extensions?.stale ?? []).map((s: any) => s.provider)));
      expect([...staleProviders].sort()).toEqual(['EMAILSENDX', 'MIGMA']);

      const after = await rows(page);
      // The numbers stand (the cache's), in the same order.
      expectRowsMatch(after, expected);
      // Which campaigns extensions.stale names, page by page: a path into an edge names that
      // campaign (its stats, or the campaign itself); a path above the edges (the list, its
      // totalCount) every campaign of that provider on the page.
      const staleById = new Map<string, Set<'campaign' | 'stats'>>();
      refreshed.forEach((body) => {
        const nodes: ApiCampaign[] = body.data.campaigns.edges.map((e: any) => e.node);
        for (const entry of body.extensions?.stale ?? []) {
          const path = entry.path as Array<string | number>;
          const named = path[1] === 'edges' && typeof path[2] === 'number' ? [nodes[path[2]]!] : nodes.filter((n) => n.provider === entry.provider);
          for (const node of named) {
            if (!staleById.has(node.id)) staleById.set(node.id, new Set());
            staleById.get(node.id)!.add(path.includes('stats') ? 'stats' : 'campaign');
          }
        }
      });
      // What the faults make stale: every EmailSendX campaign (its whole list came from the
      // cache), the stats of every Migma campaign (each its own stats call, all of a page's in
      // one DataLoader batch, each reported at its own edge), nothing of Dripcel.
      for (const c of expected.filter((c) => c.provider === 'EMAILSENDX')) expect(staleById.get(c.id), c.id).toContain('campaign');
      for (const c of expected.filter((c) => c.provider === 'DRIPCEL')) expect(staleById.has(c.id), c.id).toBe(false);
      const migma = expected.filter((c) => c.provider === 'MIGMA');
      expect(migma.length).toBeGreaterThanOrEqual(3);
      for (const c of migma) expect(staleById.get(c.id), c.id).toContain('stats');
      // Page by page, one stale stats entry per Migma edge, at that edge's stats. (Other Migma
      // entries may come too: once the stats failures open Migma's circuit, a later page's
      // list probe for totalCount is answered stale, at ["campaigns","totalCount"].)
      refreshed.forEach((body, page) => {
        const edges: number[] = body.data.campaigns.edges.flatMap((e: any, i: number) => (e.node.provider === 'MIGMA' ? [i] : []));
        const entries = (body.extensions?.stale ?? []).filter((s: any) => s.route === 'GET /v1/campaigns/:id/stats');
        expect(entries.map((s: any) => JSON.stringify(s.path)).sort(), `page ${page}`).toEqual(edges.map((i) => JSON.stringify(['campaigns', 'edges', i, 'node', 'stats'])).sort());
        for (const entry of entries) expect(entry.provider).toBe('MIGMA');
      });
      // And the page marks exactly those, with their age.
      for (const row of after) {
        const kinds = staleById.get(row.id);
        expect(row.stale, `${row.provider} ${row.id}`).toBe(kinds !== undefined);
        if (!kinds) {
          expect(row.badge, row.id).toBeNull();
          for (const cell of Object.values(row.cells)) expect(cell.statsStale, row.id).toBe(false);
          continue;
        }
        expect(row.badge, row.id).toMatch(/^stale · \d+ s old$/);
        expect(Number(row.staleAge)).toBeGreaterThanOrEqual(TTL_S);
        expect(Number(/(\d+) s old/.exec(row.badge!)![1])).toBe(Number(row.staleAge));
        for (const cell of Object.values(row.cells)) expect(cell.statsStale, row.id).toBe(kinds.has('stats'));
        const title = await page.locator(`li.campaign[data-id="${row.id}"] .stale-badge`).getAttribute('title');
        expect(title, row.id).toMatch(kinds.has('campaign') ? /^Campaign as of / : /^Stats as of .+: MIGMA could not answer \(GET \/v1\/campaigns\/:id\/stats\)/);
      }
      const staleCount = after.filter((r) => r.stale).length;
      expect(staleCount).toBe(staleById.size);
      expect(staleCount).toBe(after.filter((r) => r.provider === 'EMAILSENDX' || r.provider === 'MIGMA').length);
      const notice = await page.locator('.notice.stale').textContent();
      expect(notice).toMatch(new RegExp(`^Stale numbers: ${staleCount} campaigns of (EMAILSENDX, MIGMA|MIGMA, EMAILSENDX) were answered from the gateway's cache, up to \\d+ s old`));
      const badgeTitle = await page.locator('li.campaign[data-provider="EMAILSENDX"] .stale-badge').first().getAttribute('title');
      expect(badgeTitle).toMatch(/^Campaign as of .+: EMAILSENDX could not answer \(GET \/api\/v1\/campaigns\), so the gateway answered from its cache$/);
      await page.locator('li.campaign.stale').first().scrollIntoViewIfNeeded();
    } finally {
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
    expect(foreign).toEqual([]);
  }, 180_000);
});
