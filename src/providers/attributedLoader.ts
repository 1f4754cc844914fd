import DataLoader from 'dataloader';
import { asCaller, callerOf, joinCaller, sharedBy, type CallContext } from '../http/callLedger.js';

/**
 * A batch function that is told, for each key, who asked for it: `callers[i]` is the caller of
 * `keys[i]` (undefined outside a request). Run a key's own call with `asCaller(callers[i], …)` (or
 * use {@link eachAsCaller}); run a call that serves several keys as `sharedBy(those callers)`.
 * Whatever the batch function calls without saying for whom runs as every key of the batch.
 */
export type AttributedBatch<K, V> = (keys: readonly K[], callers: ReadonlyArray<CallContext | undefined>) => PromiseLike<ArrayLike<V | Error>>;

const NO_CALLERS: ReadonlyArray<CallContext | undefined> = [];

/**
 * A DataLoader whose calls are attributed to the fields that asked for their keys, so a stale
 * answer is reported at each of them (src/http/callLedger.ts) rather than at the field whose
 * `load()` happened to start the batch (DataLoader runs a batch in that caller's async context).
 *
 * - Each key's caller is taken at `load()`; a key's call runs as a shared caller of the askers of
 *   that key ({@link AttributedBatch}).
 * - A key is asked once per request (DataLoader's cache): a later `load()` of the same key by
 *   another field joins the key's askers, and whatever the key's call recorded stale, before or
 *   after, is recorded at that field too. The call itself counts once.
 * - Outside a request (no ledger) `load()` costs one AsyncLocalStorage lookup more than
 *   DataLoader's, and batches run as plain DataLoader batches.
 *
 * The cache must stay on (it is how the askers of a key are found): `cache` and `cacheMap` are not
 * options. A value given with `prime()` has no askers: it was answered by the call that primed it,
 * and any staleness of that call is reported at the field that made it.
 */
export class AttributedLoader<K, V, C = K> extends DataLoader<K, V, C> {
  private readonly askers: Askers<C, V>;

  constructor(batch: AttributedBatch<K, V>, options: Omit<DataLoader.Options<K, V, C>, 'cache' | 'cacheMap'> = {}) {
    const askers = new Askers<C, V>();
    const cacheKeyOf = options.cacheKeyFn ?? ((key: K) => key as unknown as C);
    super(
      (keys) => {
        if (askers.callers.size === 0) return batch(keys, NO_CALLERS);
        const callers = keys.map((key) => askers.callers.get(cacheKeyOf(key)));
        return asCaller(sharedBy(callers), () => batch(keys, callers));
      },
      { ...options, cacheMap: askers },
    );
    this.askers = askers;
  }

  override load(key: K): Promise<V> {
    const caller = callerOf();
    if (!caller) return super.load(key);
    this.askers.caller = caller;
    try {
      return super.load(key);
    } finally {
      this.askers.caller = undefined;
    }
  }
}

/**
 * The loader's cache of promises, which also keeps each cached key's askers. DataLoader's `load()`
 * calls `get` (a cached key: the caller joins its askers) or `set` (a new key: the caller is its
 * first asker) while {@link AttributedLoader.load} has set `caller`; `prime()` does neither.
 */
class Askers<C, V> implements DataLoader.CacheMap<C, Promise<V>> {
  private readonly promises = new Map<C, Promise<V>>();
  readonly callers = new Map<C, CallContext>();
  /** The caller of the `load()` running now, if it has one. */
  caller: CallContext | undefined;

  get(key: C): Promise<V> | undefined {
    const promise = this.promises.get(key);
    if (promise && this.caller) joinCaller(this.callers.get(key), this.caller);
    return promise;
  }

  set(key: C, promise: Promise<V>): void {
    this.promises.set(key, promise);
    const shared = this.caller ? sharedBy([this.caller]) : undefined;
    if (shared) this.callers.set(key, shared);
    else this.callers.delete(key);
  }

  delete(key: C): void {
    this.promises.delete(key);
    this.callers.delete(key);
  }

  clear(): void {
    this.promises.clear();
    this.callers.clear();
  }
}

/**
 * The batch function of a loader with one call per key: `call(key)` runs as that key's caller;
 * a call that fails (or throws) is that key's Error.
 */
export function eachAsCaller<K, V>(call: (key: K) => PromiseLike<V>): AttributedBatch<K, V> {
  return (keys, callers) =>
    Promise.all(
      keys.map((key, i) => {
        try {
          return Promise.resolve(asCaller(callers[i], () => call(key))).catch((error: Error) => error);
        } catch (error) {
          return error as Error;
        }
      }),
    );
}
