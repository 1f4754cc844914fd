import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** `npm run test:browser`: tests that drive a real Chromium (CI installs it; see .ci/run). */
export default defineConfig({ ...base, test: { ...base.test, include: ['test/browser/**/*.browser.ts'] } });
