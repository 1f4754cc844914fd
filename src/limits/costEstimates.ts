import type { DocumentNode } from 'graphql';
import type { CostEstimate } from './costModel.js';

/** Works an estimate out, telling `onVariable` the name of every variable it reads. */
export type EstimateFn = (onVariable: (name: string) => void) => CostEstimate;

/** Bounds of the reuse; each document keeps at most this much, and goes when yoga's parser cache lets it go. */
export interface CostEstimateBounds {
  /** Different sets of variables read, per operation (a variable can decide which others are read). */
  shapes: number;
  /** Estimates kept per set, oldest dropped first. */
  valuesPerShape: number;
  /** Longest key (the read variables' values as JSON) worth keeping: a list of a thousand ids is not. */
  maxKeyLength: number;
}

export const COST_ESTIMATE_BOUNDS: CostEstimateBounds = { shapes: 8, valuesPerShape: 256, maxKeyLength: 1024 };

interface Shape {
  /** The variables the estimate read, in the order it read them. */
  names: readonly string[];
  /** Estimates by the values of those variables; null once a key was too long to keep. */
  byValues: Map<string, CostEstimate> | null;
}

/**
 * Reuses cost estimates across requests of the same document. An estimate is a pure function of
 * the schema, the document and the variables it reads, so a request whose read variables have the
 * same values gets the same estimate without pricing the document again: a dashboard query asked
 * for a different campaign each time (`providerId: $id`, which no price reads) is priced once. A
 * request that reads a different set of variables (`provider: $p` decides whose prices count)
 * is its own shape. Keyed on yoga's cached document objects, so nothing outlives them.
 */
export class CostEstimates {
  private readonly documents = new WeakMap<DocumentNode, Map<string, Shape[]>>();

  constructor(private readonly bounds: CostEstimateBounds = COST_ESTIMATE_BOUNDS) {}

  estimate(document: DocumentNode, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>>, work: EstimateFn): CostEstimate {
    let operations = this.documents.get(document);
    if (!operations) this.documents.set(document, (operations = new Map()));
    const name = operationName ?? '';
    let shapes = operations.get(name);
    if (!shapes) operations.set(name, (shapes = []));
    for (const shape of shapes) {
      if (!shape.byValues) continue;
      const hit = shape.byValues.get(keyOf(shape.names, variables));
      if (hit) return hit;
    }

    const names: string[] = [];
    const estimate = work((variable) => {
      if (!names.includes(variable)) names.push(variable);
    });
    let shape = shapes.find((candidate) => sameNames(candidate.names, names));
    if (!shape) {
      if (shapes.length >= this.bounds.shapes) return estimate;
      shapes.push((shape = { names, byValues: new Map() }));
    }
    if (!shape.byValues) return estimate;
    const key = keyOf(names, variables);
    if (key.length > this.bounds.maxKeyLength) {
      shape.byValues = null; // values this long (lists of ids) rarely repeat: stop keying this shape
      return estimate;
    }
    if (shape.byValues.size >= this.bounds.valuesPerShape) shape.byValues.delete(shape.byValues.keys().next().value!);
    shape.byValues.set(key, estimate);
    return estimate;
  }
}

/** The values of `names` as one string: JSON each (absent as nothing), joined by NUL, which JSON escapes. */
function keyOf(names: readonly string[], variables: Readonly<Record<string, unknown>>): string {
  let key = '';
  for (let i = 0; i < names.length; i++) key += (i ? '\u0000' : '') + (JSON.stringify(variables[names[i]!]) ?? '');
  return key;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
