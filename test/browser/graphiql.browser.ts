import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAUNCH_TIMEOUT_MS, launchChromium } from '../support/chromium.js';
import { EXAMPLE_TABS } from '../../src/frontend/exampleTabs.js';
import { startHarness, type Harness } from '../support/harness.js';


describe('GraphiQL in a real browser (offline)', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startHarness({ providers: ['EMAILSENDX'] });
    browser = await launchChromium();
  }, LAUNCH_TIMEOUT_MS + 30_000);
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
    mkdirSync('test/browser/screenshots', { recursive: true });
    try {
      // It opens with the example tabs, titled by their operations' names, the first one active.
      const titles = EXAMPLE_TABS.map((tab) => /^query (\w+)/m.exec(tab.query)![1]!);
      expect(titles).toEqual(['Dashboard', 'PagingLogs', 'AcrossProviders']);
      const tabs = page.locator('.graphiql-tabs .graphiql-tab-button');
      await tabs.first().waitFor({ timeout: 30_000 });
      await expect.poll(() => tabs.allTextContents(), { timeout: 30_000 }).toEqual(titles);
      for (const title of titles) expect(await page.locator('.graphiql-tabs').getByText(title, { exact: true }).isVisible()).toBe(true);
      expect(await page.locator('.graphiql-tab-active .graphiql-tab-button').textContent()).toBe(titles[0]);
      // The paging tab carries its cursor variables; then back to the first tab, which is run.
      // (A pointer click can start the tabs' drag-to-reorder instead: the keyboard is unambiguous.)
      const select = async (title: string) => {
        await page.locator('.graphiql-tab-button', { hasText: title }).focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => page.locator('.graphiql-tab-active .graphiql-tab-button').textContent()).toBe(title);
      };
      await select('PagingLogs');
      await page.locator('.graphiql-editor-tool').getByText('recipientLogsAfter').first().waitFor({ timeout: 10_000 });
      await select('Dashboard');
      await page.locator('.graphiql-execute-button').click({ timeout: 30_000 });
      await page.locator('.graphiql-response').getByText('"April Newsletter"').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('.graphiql-response').getByText('"EMAILSENDX"').count()).toBeGreaterThan(0);
    } finally {
      await page.screenshot({ path: 'test/browser/screenshots/graphiql.png' });
    }
    expect(foreign).toEqual([]);
  }, 90_000);
});
