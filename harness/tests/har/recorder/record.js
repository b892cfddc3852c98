// record.js: records real HAR files: headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) loads the page served by
// server.js and makes one cross-origin fetch or XHR per scenario against
// the API server. One session gives three files in OUTDIR:
//
//   chromium-playwright.har  Playwright's recordHar, as it writes it
//   chromium-devtools.har    the same session in the shape Chromium DevTools'
//                            "Save all as HAR" writes (creator WebInspector,
//                            preflights as their own entries, _initiator,
//                            _resourceType, response._error), built here from
//                            the CDP Network events DevTools itself reads
//   chromium.console.json    every console message the page printed, each
//                            scenario's result as script saw it, and the
//                            CorsError Chromium reported for each request
//                            (Network.loadingFailed corsErrorStatus)
//
// usage: node record.js OUTDIR
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { start, SCENARIOS } = require('./server');

// ---- the CDP Network log and the DevTools-shaped HAR built from it ------

function recordNetwork(cdp) {
  const log = new Map(); // requestId -> { hops: [], extraReq: [], extraRes: [] }
  const order = [];
  const get = id => {
    if (!log.has(id)) {
      log.set(id, { id, hops: [], extraReq: [], extraRes: [], failed: null,
                    response: null, fromCache: false });
      order.push(id);
    }
    return log.get(id);
  };
  cdp.on('Network.requestWillBeSent', p => {
    const r = get(p.requestId);
    if (p.redirectResponse && r.hops.length) {
      r.hops[r.hops.length - 1].response = p.redirectResponse;
      r.hops[r.hops.length - 1].end = p.timestamp;
    }
    r.hops.push({ request: p.request, wallTime: p.wallTime, timestamp: p.timestamp,
                  initiator: p.initiator, type: p.type, response: null, end: null });
  });
  cdp.on('Network.requestWillBeSentExtraInfo', p => get(p.requestId).extraReq.push(p));
  cdp.on('Network.responseReceivedExtraInfo', p => get(p.requestId).extraRes.push(p));
  cdp.on('Network.requestServedFromCache', p => { get(p.requestId).fromCache = true; });
  cdp.on('Network.responseReceived', p => {
    const r = get(p.requestId);
    r.response = p.response;
    r.responseType = p.type;
  });
  cdp.on('Network.loadingFinished', p => { get(p.requestId).end = p.timestamp; });
  cdp.on('Network.loadingFailed', p => {
    const r = get(p.requestId);
    r.failed = p;
    r.end = p.timestamp;
  });
  return { log, order };
}

const toList = h => Object.entries(h || {}).flatMap(([name, v]) =>
    String(v).split('\n').map(value => ({ name, value })));

function devtoolsHar(net, pageUrl, pageStart) {
  const entries = [];
  for (const id of net.order) {
    const r = net.log.get(id);
    r.hops.forEach((hop, k) => {
      const last = k === r.hops.length - 1;
      const xreq = r.extraReq[k];
      const xres = r.extraRes[k];
      const reqHeaders = xreq ? toList(xreq.headers) : toList(hop.request.headers);
      const cookieHeader = reqHeaders.find(h => h.name.toLowerCase() === 'cookie');
      const cookies = cookieHeader ? cookieHeader.value.split(/;\s*/).map(c => {
        const i = c.indexOf('=');
        return { name: c.slice(0, i), value: c.slice(i + 1) };
      }) : [];
      const resp = last ? r.response : hop.response;
      let status = resp ? resp.status : (xres ? xres.statusCode : 0);
      let resHeaders = xres ? toList(xres.headers) : resp ? toList(resp.headers) : [];
      const location = resHeaders.find(h => h.name.toLowerCase() === 'location');
      const isPreflight = hop.initiator && hop.initiator.type === 'preflight';
      const type = isPreflight ? 'preflight' : String(hop.type || 'other').toLowerCase();
      const u = new URL(hop.request.url);
      const end = last ? r.end : hop.end;
      const entry = {
        _initiator: isPreflight
            ? { type: 'preflight', url: hop.initiator.url }
            : { type: hop.initiator ? hop.initiator.type : 'other' },
        _priority: hop.request.initialPriority || 'High',
        _resourceType: type,
        cache: {},
        connection: '',
        pageref: 'page_1',
        request: {
          method: hop.request.method,
          url: hop.request.url,
          httpVersion: 'HTTP/1.1',
          headers: reqHeaders,
          queryString: [...u.searchParams].map(([name, value]) => ({ name, value })),
          cookies,
          headersSize: -1,
          bodySize: hop.request.postData ? Buffer.byteLength(hop.request.postData) : 0,
        },
        response: {
          status,
          statusText: resp ? resp.statusText || '' : '',
          httpVersion: 'HTTP/1.1',
          headers: resHeaders,
          cookies: [],
          content: { size: 0, mimeType: resp ? resp.mimeType || 'x-unknown' : 'x-unknown' },
          // DevTools writes the Location value as sent, relative or not
          redirectURL: location ? location.value : '',
          headersSize: -1,
          bodySize: -1,
          _transferSize: 0,
          _error: last && r.failed ? r.failed.errorText : null,
        },
        serverIPAddress: '127.0.0.1',
        startedDateTime: new Date(hop.wallTime * 1000).toISOString(),
        time: end ? Math.max(0, (end - hop.timestamp) * 1000) : 0,
        timings: { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0,
                   wait: end ? Math.max(0, (end - hop.timestamp) * 1000) : 0, receive: 0 },
      };
      if (hop.request.postData)
        entry.request.postData = { mimeType: (reqHeaders.find(h =>
            h.name.toLowerCase() === 'content-type') || { value: '' }).value,
                                   text: hop.request.postData };
      if (r.fromCache) entry._fromCache = 'memory';
      entries.push(entry);
    });
  }
  entries.sort((a, b) => a.startedDateTime < b.startedDateTime ? -1
                       : a.startedDateTime > b.startedDateTime ? 1 : 0);
  return {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36',
                 comment: 'written by corsim\'s recorder (harness/tests/har/recorder) from ' +
                          'the CDP Network events of a real session, in the shape of ' +
                          'DevTools\' Save all as HAR' },
      pages: [{ startedDateTime: pageStart, id: 'page_1', title: pageUrl,
                pageTimings: { onContentLoad: -1, onLoad: -1 } }],
      entries,
    },
  };
}

function corsErrors(net) {
  const out = [];
  for (const id of net.order) {
    const r = net.log.get(id);
    if (!r.hops.length) continue;
    const hop = r.hops[0];
    out.push({ method: hop.request.method, url: hop.request.url,
               preflight: !!(hop.initiator && hop.initiator.type === 'preflight'),
               errorText: r.failed ? r.failed.errorText : '',
               corsError: r.failed && r.failed.corsErrorStatus
                   ? r.failed.corsErrorStatus.corsError : '',
               failedParameter: r.failed && r.failed.corsErrorStatus
                   ? r.failed.corsErrorStatus.failedParameter : '' });
  }
  return out;
}

async function main() {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: node record.js OUTDIR');
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const servers = await start();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsim-har-'));
  let context;
  const messages = [];
  const scenarios = [];
  let net;
  let pageStart;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu',
             '--disable-background-networking', '--disable-component-update',
             '--no-first-run', '--disable-sync'],
      recordHar: { path: path.join(outDir, 'chromium-playwright.har'), content: 'omit' },
    });
    // a cookie for the API host, so that credentials: 'include' sends one
    // (cookies ignore the port: both servers are on 127.0.0.1)
    await context.addCookies([{ name: 'session', value: 'abc123',
                                domain: '127.0.0.1', path: '/',
                                sameSite: 'Lax' }]);
    const page = context.pages()[0] || await context.newPage();
    page.on('console', m => messages.push({ type: m.type(), text: m.text(),
                                           url: m.location().url || '' }));
    const cdp = await context.newCDPSession(page);
    net = recordNetwork(cdp);
    await cdp.send('Network.enable');
    pageStart = new Date().toISOString();
    await page.goto(servers.pageOrigin + '/', { waitUntil: 'load' });
    for (const [name, code] of SCENARIOS) {
      const result = await page.evaluate(
          `(async () => { const API = ${JSON.stringify(servers.apiOrigin)};
             try { const r = await (${code});
                   return r && r.status !== undefined ? 'status ' + r.status
                        : r && r.target ? 'xhr status ' + r.target.status : 'done'; }
             catch (e) { return 'error ' + e.name + ': ' + e.message; } })()`);
      scenarios.push({ name, result });
      await page.waitForTimeout(50);
    }
    await page.waitForTimeout(300);
  } finally {
    if (context) await context.close();
    await servers.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(outDir, 'chromium-devtools.har'),
                   JSON.stringify(devtoolsHar(net, servers.pageOrigin + '/', pageStart),
                                  null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'chromium.console.json'),
                   JSON.stringify({ page: servers.pageOrigin, api: servers.apiOrigin,
                                    console: messages, scenarios,
                                    network: corsErrors(net) }, null, 2) + '\n');
}

main().catch(e => { console.error('record.js: ' + (e && e.stack || e)); process.exit(1); });
