import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('GraphiQL in a real browser (offline)', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startHarness({ providers: ['EMAILSENDX'] });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('renders without any network beyond the gateway and runs the default query', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(h.url.replace(/\/graphql$/, '')) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
        foreign.push(request.url());
      }
    });
    await page.goto(h.url);
    await page.locator('.graphiql-execute-button').click({ timeout: 30_000 });
    mkdirSync('test/browser/screenshots', { recursive: true });
    try {
      await page.locator('.graphiql-response').getByText('"April Newsletter"').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('.graphiql-response').getByText('"EMAILSENDX"').count()).toBeGreaterThan(0);
    } finally {
      await page.screenshot({ path: 'test/browser/screenshots/graphiql.png' });
    }
    expect(foreign).toEqual([]);
  }, 90_000);
});
