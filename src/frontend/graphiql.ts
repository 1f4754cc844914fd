import { createRequire } from 'node:module';
import type { GraphiQLOptions } from 'graphql-yoga';
import { StaticFiles } from './assets.js';

/** Where GraphiQL's scripts, styles, workers and icon are served, each named by its content hash. */
export const GRAPHIQL_ASSETS = '/graphiql/assets/';

type Bundle = typeof import('@graphql-yoga/render-graphiql/graphiql');

/**
 * Runs in the page after GraphiQL's bundle: points Monaco at the workers' files (yoga's own page
 * makes blob URLs of inlined copies) and renders GraphiQL with the options the page carries.
 */
const BOOT = `(function () {
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (moduleId, label) {
      return config.workers[label] || config.workers.editorWorkerService;
    },
  };
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), config.options);
})();
`;

export interface LightGraphiQL {
  /** GraphiQL's files, for the gateway to serve (`assets.plugin()`). */
  assets: StaticFiles;
  /** yoga's `renderGraphiQL`: a page of a few KB that links the files. */
  render(options: GraphiQLOptions): string;
}

let shared: LightGraphiQL | undefined;

/**
 * GraphiQL as a small page and separate same-origin files, made once per process from what
 * @graphql-yoga/render-graphiql ships (it inlines its bundle, styles, Monaco's three workers and
 * the favicon as strings into a 9 MB page). Nothing is fetched from beyond the gateway. The bundle
 * is loaded on first use only: a gateway without GraphiQL never reads it.
 */
export function lightGraphiQL(): LightGraphiQL {
  shared ??= build(createRequire(import.meta.url)('@graphql-yoga/render-graphiql/graphiql') as Bundle);
  return shared;
}

function build(bundle: Bundle): LightGraphiQL {
  const assets = new StaticFiles([GRAPHIQL_ASSETS]);
  const add = (name: string, content: string | Buffer) => assets.addHashed(GRAPHIQL_ASSETS, name, content);
  const script = add('graphiql.js', bundle.js);
  const style = add('graphiql.css', bundle.css);
  const boot = add('boot.js', BOOT);
  const favicon = add('favicon.ico', Buffer.from(bundle.favicon.slice(bundle.favicon.indexOf(',') + 1), 'base64'));
  const workers = {
    editorWorkerService: add('editor.worker.js', bundle.editorWorkerService),
    json: add('json.worker.js', bundle.jsonWorker),
    graphql: add('graphql.worker.js', bundle.graphqlWorker),
  };
  return {
    assets,
    render(options) {
      const title = escapeHtml(options.title ?? 'GraphiQL');
      const config = inlineJson({ options, workers });
      return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="icon" href="${escapeHtml(options.favicon ?? favicon)}" />
    <link rel="stylesheet" href="${style}" />
    <script src="${script}" defer></script>
    <script src="${boot}" defer></script>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script type="application/json" id="graphiql-config">${config}</script>
  </body>
</html>
`;
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that cannot end its <script> element or open a comment in it. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
