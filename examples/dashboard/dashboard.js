// campaign-graph example dashboard: open, click and bounce rates per campaign across providers,
// paged through the Relay cursors of `campaigns`, with stale numbers and partial failures shown.
// Plain browser JavaScript, no build step; it talks to the gateway that serves it (/graphql).

const ENDPOINT = '/graphql';
const PAGE_SIZE = 12;
const RATES = [
  { key: 'openRate', label: 'open', css: 'open' },
  { key: 'clickRate', label: 'click', css: 'click' },
  { key: 'bounceRate', label: 'bounce', css: 'bounce' },
];

const QUERY = /* GraphQL */ `
  query DashboardPage($first: Int!, $after: String) {
    campaigns(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          provider
          name
          status
          sentAt
          stats { source sent delivered uniqueOpens uniqueClicks bounces openRate clickRate bounceRate }
        }
      }
    }
  }
`;

/**
 * What is loaded: one entry per page walked, in order. Each page keeps its own campaigns, stale
 * marks and errors, so a refresh can walk the same pages again and replace them.
 * @type {{ pages: Array<{ after: string | null, campaigns: Campaign[], errors: PageError[], hasNextPage: boolean, endCursor: string | null, totalCount: number | null }>, busy: boolean }}
 */
const state = { pages: [], busy: false };

/**
 * @typedef {{ id: string, provider: string, name: string | null, status: string, sentAt: string | null,
 *   stats: Record<string, number | null> | null, stale: StaleMark | null, statsStale: StaleMark | null, statsError: string | null }} Campaign
 * @typedef {{ ageSeconds: number, asOf: string, provider: string, route: string }} StaleMark
 * @typedef {{ provider: string | null, code: string, message: string, path: Array<string | number> }} PageError
 */

const $ = (id) => document.getElementById(id);

async function graphql(variables) {
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: QUERY, operationName: 'DashboardPage', variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`the gateway answered HTTP ${response.status} without a GraphQL body`);
  }
  if (!body.data && body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body;
}

/** One page of campaigns, with the stale answers and errors of its response attached where they belong. */
async function fetchPage(after) {
  const body = await graphql({ first: PAGE_SIZE, after });
  const connection = body.data?.campaigns ?? null;
  /** @type {Campaign[]} */
  const campaigns = (connection?.edges ?? []).map(({ node }) => ({ ...node, stale: null, statsStale: null, statsError: null }));
  for (const entry of body.extensions?.stale ?? []) {
    const mark = { ageSeconds: entry.ageSeconds, asOf: entry.asOf, provider: entry.provider, route: entry.route };
    const edge = edgeIndexOf(entry.path);
    if (edge === null) {
      // The list itself came from the cache: every campaign of that provider on this page.
      for (const campaign of campaigns) if (campaign.provider === entry.provider) campaign.stale = older(campaign.stale, mark);
    } else if (campaigns[edge]) {
      const campaign = campaigns[edge];
      if (entry.path.includes('stats')) campaign.statsStale = older(campaign.statsStale, mark);
      else campaign.stale = older(campaign.stale, mark);
    }
  }
  /** @type {PageError[]} */
  const errors = [];
  for (const error of body.errors ?? []) {
    const path = error.path ?? [];
    const edge = edgeIndexOf(path);
    if (edge !== null && campaigns[edge] && path.includes('stats')) campaigns[edge].statsError = error.extensions?.code ?? 'ERROR';
    else errors.push({ provider: error.extensions?.provider ?? null, code: error.extensions?.code ?? 'ERROR', message: error.message, path });
  }
  return {
    after,
    campaigns,
    errors,
    hasNextPage: connection?.pageInfo.hasNextPage ?? false,
    endCursor: connection?.pageInfo.endCursor ?? null,
    totalCount: connection?.totalCount ?? null,
  };
}

/** `["campaigns", "edges", 3, "node", "stats"]` → 3; a path above the edges → null. */
function edgeIndexOf(path) {
  return path[0] === 'campaigns' && path[1] === 'edges' && typeof path[2] === 'number' ? path[2] : null;
}

function older(a, b) {
  return !a || b.ageSeconds > a.ageSeconds ? b : a;
}

async function run(task) {
  if (state.busy) return;
  state.busy = true;
  render();
  try {
    await task();
    $('notices').querySelector('.notice.network')?.remove();
  } catch (error) {
    showNetworkError(error);
  } finally {
    state.busy = false;
    render();
  }
}

function loadMore() {
  return run(async () => {
    const last = state.pages.at(-1);
    state.pages.push(await fetchPage(last ? last.endCursor : null));
  });
}

/** Walks again as many pages as are loaded, from the first, and replaces them. */
function refresh() {
  return run(async () => {
    const pages = [];
    const count = Math.max(1, state.pages.length);
    for (let i = 0; i < count; i++) {
      const page = await fetchPage(i === 0 ? null : pages[i - 1].endCursor);
      pages.push(page);
      if (!page.hasNextPage) break;
    }
    state.pages = pages;
  });
}

function showNetworkError(error) {
  const notices = $('notices');
  notices.querySelector('.notice.network')?.remove();
  const notice = element('div', 'notice error network', `Could not load campaigns: ${error instanceof Error ? error.message : error}`);
  notices.prepend(notice);
}

// ---------------------------------------------------------------------------------------------
// Rendering

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag, attributes) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

const percent = (rate) => `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;

function age(seconds) {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function staleBadge(mark, what) {
  const badge = element('span', 'stale-badge', `stale · ${age(mark.ageSeconds)} old`);
  badge.title = `${what} as of ${new Date(mark.asOf).toLocaleString()}: ${mark.provider} could not answer (${mark.route}), so the gateway answered from its cache`;
  return badge;
}

function render() {
  const campaigns = state.pages.flatMap((page) => page.campaigns);
  const last = state.pages.at(-1);
  const total = state.pages.find((page) => page.totalCount !== null)?.totalCount ?? null;
  const providers = [...new Set(campaigns.map((c) => c.provider))];
  $('summary').textContent = state.pages.length
    ? `${campaigns.length}${total !== null ? ` of ${total}` : ''} campaigns from ${providers.length} provider${providers.length === 1 ? '' : 's'}${state.busy ? ' · loading…' : ''}`
    : 'Loading…';
  $('refresh').disabled = state.busy;
  const more = $('load-more');
  more.hidden = !last || !last.hasNextPage;
  more.disabled = state.busy;
  more.textContent = state.busy ? 'Loading…' : 'Load more';
  renderNotices(campaigns);
  renderProviders(campaigns);
  renderCampaigns(campaigns);
}

function renderNotices(campaigns) {
  const notices = $('notices');
  for (const old of notices.querySelectorAll('.notice:not(.network)')) old.remove();
  const failures = new Map();
  for (const error of state.pages.flatMap((page) => page.errors)) {
    const key = `${error.provider ?? 'gateway'}:${error.code}`;
    if (!failures.has(key)) failures.set(key, error);
  }
  for (const error of failures.values()) {
    const who = error.provider ?? 'The gateway';
    const text = error.path[0] === 'campaigns' && error.path.length === 1
      ? `${who} could not list its campaigns (${error.code}); the other providers' campaigns are shown, and its own follow when it answers again (Load more, Refresh).`
      : `${who}: ${error.code} at ${error.path.join('.') || 'the request'}: ${error.message}`;
    const notice = element('div', 'notice error', text);
    notice.dataset.provider = error.provider ?? '';
    notice.dataset.code = error.code;
    notices.append(notice);
  }
  const stale = campaigns.filter((c) => c.stale || c.statsStale);
  if (stale.length) {
    const oldest = Math.max(...stale.map((c) => Math.max(c.stale?.ageSeconds ?? 0, c.statsStale?.ageSeconds ?? 0)));
    const from = [...new Set(stale.flatMap((c) => [c.stale?.provider, c.statsStale?.provider]).filter(Boolean))].join(', ');
    const notice = element(
      'div',
      'notice stale',
      `Stale numbers: ${stale.length} campaign${stale.length === 1 ? '' : 's'} of ${from} were answered from the gateway's cache, up to ${age(oldest)} old, because the provider could not answer.`,
    );
    notices.append(notice);
  }
}

/** Rates per provider from the summed counts of its loaded campaigns (not an average of rates). */
function renderProviders(campaigns) {
  const container = $('by-provider');
  container.replaceChildren();
  const byProvider = new Map();
  for (const campaign of campaigns) {
    if (!byProvider.has(campaign.provider)) byProvider.set(campaign.provider, []);
    byProvider.get(campaign.provider).push(campaign);
  }
  for (const [provider, list] of byProvider) {
    const sum = (key) => list.reduce((total, c) => total + (c.stats?.[key] ?? 0), 0);
    const delivered = sum('delivered');
    const sent = sum('sent');
    const rates = {
      openRate: delivered ? sum('uniqueOpens') / delivered : null,
      clickRate: delivered ? sum('uniqueClicks') / delivered : null,
      bounceRate: sent ? sum('bounces') / sent : null,
    };
    const card = element('div', 'provider-card');
    card.dataset.provider = provider;
    const title = element('h3');
    title.append(element('span', `provider ${provider}`, provider), element('span', 'count', `${list.length} campaigns · ${sent.toLocaleString()} sent`));
    card.append(title);
    const chart = svg('svg', { viewBox: '0 0 300 78', role: 'img', 'aria-label': `${provider} rates` });
    RATES.forEach((rate, i) => {
      const y = 4 + i * 25;
      const value = rates[rate.key];
      const name = svg('text', { x: 0, y: y + 13 });
      name.textContent = rate.label;
      chart.append(name, svg('rect', { class: 'track', x: 52, y, width: 200, height: 18 }));
      if (value !== null) chart.append(svg('rect', { class: `bar ${rate.css}`, x: 52, y, width: Math.max(1, Math.min(1, value) * 200), height: 18 }));
      const label = svg('text', { x: 258, y: y + 13 });
      label.textContent = value === null ? '—' : percent(value);
      chart.append(label);
    });
    card.append(chart);
    container.append(card);
  }
}

function renderCampaigns(campaigns) {
  const list = $('campaigns');
  list.replaceChildren();
  // Each column on its own scale, so small click and bounce rates stay visible.
  const scale = Object.fromEntries(RATES.map((rate) => [rate.key, Math.max(0.01, ...campaigns.map((c) => c.stats?.[rate.key] ?? 0))]));
  for (const campaign of campaigns) {
    const item = element('li', 'campaign');
    item.dataset.provider = campaign.provider;
    item.dataset.id = campaign.id;
    const stale = campaign.stale ?? campaign.statsStale;
    if (stale) {
      item.classList.add('stale');
      item.dataset.staleAge = String(Math.max(campaign.stale?.ageSeconds ?? 0, campaign.statsStale?.ageSeconds ?? 0));
    }
    const who = element('div', 'who');
    const name = element('div', 'name', campaign.name ?? '(no name)');
    name.title = campaign.name ?? '';
    const meta = element('div', 'meta');
    meta.append(element('span', `provider ${campaign.provider}`, campaign.provider), element('span', 'status', campaign.status.toLowerCase()));
    if (campaign.stats?.sent != null) meta.append(element('span', 'sent', `${campaign.stats.sent.toLocaleString()} sent`));
    if (campaign.stale) meta.append(staleBadge(campaign.stale, 'Campaign'));
    else if (campaign.statsStale) meta.append(staleBadge(campaign.statsStale, 'Stats'));
    who.append(name, meta);
    item.append(who);
    for (const rate of RATES) item.append(rateCell(campaign, rate, scale[rate.key]));
    list.append(item);
  }
}

function rateCell(campaign, rate, max) {
  const value = campaign.stats?.[rate.key] ?? null;
  const cell = element('div', `rate ${rate.css}`);
  if (campaign.statsStale) cell.classList.add('stats-stale');
  const chart = svg('svg', { viewBox: '0 0 100 12', preserveAspectRatio: 'none', 'aria-hidden': 'true' });
  chart.append(svg('rect', { class: 'track', x: 0, y: 0, width: 100, height: 12 }));
  if (value !== null) chart.append(svg('rect', { class: `bar ${rate.css}`, x: 0, y: 0, width: Math.max(0.5, (value / max) * 100), height: 12 }));
  let text;
  if (campaign.statsError) {
    cell.classList.add('unavailable');
    text = 'n/a';
    cell.title = `${rate.label} rate unavailable: ${campaign.statsError}`;
  } else if (value === null) {
    cell.classList.add('none');
    text = '—';
    cell.title = `no ${rate.label} rate (nothing delivered yet, or the provider gives no count)`;
  } else {
    text = percent(value);
    cell.title = `${rate.label} rate ${(value * 100).toFixed(2)}%`;
  }
  cell.append(chart, element('span', 'value', text));
  return cell;
}

$('load-more').addEventListener('click', () => loadMore());
$('refresh').addEventListener('click', () => refresh());
loadMore();
