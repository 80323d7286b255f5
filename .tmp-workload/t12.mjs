import http from 'node:http';
const server = http.createServer((req, res) => { res.writeHead(200, {'content-length': 2}).end('ok'); });
await new Promise(r => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
const get = () => new Promise((resolve, reject) => { const req = http.request({ host: '127.0.0.1', port, path: '/', agent }, res => { res.on('data', () => {}); res.on('end', resolve); }); req.on('error', reject); req.end(); });
for (const users of [1, 10, 50]) {
  let n = 0; const t0 = performance.now(); const end = t0 + 1000;
  await Promise.all(Array.from({ length: users }, async () => { while (performance.now() < end) { await get(); n++; } }));
  console.log(users, n, (n / ((performance.now() - t0) / 1000)).toFixed(0), 'req/s');
}
server.close(); agent.destroy();
