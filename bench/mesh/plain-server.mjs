// Ceiling: plain node:http answering every request with one fixed JSON body of BODY_BYTES bytes
// (default 14848, about 14.5 KB) after reading the request body. Listens on 127.0.0.1, port 0;
// prints `listening on <url>`.
import { createServer } from 'node:http';

function fixedBody(bytes) {
  const rows = [];
  let body = '';
  for (let i = 0; ; i++) {
    rows.push({ toEmail: `recipient${i}@example.org`, status: 'delivered', openCount: i % 4 });
    const next = JSON.stringify({ data: { rows } });
    if (Buffer.byteLength(next) > bytes) break;
    body = next;
  }
  // Pad to the exact size inside a string field.
  const pad = bytes - Buffer.byteLength(body) - ',"pad":""'.length;
  return pad > 0 ? `${body.slice(0, -1)},"pad":"${'x'.repeat(pad)}"}` : body;
}

const body = Buffer.from(fixedBody(Number(process.env.BODY_BYTES ?? 14848)));
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/ (${body.length} bytes)`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
