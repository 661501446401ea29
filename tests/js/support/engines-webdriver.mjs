// WebDriver sessions in Firefox (geckodriver + Debian's firefox-esr) and WebKit (Debian's
// WebKitWebDriver + the WebKitGTK MiniBrowser, on a private Xvfb display: WebKitGTK has no
// headless mode), for tests/js/engines.test.mjs. Drivers are started here on free loopback ports
// and stopped by their own process ids; selenium-webdriver only speaks the protocol (no Selenium
// Manager, no downloads). Paths can be overridden: GECKODRIVER, FIREFOX, WEBKITWEBDRIVER,
// MINIBROWSER.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { WebDriver, Capabilities } = require('selenium-webdriver');
const { Executor, HttpClient } = require('selenium-webdriver/http');

const which = (name) => { try { return execFileSync('sh', ['-c', `command -v ${name}`]).toString().trim(); } catch { return ''; } };
const firstExisting = (...paths) => paths.find((p) => p && existsSync(p)) ?? '';

/** The binaries each engine needs; `missing` names what is not installed (run .ci/setup). */
export function enginePaths(engine) {
  if (engine === 'firefox') {
    const paths = {
      geckodriver: process.env.GECKODRIVER ?? firstExisting(which('geckodriver'), `${homedir()}/.cargo/bin/geckodriver`),
      firefox: process.env.FIREFOX ?? firstExisting('/usr/bin/firefox-esr', which('firefox-esr')),
    };
    return { ...paths, missing: Object.entries(paths).filter(([, p]) => !p || !existsSync(p)).map(([k]) => k) };
  }
  const paths = {
    webkitwebdriver: process.env.WEBKITWEBDRIVER ?? firstExisting('/usr/bin/WebKitWebDriver', which('WebKitWebDriver')),
    minibrowser: process.env.MINIBROWSER ?? firstExisting('/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
      '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser'),
    xvfb: firstExisting('/usr/bin/Xvfb', which('Xvfb')),
  };
  return { ...paths, missing: Object.entries(paths).filter(([, p]) => !p || !existsSync(p)).map(([k]) => k) };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

const live = new Set();
// Whatever happens to the test (a timeout, a crash), no driver, browser or X server outlives it.
process.on('exit', () => { for (const pid of live) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } } });

/** Spawns `cmd` in its own process group; `stop()` ends that group (the driver and the browser it
 *  started) by its id: SIGTERM, then SIGKILL after 3 s. Output is kept in `log` for error messages. */
function start(cmd, args, env = process.env, extraStdio = []) {
  const log = [];
  const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe', ...extraStdio] });
  live.add(child.pid);
  const exited = new Promise((resolve) => child.once('exit', () => { live.delete(child.pid); resolve(); }));
  for (const s of [child.stdout, child.stderr]) s.on('data', (d) => { log.push(d.toString()); if (log.length > 200) log.shift(); });
  const signal = (sig) => { try { process.kill(-child.pid, sig); } catch { /* already gone */ } };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  return { child, log, stop };
}

async function waitForDriver(url, proc, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`driver exited (${proc.child.exitCode}): ${proc.log.join('')}`);
    try { if ((await fetch(`${url}/status`)).ok) return; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`driver not ready at ${url}: ${proc.log.join('')}`);
}

/** Starts Xvfb on a free display (it picks one and writes it to fd 3). */
async function startXvfb(xvfb) {
  const proc = start(xvfb, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], process.env, ['pipe']);
  const display = await new Promise((resolve, reject) => {
    let text = '';
    proc.child.stdio[3].on('data', (d) => { text += d; if (text.includes('\n')) resolve(`:${text.trim()}`); });
    proc.child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${proc.log.join('')}`)));
    setTimeout(() => reject(new Error(`Xvfb gave no display: ${proc.log.join('')}`)), 10000).unref();
  }).catch(async (e) => { await proc.stop(); throw e; });
  return { ...proc, display };
}

/** A new WebDriver session in `engine` ('firefox' | 'webkit'); `quit()` ends the session, the
 *  driver and (for WebKit) the X server. */
export async function openSession(engine) {
  const paths = enginePaths(engine);
  if (paths.missing.length) throw new Error(`${engine}: not installed: ${paths.missing.join(', ')} (run .ci/setup)`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const procs = [];
  let caps;
  try {
    if (engine === 'firefox') {
      procs.push(start(paths.geckodriver, ['--host', '127.0.0.1', '--port', String(port), '--binary', paths.firefox, '--log', 'warn']));
      caps = { browserName: 'firefox', 'moz:firefoxOptions': { args: ['-headless'], prefs: {
        // The machine's network is closed: no update, telemetry or remote-settings traffic.
        'app.update.enabled': false, 'network.connectivity-service.enabled': false,
        'datareporting.policy.dataSubmissionEnabled': false, 'toolkit.telemetry.enabled': false,
        'browser.safebrowsing.malware.enabled': false, 'browser.safebrowsing.phishing.enabled': false,
      } } };
    } else {
      const xvfb = await startXvfb(paths.xvfb);
      procs.push(xvfb);
      // Default rendering settings: with WEBKIT_DISABLE_COMPOSITING_MODE or
      // WEBKIT_DISABLE_DMABUF_RENDERER set, screenshots never answer under Xvfb.
      procs.push(start(paths.webkitwebdriver, [`--port=${port}`], { ...process.env, DISPLAY: xvfb.display }));
      caps = { 'webkitgtk:browserOptions': { binary: paths.minibrowser, args: ['--automation'] } };
    }
    await waitForDriver(url, procs.at(-1));
    const driver = await WebDriver.createSession(new Executor(new HttpClient(url)), new Capabilities(caps));
    await driver.getSession();
    const stopAll = async () => { for (const p of procs.reverse()) await p.stop(); };
    return {
      driver,
      log: () => procs.map((p) => p.log.join('')).join(''),
      quit: async () => {
        try { await driver.quit(); } catch { /* the browser may be gone already */ }
        await stopAll();
      },
    };
  } catch (e) {
    for (const p of procs.reverse()) await p.stop();
    throw e;
  }
}
