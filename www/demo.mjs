// `bash www/start`: the sandbox ASE, a fresh shop key registered with it, and the edge function
// (Node adapter) serving the checkout page on 127.0.0.1. `--headless` buys the cart in headless
// Chromium, prints the receipt and exits. `--port N` picks the page's port (default 8080).
import { startSandbox, shopEnv, pointer } from '../tests/js/support/sandbox.mjs';
import { startNodeEdge } from './edge/node.mjs';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Buys the cart on `base` as `wallet`, approving on the consent page. Returns the receipt text. */
export async function purchase(page, base, wallet, { screenshots } = {}) {
  await page.goto(`${base}/checkout.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('#wallet', wallet);
  await page.click('#pay');
  await page.waitForSelector('#quote-step:not([hidden])');
  if (screenshots) await page.screenshot({ path: `${screenshots}/checkout-quote.png`, fullPage: true });
  await page.click('#confirm');
  await page.waitForSelector('#approve');
  if (screenshots) await page.screenshot({ path: `${screenshots}/checkout-consent.png`, fullPage: true });
  await page.click('#approve');
  await page.waitForSelector('body[data-receipt]');
  return page.locator('#receipt-step').innerText();
}

async function main() {
  const headless = process.argv.includes('--headless');
  const i = process.argv.indexOf('--port');
  const wanted = i > 0 ? Number(process.argv[i + 1]) : (headless ? 0 : 8080);
  const sandbox = await startSandbox();
  const env = await shopEnv(sandbox);
  let server;
  try { server = await startNodeEdge(env, wanted); } catch { server = await startNodeEdge(env, 0); }
  const base = `http://127.0.0.1:${server.address().port}`;
  const wallet = pointer(sandbox.info.wallets.shopper);
  const stop = () => { server.close(); sandbox.stop(); };
  process.on('SIGINT', () => { stop(); process.exit(0); });
  process.on('SIGTERM', () => { stop(); process.exit(0); });
  if (!headless) {
    console.log(`Harbour & Pine checkout: ${base}/checkout.html`);
    console.log(`Test shopper's wallet address: ${wallet}  (EUR 1,000.00; the shop charges USD)`);
    console.log(`Sandbox ASE: ${sandbox.info.baseUrl}  (balances: ${sandbox.info.baseUrl}/dev/balances)`);
    console.log('Ctrl-C to stop.');
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const receipt = await purchase(page, base, wallet);
    console.log(receipt);
    const b = await sandbox.balances();
    console.log(`\nSandbox balances: shop ${b.shop} (USD cents), shopper ${b.shopper} (EUR cents)`);
  } finally {
    await browser.close();
    stop();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) await main();
