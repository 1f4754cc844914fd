// Ceiling: the Mesh scenario with no GraphQL at all. node:http reads the request's variables, two
// undici calls to the Migma simulator run at once, and a hand-built answer of the same shape is
// written: what any Node gateway over these two calls costs at least. The same undici
// campaign-graph uses (resolved from the repository root). Listens on 127.0.0.1, port 0; prints
// `listening on <url>`. MIGMA_BASE_URL and MIGMA_API_KEY point it at the simulator.
import { createServer } from 'node:http';
import { fraction, get } from './ceilingUpstream.mjs';

async function answer(body) {
  const path = `/v1/campaigns/${encodeURIComponent(JSON.parse(body).variables.id)}`;
  const [stats, logs] = await Promise.all([get(`${path}/stats`), get(`${path}/logs?limit=50`)]);
  const s = stats.data;
  return JSON.stringify({
    data: {
      campaignByProviderId: {
        stats: {
          sent: s.totalSent, delivered: s.totalDelivered, opens: s.totalOpens, uniqueOpens: s.uniqueOpens, clicks: s.totalClicks,
          uniqueClicks: s.uniqueClicks, bounces: s.bounces, unsubscribes: s.unsubscribes,
          openRate: fraction(s.uniqueOpens, s.totalDelivered), clickRate: fraction(s.uniqueClicks, s.totalDelivered),
          lastUpdated: new Date(s.lastUpdated).toISOString(),
        },
        recipientLogs: { edges: logs.data.emails.slice(0, 50).map((r) => ({ node: { toEmail: r.to_email, status: r.status, openCount: r.open_count ?? 0 } })) },
      },
    },
  });
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    answer(Buffer.concat(chunks).toString()).then(
      (text) => {
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
        response.end(text);
      },
      (error) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/graphql`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
