// server.js: the two loopback servers the recorders drive browsers against:
// a page server (the page's origin) and an API server on another port of
// 127.0.0.1 (so cross-origin), whose routes refuse and allow CORS in known
// ways, and the scenarios a page runs against them. Exports start(), which
// resolves to { pageOrigin, apiOrigin, close }, and SCENARIOS.
'use strict';
const http = require('http');

// The scenarios, in order: [name, an expression of `API` giving a promise].
const SCENARIOS = [
  ['simple-ok', `fetch(API + '/simple-ok')`],
  ['no-acao', `fetch(API + '/no-acao')`],
  ['wrong-origin', `fetch(API + '/wrong-origin')`],
  ['wildcard-creds', `fetch(API + '/wildcard-creds', { credentials: 'include' })`],
  ['preflight-404', `fetch(API + '/preflight-404', { method: 'PUT', body: '{}',
                       headers: { 'Content-Type': 'application/json' } })`],
  ['header-not-allowed', `fetch(API + '/header-not-allowed',
                             { headers: { 'X-Custom': '1' } })`],
  ['put-ok', `fetch(API + '/put-ok', { method: 'PUT', body: '{}',
                headers: { 'Content-Type': 'application/json' } })`],
  ['put-ok-cached', `fetch(API + '/put-ok', { method: 'PUT', body: '{}',
                       headers: { 'Content-Type': 'application/json' } })`],
  ['redirect', `fetch(API + '/redirect')`],
  ['redirect-no-acao', `fetch(API + '/redirect-no-acao')`],
  ['xhr-ok', `new Promise(done => { const x = new XMLHttpRequest();
                x.open('GET', API + '/xhr-ok'); x.onloadend = done; x.send(); })`],
  ['xhr-no-acao', `new Promise(done => { const x = new XMLHttpRequest();
                     x.open('GET', API + '/no-acao?xhr'); x.onloadend = done; x.send(); })`],
];

const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>corsim har recorder</title></head>
<body><p>corsim har recorder page</p></body></html>
`;

// For a browser without a driver (Firefox): /start navigates to /auto,
// which runs every scenario while it loads (an image held back until the
// last one has ended delays the load event, so the HAR that Firefox
// exports when the page has loaded has them all).
function autoPage(apiOrigin) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>corsim har recorder (auto)</title></head>
<body><img src="/hold" alt=""><script>
const API = ${JSON.stringify(apiOrigin)};
const SCENARIOS = ${JSON.stringify(SCENARIOS)};
document.cookie = 'session=abc123; SameSite=Lax; path=/';
(async () => {
  for (const [name, code] of SCENARIOS) {
    try { await eval(code); } catch (e) { /* the HAR records it */ }
  }
  await fetch('/scenarios-done');
})();
</script></body></html>
`;
}

// Each route answers OPTIONS (the preflight) and the actual request.
// `origin` is the page origin that the allowing routes name.
function apiRoutes(origin) {
  const allow = { 'Access-Control-Allow-Origin': origin };
  return {
    // allowed simple GET
    '/simple-ok': { GET: [200, { ...allow, 'Content-Type': 'text/plain' }, 'ok'] },
    // allowed simple GET by XMLHttpRequest
    '/xhr-ok': { GET: [200, { ...allow, 'Content-Type': 'text/plain' }, 'ok'] },
    // no Access-Control-Allow-Origin at all
    '/no-acao': { GET: [200, { 'Content-Type': 'text/plain' }, 'secret'] },
    // an origin that is not the page's
    '/wrong-origin': {
      GET: [200, { 'Access-Control-Allow-Origin': 'http://other.example',
                   'Content-Type': 'text/plain' }, 'secret'] },
    // `*` while the request carries credentials
    '/wildcard-creds': {
      GET: [200, { 'Access-Control-Allow-Origin': '*',
                   'Content-Type': 'text/plain' }, 'secret'] },
    // the preflight answers 404
    '/preflight-404': {
      OPTIONS: [404, { ...allow, 'Content-Type': 'text/plain' }, 'not found'],
      PUT: [200, { ...allow }, 'never sent'] },
    // the preflight does not list the author header
    '/header-not-allowed': {
      OPTIONS: [204, { ...allow, 'Access-Control-Allow-Methods': 'GET',
                       'Access-Control-Allow-Headers': 'content-type' }, ''],
      GET: [200, { ...allow }, 'never sent'] },
    // allowed preflighted PUT; the preflight is cached for 600 s
    '/put-ok': {
      OPTIONS: [204, { ...allow, 'Access-Control-Allow-Methods': 'GET, PUT',
                       'Access-Control-Allow-Headers': 'content-type',
                       'Access-Control-Max-Age': '600' }, ''],
      PUT: [200, { ...allow, 'Content-Type': 'application/json' }, '{}'] },
    // a redirect that allows, to an allowing target
    '/redirect': { GET: [302, { ...allow, Location: '/simple-ok' }, ''] },
    // a redirect whose own answer lacks Access-Control-Allow-Origin
    '/redirect-no-acao': { GET: [302, { Location: '/simple-ok' }, ''] },
  };
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

async function start() {
  let apiOrigin = '';
  let release = null; // answers /hold once the scenarios are done
  const held = [];
  const page = http.createServer((req, res) => {
    const html = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };
    if (req.url === '/start') {
      res.writeHead(200, html);
      res.end('<!doctype html><title>start</title><script>' +
              'setTimeout(() => { location.href = "/auto"; }, 3000);</script>');
    } else if (req.url === '/auto') {
      res.writeHead(200, html);
      res.end(autoPage(apiOrigin));
    } else if (req.url === '/hold') {
      const gif = () => {
        res.writeHead(200, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' });
        res.end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
      };
      held.push(gif);
      setTimeout(() => { if (held.includes(gif)) gif(); }, 15000).unref();
      if (release) release();
    } else if (req.url === '/scenarios-done') {
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      res.end();
      release = () => { while (held.length) held.shift()(); };
      release();
    } else {
      res.writeHead(200, html);
      res.end(PAGE_HTML);
    }
  });
  const pagePort = await listen(page);
  const pageOrigin = `http://127.0.0.1:${pagePort}`;
  const routes = apiRoutes(pageOrigin);
  const api = http.createServer((req, res) => {
    const path = req.url.split('?')[0];
    const route = routes[path];
    const answer = route && route[req.method];
    // keep the connection simple and the answers uncached
    const common = { 'Cache-Control': 'no-store', Connection: 'close' };
    if (!answer) {
      res.writeHead(404, { ...common, 'Content-Type': 'text/plain' });
      res.end('no route');
      return;
    }
    req.resume();
    req.on('end', () => {
      const [status, headers, body] = answer;
      res.writeHead(status, { ...common, ...headers });
      res.end(body);
    });
  });
  const apiPort = await listen(api);
  apiOrigin = `http://127.0.0.1:${apiPort}`;
  return {
    pageOrigin,
    apiOrigin,
    close: () => Promise.all([page, api].map(s => new Promise(r => s.close(r)))),
  };
}

module.exports = { start, SCENARIOS };

if (require.main === module) {
  start().then(s => console.log(JSON.stringify({ page: s.pageOrigin, api: s.apiOrigin })));
}
