import http from 'node:http';
const server = http.createServer((req, res) => { res.writeHead(200, {'content-length': 2}).end('ok'); });
await new Promise(r => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
const get = (signal) => new Promise((resolve, reject) => { const req = http.request({ host: '127.0.0.1', port, path: '/', agent, signal }, res => { res.on('data', () => {}); res.on('end', resolve); }); req.on('error', reject); req.end(); });
const variants = {
  plain: () => get(),
  signal: () => { const ac = new AbortController(); return get(ac.signal); },
  timer: async () => { let t; const p = new Promise((_, rej) => { t = setTimeout(() => rej(new Error('x')), 10000); }); try { await Promise.race([get(), p]); } finally { clearTimeout(t); } },
};
for (const [name, fn] of Object.entries(variants)) {
  let n = 0; const t0 = performance.now(); const end = t0 + 700;
  await Promise.all(Array.from({ length: 10 }, async () => { while (performance.now() < end) { await fn(); n++; } }));
  console.log(name, (n / ((performance.now() - t0) / 1000)).toFixed(0), 'req/s');
}
server.close(); agent.destroy();
