import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ providers: ['MIGMA'] });
});
afterAll(() => harness.close());

it('resolves Migma campaigns as federation entities, with recipientLogs', async () => {
  const res = await harness.query(
    `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign { name recipientLogs(first: 2) { edges { node { toEmail } } } } } }`,
    { reps: [{ __typename: 'Campaign', provider: 'MIGMA', providerId: 'cmp_mg_spring_launch' }] },
  );
  expect(res.errors).toBeUndefined();
  expect(res.data._entities[0].name).toBe('Spring Launch');
  expect(res.data._entities[0].recipientLogs.edges).toHaveLength(2);
  const sdl = await harness.query(`{ _service { sdl } }`);
  expect(sdl.data._service.sdl).toContain('recipientLogs(');
});
