import {
  getVariableValues,
  isEnumType,
  Kind,
  locatedError,
  visit,
  type ExecutionResult,
  type FieldNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';

/** When a document is executed by a compiled function instead of graphql-tools' interpreter. */
export interface CompiledExecutionOptions {
  /**
   * Executions of the same parsed document before it is compiled (yoga's parser cache hands the
   * same document object to every request with the same text): a one-off document never pays a
   * compilation, which costs about a hundred executions.
   */
  minUses: number;
  /**
   * Most fields a document may have once its fragments are expanded (the compiler inlines every
   * spread: ten fragments that each spread the next twice are a thousand fields). Larger ones run
   * on the interpreter, which merges repeated fields instead.
   */
  maxExpandedFields: number;
}

export const COMPILED_EXECUTION_DEFAULTS: CompiledExecutionOptions = { minUses: 3, maxExpandedFields: 2000 };

/** Where each execution's engine is counted (GatewayMetrics in the gateway). */
export interface ExecutionRecorder {
  execution(engine: 'compiled' | 'interpreted'): void;
}

interface DocumentState {
  uses: number;
  /** Per operation name ('' for the only one): the compiled query, or null when it runs on the interpreter. */
  compiled: Map<string, Compiled | null>;
}

interface Compiled {
  query: CompiledQuery['query'];
  /** The document's fields by `line:column`: graphql-jit's errors carry locations, not nodes. */
  fields: Map<string, FieldNode>;
}

/**
 * Executes the documents a gateway sees again and again with graphql-jit's compiled functions
 * (no per-field interpretation: about 12% more requests per CPU-second on the bench's Mesh
 * scenario, docs/performance.md), and everything else with the interpreter, which stays the
 * reference: a document compiles only after `minUses` executions, only when its expanded size is
 * at most `maxExpandedFields`, only when it compiles at all, and a request whose variables graphql-js
 * would refuse runs on the interpreter so its errors are exactly the usual ones.
 *
 * Put it before the plugins that wrap the execute function (the call ledger): they wrap this one.
 */
export function compiledExecution<TContext extends Record<string, any>>(options: CompiledExecutionOptions = COMPILED_EXECUTION_DEFAULTS, recorder?: ExecutionRecorder): Plugin<TContext> {
  const documents = new WeakMap<DocumentNode, DocumentState>();
  return {
    onExecute({ args, setExecuteFn }) {
      const document = args.document;
      let state = documents.get(document);
      if (!state) documents.set(document, (state = { uses: 0, compiled: new Map() }));
      if (++state.uses < options.minUses) return recorder?.execution('interpreted');
      const name = args.operationName ?? '';
      let compiled = state.compiled.get(name);
      if (compiled === undefined) {
        compiled = compile(args.schema, document, args.operationName ?? undefined, options.maxExpandedFields);
        state.compiled.set(name, compiled);
      }
      if (!compiled) return recorder?.execution('interpreted');
      const operation = operationOf(document, args.operationName);
      if (operation?.variableDefinitions?.length) {
        const coerced = getVariableValues(args.schema, operation.variableDefinitions, (args.variableValues ?? {}) as Record<string, unknown>);
        if (coerced.errors) return recorder?.execution('interpreted');
      }
      recorder?.execution('compiled');
      const { query, fields } = compiled;
      setExecuteFn((execution) => {
        const result = query(execution.rootValue, execution.contextValue, execution.variableValues);
        return isPromise(result) ? result.then((done) => locateErrors(done, fields)) : locateErrors(result, fields);
      });
    },
  };
}

/** The compiled query of a document's operation, or null when it is to run on the interpreter. */
function compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, maxExpandedFields: number): Compiled | null {
  const operation = operationOf(document, operationName ?? null);
  if (!operation || operation.operation !== 'query') return null;
  if (!operation.variableDefinitions?.every((definition) => isPlainVariable(schema, definition.type))) return null;
  if (expandedFieldCount(document, operation, maxExpandedFields) > maxExpandedFields) return null;
  try {
    const compiled = compileQuery(schema, document, operationName);
    return isCompiledQuery(compiled) ? { query: compiled.query.bind(compiled), fields: fieldsByLocation(document) } : null;
  } catch {
    return null;
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>)?.then === 'function';
}

/**
 * The result with each error as graphql-js's executor would have made it: `locatedError` of what
 * the resolver threw (or of the executor's own message), with the field's AST node, so locations
 * survive yoga's serialisation (which rebuilds errors from their nodes) and the error mapping
 * (src/errors.ts) sees the same `originalError`.
 */
function locateErrors(result: ExecutionResult, fields: Map<string, FieldNode>): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    if (error.nodes?.length) return error;
    const nodes = (error.locations ?? []).map(({ line, column }) => fields.get(`${line}:${column}`)).filter((node): node is FieldNode => node !== undefined);
    return locatedError(error.originalError ?? new Error(error.message), nodes.length ? nodes : undefined, error.path);
  });
  return { ...result, errors };
}

function fieldsByLocation(document: DocumentNode): Map<string, FieldNode> {
  const fields = new Map<string, FieldNode>();
  visit(document, {
    Field(node) {
      const start = node.loc?.startToken;
      if (start) fields.set(`${start.line}:${start.column}`, node);
    },
  });
  return fields;
}

const BUILT_IN_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

/**
 * A variable of a built-in scalar or an enum, nullable or not. graphql-jit coerces variables with
 * its own code, which differs from graphql-js on lists of custom scalars (it flattened a list in
 * `[_Any!]!` into the outer one): operations with list, input-object or custom-scalar variables
 * (federation's `_entities`, `nodes(ids:)`) run on the interpreter.
 */
function isPlainVariable(schema: GraphQLSchema, type: TypeNode): boolean {
  const named = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  if (named.kind !== Kind.NAMED_TYPE) return false;
  if (BUILT_IN_SCALARS.has(named.name.value)) return true;
  return isEnumType(schema.getType(named.name.value));
}

function operationOf(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | null {
  let found: OperationDefinitionNode | null = null;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName == null) {
      if (found) return null;
      found = definition;
    } else if (definition.name?.value === operationName) {
      return definition;
    }
  }
  return found;
}

/**
 * How many fields `operation` has with every fragment spread expanded in place (each fragment's
 * size counted once and reused), or a number over `cap` as soon as it passes it. A spread of an
 * unknown fragment or a cycle counts as over (validation refuses both before execution anyway).
 */
export function expandedFieldCount(document: DocumentNode, operation: OperationDefinitionNode, cap: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const sizes = new Map<string, number>();
  const visiting = new Set<string>();
  const over = cap + 1;
  const sizeOf = (selectionSet: SelectionSetNode | undefined): number => {
    if (!selectionSet) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) total += 1 + sizeOf(selection.selectionSet);
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += sizeOf(selection.selectionSet);
      else {
        const name = selection.name.value;
        let size = sizes.get(name);
        if (size === undefined) {
          const fragment = fragments.get(name);
          if (!fragment || visiting.has(name)) return over;
          visiting.add(name);
          size = sizeOf(fragment.selectionSet);
          visiting.delete(name);
          sizes.set(name, size);
        }
        total += size;
      }
      if (total > cap) return over;
    }
    return total;
  };
  return sizeOf(operation.selectionSet);
}
