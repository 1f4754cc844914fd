// Ceiling: a bare graphql-yoga server answering `{ hello }`, the same graphql-yoga campaign-graph
// uses (resolved from the repository root, not from bench/mesh/node_modules). Listens on
// 127.0.0.1, port 0; prints `listening on <url>`.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const root = createRequire(new URL('../../package.json', import.meta.url));
const { createSchema, createYoga } = root('graphql-yoga');

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
  graphiql: false,
  landingPage: false,
  logging: false,
});
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/graphql`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
