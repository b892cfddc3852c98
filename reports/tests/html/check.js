#!/usr/bin/env node
// check.js: opens corsim's HTML reports in Debian's Chromium (through
// playwright-core, no browser download) and checks them the way a reader
// would meet them: every case present and drawn, the filters hiding and
// showing rows, nothing loaded from the network, no console or page
// error, a page that is not blank in light and dark, readable without
// JavaScript, and no markup smuggled in from a vector.
//
//   node check.js --corpus X.html --corpus-json X.json
//                 [--suite S.html --suite-json S.json] [--hostile H.html]
//                 [--shots DIR]
//
// The JSON files are corsim's JSON reports of the same runs: the case
// counts are taken from them. Prints one line per check, "ok - NAME" or
// "not ok - NAME" followed by "# " lines (t_formats.sh numbers them as
// TAP), and exits 1 when a check failed, 2 on bad arguments.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-sync', '--disable-quic'];

// ---- arguments ----------------------------------------------------------

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) {
      console.error(`check.js: bad argument '${key}'`);
      process.exit(2);
    }
    opts[key.slice(2)] = value;
  }
  if (!opts.corpus || !opts['corpus-json']) {
    console.error('usage: check.js --corpus X.html --corpus-json X.json ' +
      '[--suite S.html --suite-json S.json] [--hostile H.html] [--shots DIR]');
    process.exit(2);
  }
  return opts;
}

// ---- reporting ------------------------------------------------------------

let failures = 0;
function ok(name) { console.log(`ok - ${name}`); }
function notOk(name, why) {
  failures++;
  console.log(`not ok - ${name}`);
  for (const line of String(why).split('\n').slice(0, 30)) console.log(`# ${line}`);
}
async function check(name, fn) {
  try {
    const why = await fn();
    if (why === true || why === undefined) ok(name); else notOk(name, why);
  } catch (e) {
    notOk(name, e && e.stack ? e.stack : e);
  }
}

// ---- a tiny PNG decoder: 8-bit RGB or RGBA, no interlace -------------------

function decodePng(buf) {
  const sig = '89504e470d0a1a0a';
  if (buf.subarray(0, 8).toString('hex') !== sig) throw new Error('not a PNG');
  let pos = 8;
  let width = 0, height = 0, depth = 0, type = 0, interlace = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const kind = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      type = data[9];
      interlace = data[12];
    } else if (kind === 'IDAT') {
      idat.push(data);
    } else if (kind === 'IEND') {
      break;
    }
    pos += 12 + len;
  }
  if (depth !== 8 || (type !== 2 && type !== 6) || interlace !== 0)
    throw new Error(`unsupported PNG: depth ${depth}, colour type ${type}, interlace ${interlace}`);
  const bpp = type === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[y * stride + x - bpp] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter}`);
      out[y * stride + x] = v & 0xff;
    }
  }
  return { width, height, bpp, pixels: out };
}

// Distinct colours and the share of the most common one.
function colourStats(png) {
  const counts = new Map();
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const o = i * png.bpp;
    const key = (png.pixels[o] << 16) | (png.pixels[o + 1] << 8) | png.pixels[o + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  let top = 0;
  for (const c of counts.values()) top = Math.max(top, c);
  return { distinct: counts.size, topShare: top / n };
}

async function notBlank(page, name, shots) {
  const png = await page.screenshot({ fullPage: false });
  if (shots) fs.writeFileSync(path.join(shots, `${name}.png`), png);
  const stats = colourStats(decodePng(png));
  if (stats.distinct < 16 || stats.topShare > 0.97)
    return `the screenshot looks blank: ${stats.distinct} colours, ` +
      `the commonest covers ${(stats.topShare * 100).toFixed(1)}%`;
  return true;
}

// ---- opening a page ---------------------------------------------------------

// Opens `file` in `context` and records console errors, page errors,
// dialogs and every request that is not the file itself.
async function open(context, file) {
  const page = await context.newPage();
  const seen = { errors: [], requests: [], dialogs: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => seen.errors.push(`page error: ${err.message}`));
  page.on('dialog', async (dialog) => {
    seen.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const url = 'file://' + path.resolve(file);
  page.on('request', (req) => {
    if (req.url() !== url) seen.requests.push(req.url());
  });
  await page.goto(url, { waitUntil: 'load', timeout: 120000 });
  return { page, seen };
}

function readSummary(jsonFile) {
  return JSON.parse(fs.readFileSync(jsonFile, 'utf8')).summary;
}

// Which items are visible, by status.
async function visibleByStatus(page) {
  return page.evaluate(() => {
    const out = { shown: {}, hidden: {} };
    for (const el of document.querySelectorAll('#cases .item')) {
      const bag = el.checkVisibility() ? out.shown : out.hidden;
      bag[el.dataset.status] = (bag[el.dataset.status] || 0) + 1;
    }
    return out;
  });
}

async function setStatus(page, status, on) {
  const box = page.locator(`#filters input[name=status][value=${status}]`);
  if (on) await box.check({ timeout: 5000 }); else await box.uncheck({ timeout: 5000 });
}

// ---- the checks -------------------------------------------------------------

async function checkCommon(page, seen, label, summary) {
  await check(`${label}: no console error, page error or dialog`, () =>
    seen.errors.length + seen.dialogs.length === 0 ||
    seen.errors.concat(seen.dialogs.map((d) => `dialog: ${d}`)).join('\n'));
  await check(`${label}: nothing is fetched but the file itself`, () =>
    seen.requests.length === 0 || seen.requests.join('\n'));
  await check(`${label}: one case element per case of the JSON report (${summary.cases})`,
    async () => {
      const n = await page.locator('#cases .case').count();
      return n === summary.cases || `${n} case elements, the JSON report has ${summary.cases} cases`;
    });
  await check(`${label}: every case has an SVG sequence diagram`, async () => {
    const bare = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#cases .case'))
        .filter((el) => el.querySelector('svg.sd') === null)
        .map((el) => el.id));
    return bare.length === 0 || `no diagram in ${bare.slice(0, 10).join(', ')}`;
  });
  await check(`${label}: every link goes to an https URL or into the page`, async () => {
    const bad = await page.evaluate(() =>
      Array.from(document.querySelectorAll('a[href]'))
        .map((a) => a.getAttribute('href'))
        .filter((h) => !h.startsWith('https://') && !h.startsWith('#')));
    return bad.length === 0 || `links: ${bad.slice(0, 10).join(', ')}`;
  });
  await check(`${label}: the summary and the filters come before the cases`, async () => {
    const order = await page.evaluate(() => {
      const ids = Array.from(document.body.children).map((el) => el.id || el.tagName);
      return ids.indexOf('summary') < ids.indexOf('cases') &&
        ids.indexOf('filters') < ids.indexOf('cases') &&
        !document.getElementById('filters').hidden;
    });
    return order || 'the script did not move the summary and filters up';
  });
  await check(`${label}: the outcome filter hides and shows rows`, async () => {
    const before = await visibleByStatus(page);
    const total = Object.values(before.shown).reduce((a, b) => a + b, 0);
    if (Object.keys(before.hidden).length !== 0) return 'rows hidden before filtering';
    await setStatus(page, 'pass', false);
    const off = await visibleByStatus(page);
    const shownText = await page.locator('#shown').textContent();
    await setStatus(page, 'pass', true);
    const on = await visibleByStatus(page);
    const passes = before.shown.pass || 0;
    if ((off.shown.pass || 0) !== 0) return `${off.shown.pass} passing rows still shown with 'pass' off`;
    if ((off.hidden.pass || 0) !== passes) return `${off.hidden.pass || 0} of ${passes} passing rows hidden`;
    for (const st of ['fail', 'error', 'skip'])
      if ((off.shown[st] || 0) !== (before.shown[st] || 0)) return `'${st}' rows changed with 'pass' off`;
    if (!shownText.startsWith(`${total - passes} of ${total}`)) return `counter says '${shownText}'`;
    if (Object.keys(on.hidden).length !== 0) return 'rows stay hidden after turning pass back on';
    return true;
  });
}

async function checkSuite(page, summary) {
  await check('suite: only failing and erroring cases start open', async () => {
    const wrong = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#cases details.case'))
        .filter((el) => el.open !== (el.dataset.status === 'fail' || el.dataset.status === 'error'))
        .map((el) => el.id));
    return wrong.length === 0 || `wrong open state: ${wrong.join(', ')}`;
  });
  await check('suite: showing only failures leaves the failing cases', async () => {
    for (const st of ['pass', 'error', 'skip']) await setStatus(page, st, false);
    const v = await visibleByStatus(page);
    for (const st of ['pass', 'error', 'skip']) await setStatus(page, st, true);
    const shown = Object.values(v.shown).reduce((a, b) => a + b, 0);
    return (shown === summary.failed && (v.shown.fail || 0) === summary.failed) ||
      `shown ${JSON.stringify(v.shown)}, the JSON report has ${summary.failed} failed`;
  });
  await check('suite: the browser filter keeps only that browser', async () => {
    const browsers = await page.locator('#filters select[name=browser] option').evaluateAll(
      (opts) => opts.map((o) => o.value).filter((v) => v !== ''));
    if (browsers.length < 2) return `only ${browsers.length} browser(s) offered`;
    for (const b of browsers) {
      await page.selectOption('#filters select[name=browser]', b);
      const wrong = await page.evaluate((want) =>
        Array.from(document.querySelectorAll('#cases .item')).filter((el) =>
          el.checkVisibility() !== (el.dataset.browser === want)).length, b);
      if (wrong !== 0) return `${wrong} rows wrong with browser '${b}'`;
    }
    await page.selectOption('#filters select[name=browser]', '');
    return true;
  });
  await check('suite: the tag filter keeps only cases with that tag', async () => {
    const tags = await page.locator('#filters select[name=tag] option').evaluateAll(
      (opts) => opts.map((o) => o.value).filter((v) => v !== ''));
    if (tags.length === 0) return 'no tag offered';
    for (const t of tags) {
      await page.selectOption('#filters select[name=tag]', t);
      const wrong = await page.evaluate((want) =>
        Array.from(document.querySelectorAll('#cases .item')).filter((el) => {
          const has = Array.from(el.querySelectorAll('[data-tag]')).some((x) => x.dataset.tag === want);
          return el.checkVisibility() !== has;
        }).length, t);
      if (wrong !== 0) return `${wrong} rows wrong with tag '${t}'`;
    }
    await page.selectOption('#filters select[name=tag]', '');
    return true;
  });
  await check('suite: the search box finds a case by id', async () => {
    const id = await page.locator('#cases .case .cid').first().textContent();
    await page.fill('#filters input[name=q]', id.toUpperCase());
    const shown = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#cases .item')).filter((el) => el.checkVisibility())
        .map((el) => el.querySelector('.cid') && el.querySelector('.cid').textContent));
    await page.fill('#filters input[name=q]', '');
    return (shown.length >= 1 && shown.every((s) => s && s.includes(id))) ||
      `searching '${id}' shows ${JSON.stringify(shown)}`;
  });
  await check('suite: a failing case shows what differs, its trace and the headers sent', async () => {
    const r = await page.evaluate(() => {
      const el = document.querySelector('#cases .case[data-status=fail]');
      if (!el) return 'no failing case';
      if (!el.querySelector('table.mismatch tbody tr')) return 'no mismatch row';
      if (!el.querySelector('table.trace tbody tr a[href^="https://fetch.spec.whatwg.org/#"]'))
        return 'no trace link into the Fetch Standard';
      const hl = Array.from(el.querySelectorAll('table.hdrs tr.hl td:first-child')).map((td) => td.textContent);
      if (!hl.includes('Origin')) return `highlighted headers: ${hl.join(', ')}`;
      const box = el.querySelector('svg.sd').getBoundingClientRect();
      if (box.width < 300 || box.height < 100) return `diagram is ${box.width}x${box.height}`;
      return true;
    });
    return r;
  });
  await check('suite: the preflight and the cache hit are drawn', async () => {
    const texts = await page.evaluate(() =>
      Array.from(document.querySelectorAll('svg.sd text')).map((t) => t.textContent).join('\n'));
    return (texts.includes('OPTIONS ') && texts.includes('preflight cache hit')) ||
      'no OPTIONS arrow or no cache-hit note in any diagram';
  });
}

async function checkNoScript(browserArgs, file, label) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsim-html-nojs-'));
  const context = await chromium.launchPersistentContext(dir, { ...browserArgs, javaScriptEnabled: false });
  try {
    const { page, seen } = await open(context, file);
    await check(`${label}: without JavaScript the cases and the summary show, the filters do not`,
      async () => {
        const r = await page.evaluate(() => ({
          cases: Array.from(document.querySelectorAll('#cases .item')).filter((el) => el.checkVisibility()).length,
          all: document.querySelectorAll('#cases .item').length,
          summary: document.getElementById('summary').checkVisibility(),
          filters: document.getElementById('filters').checkVisibility(),
          summaryTop: document.getElementById('summary').getBoundingClientRect().top,
          casesTop: document.getElementById('cases').getBoundingClientRect().top,
        }));
        if (r.cases !== r.all) return `${r.cases} of ${r.all} rows visible`;
        if (!r.summary || r.filters) return `summary visible ${r.summary}, filters visible ${r.filters}`;
        if (r.summaryTop > r.casesTop) return 'the summary is drawn below the cases';
        return seen.errors.length === 0 || seen.errors.join('\n');
      });
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function checkHostile(page, seen) {
  await check('hostile: vector text stays text (no injected element, script or dialog)', async () => {
    const r = await page.evaluate(() => ({
      pwned: document.querySelectorAll('#pwned, img, iframe, object, embed').length,
      scripts: document.scripts.length,
      handlers: Array.from(document.querySelectorAll('*')).filter((el) =>
        Array.from(el.attributes).some((a) => a.name.startsWith('on'))).length,
      title: Array.from(document.querySelectorAll('.ctitle')).some((el) => el.textContent.includes('<img')),
    }));
    if (r.pwned !== 0) return `${r.pwned} injected elements`;
    if (r.scripts !== 1) return `${r.scripts} script elements`;
    if (r.handlers !== 0) return `${r.handlers} elements with event handler attributes`;
    if (!r.title) return 'the title with markup is not shown as text';
    return seen.dialogs.length === 0 || `dialogs: ${seen.dialogs.join(', ')}`;
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const shots = opts.shots || null;
  if (shots) fs.mkdirSync(shots, { recursive: true });
  const browserArgs = {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsim-html-'));
  const context = await chromium.launchPersistentContext(dir, browserArgs);
  try {
    context.setDefaultTimeout(60000);
    {
      const { page, seen } = await open(context, opts.corpus);
      const summary = readSummary(opts['corpus-json']);
      await checkCommon(page, seen, 'corpus', summary);
      await check('corpus: the page is not blank (light)', () => notBlank(page, 'corpus-light', shots));
      await page.emulateMedia({ colorScheme: 'dark' });
      await check('corpus: the dark scheme changes the colours and is not blank', async () => {
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        await page.emulateMedia({ colorScheme: 'light' });
        const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        await page.emulateMedia({ colorScheme: 'dark' });
        if (bg === light) return `the background is ${bg} in both schemes`;
        const r = await notBlank(page, 'corpus-dark', shots);
        await page.emulateMedia({ colorScheme: 'light' });
        return r;
      });
      await page.close();
    }
    if (opts.suite && opts['suite-json']) {
      const { page, seen } = await open(context, opts.suite);
      const summary = readSummary(opts['suite-json']);
      await checkCommon(page, seen, 'suite', summary);
      await checkSuite(page, summary);
      await check('suite: the page is not blank', () => notBlank(page, 'suite', shots));
      await page.close();
      await checkNoScript(browserArgs, opts.suite, 'suite');
    }
    if (opts.hostile) {
      const { page, seen } = await open(context, opts.hostile);
      await checkHostile(page, seen);
      await check('hostile: no console error or page error', () =>
        seen.errors.length === 0 || seen.errors.join('\n'));
      await page.close();
    }
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e) => {
  notOk('the browser check ran', e && e.stack ? e.stack : e);
  process.exit(1);
});
