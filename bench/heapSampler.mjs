// Preloaded into the gateway by `PROFILE_HEAP=1 npx tsx bench/profile.ts` (node --import): V8's
// sampling heap profiler, counting the objects garbage collection has already freed too (what a
// request allocates, not only what it keeps). SIGUSR1 starts sampling, SIGUSR2 writes the profile
// to HEAP_PROFILE_OUT.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const session = new Session();
session.connect();
session.post('HeapProfiler.enable');
process.on('SIGUSR1', () => {
  session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
});
process.on('SIGUSR2', () => {
  session.post('HeapProfiler.stopSampling', (error, result) => {
    // Written beside and renamed into place: the bench waits for the name, and then it is whole.
    const out = process.env.HEAP_PROFILE_OUT;
    writeFileSync(`${out}.part`, JSON.stringify(error ? { error: String(error) } : result.profile));
    renameSync(`${out}.part`, out);
  });
});
