import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:browser`: tests that drive a real Chromium (CI installs it; see .ci/run), one file
 * at a time: two Chromiums and two gateways at once starve each other on two cores.
 */
export default defineConfig({ ...base, test: { ...base.test, include: ['test/browser/**/*.browser.ts'], fileParallelism: false } });
