import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { StaticFiles, contentTypeOf } from './assets.js';

/** Where the example dashboard is served in demo mode: its page, and its files by content hash. */
export const DASHBOARD_PATH = '/dashboard';
export const DASHBOARD_ASSETS = '/dashboard/assets/';

/** examples/dashboard, from src/frontend and from dist/frontend alike. */
const FOLDER = fileURLToPath(new URL('../../examples/dashboard/', import.meta.url));

/**
 * examples/dashboard served by the gateway itself (same origin as /graphql): its index.html at
 * `/dashboard` (and `/dashboard/`), revalidated by ETag, each other file of the folder under
 * `/dashboard/assets/` by content hash, immutable. The page's references to its files
 * (`src="dashboard.js"`, `href="./dashboard.css"`) are rewritten to the hashed paths. Null, with a
 * warning, when the folder is not there (an image built without it).
 */
export function dashboardFiles(logger: Logger, folder = FOLDER): StaticFiles | null {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name !== 'index.html' && name !== 'README.md');
  } catch {
    logger.warn({ folder }, 'the example dashboard is not served: its folder is missing');
    return null;
  }
  const files = new StaticFiles([DASHBOARD_PATH, `${DASHBOARD_PATH}/`]);
  let page = readFileSync(`${folder}index.html`, 'utf8');
  for (const name of names) {
    const path = files.addHashed(DASHBOARD_ASSETS, name, readFileSync(`${folder}${name}`));
    page = page.replace(new RegExp(`(src|href)="(?:\\./)?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'g'), `$1="${path}"`);
  }
  // The page's paths have no extension to take its type from: without this it was
  // application/octet-stream, which a browser (nosniff) downloads instead of showing.
  files.add(DASHBOARD_PATH, page, contentTypeOf('index.html'));
  files.add(`${DASHBOARD_PATH}/`, page, contentTypeOf('index.html'));
  return files;
}
