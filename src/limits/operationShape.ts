import { Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { QueryTooComplexError } from '../errors.js';

/** Shape limits (GATEWAY_MAX_DEPTH, GATEWAY_MAX_ALIASES, GATEWAY_MAX_DIRECTIVES). */
export interface ShapeLimits {
  depth: number;
  aliases: number;
  directives: number;
}

/**
 * One validation rule for the operation's shape, checked before anything executes: its depth
 * (fields nested in fields, fragments followed; introspection's own nesting not counted), its
 * aliases, and its directives, each against its limit. Over a limit: QUERY_TOO_COMPLEX with
 * `extensions.limit`, `max` and `actual`.
 */
export function operationShapeRule(limits: ShapeLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(operation) {
        const memo = new Map<string, Shape>();
        const shape = measure(operation.selectionSet, fragments, memo, new Set());
        const directives = shape.directives + (operation.directives?.length ?? 0);
        const over = (
          [
            ['depth', shape.depth, limits.depth, 'fields nested too deep'],
            ['aliases', shape.aliases, limits.aliases, 'too many aliased fields'],
            ['directives', directives, limits.directives, 'too many directives'],
          ] as const
        ).find(([, actual, max]) => actual > max);
        if (over) {
          const [limit, actual, max, detail] = over;
          context.reportError(new QueryTooComplexError(limit, max, actual, detail));
        }
      },
    };
  };
}

interface Shape {
  depth: number;
  aliases: number;
  directives: number;
}

/**
 * A selection set's depth, aliases and directives, fragments included as often as they are spread.
 * Each fragment is measured once (memo): nested spreads cannot make this walk exponential, and the
 * counts still grow with every spread, as execution would.
 */
function measure(
  selections: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  memo: Map<string, Shape>,
  onPath: Set<string>,
): Shape {
  const shape: Shape = { depth: 0, aliases: 0, directives: 0 };
  const add = (inner: Shape, extraDepth: number) => {
    shape.depth = Math.max(shape.depth, inner.depth + extraDepth);
    shape.aliases += inner.aliases;
    shape.directives += inner.directives;
  };
  for (const selection of selections.selections) {
    shape.directives += selection.directives?.length ?? 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) shape.aliases++;
      // Introspection nests `ofType` deep by design; the gateway serves it without upstream calls.
      if (selection.name.value.startsWith('__')) continue;
      add(selection.selectionSet ? measure(selection.selectionSet, fragments, memo, onPath) : { depth: 0, aliases: 0, directives: 0 }, 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      add(measure(selection.selectionSet, fragments, memo, onPath), 0);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A cycle is reported by graphql-js's own rule; an unknown fragment too.
      if (!fragment || onPath.has(name)) continue;
      let inner = memo.get(name);
      if (!inner) {
        onPath.add(name);
        inner = measure(fragment.selectionSet, fragments, memo, onPath);
        inner = { ...inner, directives: inner.directives + (fragment.directives?.length ?? 0) };
        onPath.delete(name);
        memo.set(name, inner);
      }
      add(inner, 0);
    }
  }
  return shape;
}
