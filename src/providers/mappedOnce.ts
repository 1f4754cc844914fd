/**
 * A cached upstream answer is the same object for every request that hits it (the in-memory
 * cache hands out what it stored), so its domain models need mapping only once: `mappedOnce`
 * remembers, per answer object and mapping function, what the mapping returned. Answers read from
 * Redis are new objects each time and are simply mapped again. The models are shared: nothing may
 * mutate them (nothing does; resolvers only read).
 */
const memo = new WeakMap<object, Map<unknown, unknown>>();

export function mappedOnce<W extends object, M>(wire: W, map: (wire: W) => M): M {
  let byMapping = memo.get(wire);
  if (!byMapping) {
    byMapping = new Map();
    memo.set(wire, byMapping);
  }
  if (byMapping.has(map)) return byMapping.get(map) as M;
  const mapped = map(wire);
  byMapping.set(map, mapped);
  return mapped;
}
