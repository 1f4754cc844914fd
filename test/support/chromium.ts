import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (.ci/run installs it); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** How long a start may take; the suites' beforeAll allows this plus the gateway's start. */
export const LAUNCH_TIMEOUT_MS = 120_000;

/**
 * Headless Chromium as the browser suites need it on this machine: no sandbox (CI runs as root),
 * and none of Chromium's own background connections, which the closed network refuses.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // The first start on a fresh machine builds Chromium's caches (fonts among them): allow it.
    timeout: LAUNCH_TIMEOUT_MS,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
