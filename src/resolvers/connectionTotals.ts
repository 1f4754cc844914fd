import type { Connection } from '../relay/connection.js';

/**
 * `totalCount` of every connection: a number, or a function when counting costs upstream calls
 * (called only when the field is selected). Resolved explicitly: graphql-js would call a function
 * property by itself, other executors (graphql-jit) would not.
 */
export const totalCount = (connection: Pick<Connection<unknown>, 'totalCount'>) =>
  typeof connection.totalCount === 'function' ? connection.totalCount() : connection.totalCount;
