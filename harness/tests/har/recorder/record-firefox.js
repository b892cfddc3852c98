// record-firefox.js: records a real Firefox HAR. Playwright cannot drive
// Debian's firefox-esr, so this starts it headless with a fresh profile
// whose prefs turn on the network monitor's HAR auto-export
// (devtools.netmonitor.har.enableAutoExportToFile, which writes the HAR
// when a page has loaded, with the toolbox open: -devtools), points it at
// server.js's /start page (which moves on to /auto, whose load waits for
// every scenario), waits for the file and stops Firefox by its pid.
// Firefox's console cannot be captured this way.
//
// usage: node record-firefox.js OUT.har
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { start } = require('./server');

const PREFS = {
  'devtools.netmonitor.har.enableAutoExportToFile': true,
  'devtools.netmonitor.har.defaultFileName': 'firefox',
  'devtools.toolbox.selectedTool': 'netmonitor',
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'extensions.getAddons.cache.enabled': false,
};

async function main() {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node record-firefox.js OUT.har');
    process.exit(2);
  }
  const servers = await start();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'corsim-ff-'));
  const logDir = path.join(profile, 'har');
  fs.mkdirSync(logDir);
  const prefs = { ...PREFS, 'devtools.netmonitor.har.defaultLogDir': logDir };
  fs.writeFileSync(path.join(profile, 'user.js'), Object.entries(prefs)
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''));
  const ff = spawn('/usr/bin/firefox-esr',
                   ['--headless', '--no-remote', '--profile', profile, '-devtools',
                    servers.pageOrigin + '/start'],
                   { stdio: 'ignore', env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } });
  const harFile = path.join(logDir, 'firefox.har');
  let ok = false;
  for (let i = 0; i < 120 && !ok; i++) {
    await new Promise(r => setTimeout(r, 500));
    if (fs.existsSync(harFile)) {
      await new Promise(r => setTimeout(r, 1000)); // let the write finish
      try { ok = JSON.parse(fs.readFileSync(harFile, 'utf8')).log.entries
                 .some(e => e.request.url.endsWith('/scenarios-done')); } catch (e) { ok = false; }
    }
  }
  ff.kill('SIGTERM');
  await new Promise(r => { ff.once('exit', r); setTimeout(r, 5000); });
  await servers.close();
  if (ok) fs.copyFileSync(harFile, out);
  fs.rmSync(profile, { recursive: true, force: true });
  if (!ok) {
    console.error('record-firefox.js: Firefox wrote no HAR with every scenario in 60 s');
    process.exit(1);
  }
}

main().catch(e => { console.error('record-firefox.js: ' + (e && e.stack || e)); process.exit(1); });
