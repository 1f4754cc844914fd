import { test as base } from 'vitest';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';

/** Anything a test opens and must close: a harness, a simulator, a client, demo mode. */
export interface Closable {
  close(): Promise<void>;
}

export interface HarnessFixtures {
  /**
   * Starts a harness (see {@link startHarness}) that is closed when the test ends, passed or
   * failed, with the simulators it was given.
   */
  startHarness(options?: HarnessOptions): Promise<Harness>;
  /** Closes `resource` when the test ends (the last one registered first); returns it. */
  closeAfter<T extends Closable>(resource: T): T;
}

/**
 * `it` with fixtures for tests that open their own harness, simulator or client: no try/finally,
 * everything is closed after the test, even when an assertion failed half way.
 *
 *   it('...', async ({ startHarness, closeAfter }) => {
 *     const h = await startHarness({ providers: ['EMAILSENDX'] });
 *     const sim = closeAfter(await startMigmaSimulator({ apiKey: 'k' }));
 *   });
 */
export const it = base.extend<HarnessFixtures>({
  // The empty pattern is how vitest is told this fixture needs no other fixture.
  closeAfter: async ({}, use) => {
    const open: Closable[] = [];
    await use((resource) => {
      open.push(resource);
      return resource;
    });
    const failures: unknown[] = [];
    for (const resource of open.reverse()) {
      try {
        await resource.close();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} resources failed to close`);
  },
  startHarness: async ({ closeAfter }, use) => {
    await use(async (options) => closeAfter(await startHarness(options)));
  },
});
