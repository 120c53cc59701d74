// Opens hawtio (tools/hawtio) in headless Debian Chromium, connected to a running gateway's Jolokia
// endpoint, and checks that the gateway's Camel routes and its Artemis work queue are visible.
// Used by src/test/java/org/octgateway/HawtioBrowserIT.java; can be run by hand too:
//
//   node src/test/node/hawtio-check.mjs --hawtio http://localhost:8090 --jolokia-port 9876 --out target
//
// Options: --routes job-worker,accept-upload,deliver-webhook   --queue gateway.jobs   --chromium /usr/bin/chromium
// Exit code 0 when everything was seen; 1 otherwise (a screenshot of the failing page is saved).
import playwright from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const { chromium } = playwright;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const hawtioUrl = option('hawtio', 'http://localhost:8090').replace(/\/$/, '');
const jolokiaPort = Number(option('jolokia-port', '9876'));
const outDir = option('out', 'target');
const routes = option('routes', 'job-worker,accept-upload,deliver-webhook').split(',').filter(Boolean);
const queue = option('queue', 'gateway.jobs');
const executablePath = option('chromium', '/usr/bin/chromium');
const connection = 'oct-gateway';
const timeout = 60_000;

mkdirSync(outDir, { recursive: true });
const log = (...args) => console.log('[hawtio-check]', ...args);

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 1800 } });
page.setDefaultTimeout(timeout);
page.on('console', (m) => { if (m.type() === 'error') log('browser console error:', m.text().slice(0, 300)); });

let step = 'start';
try {
  // A fresh profile shows an empty hawtio shell: store the connection first (hawtio's own key),
  // on hawtio's origin, then open a plugin page with ?con=<name> to connect to it.
  step = 'store the connection';
  await page.goto(`${hawtioUrl}/hawtio/`, { waitUntil: 'domcontentloaded' });
  await page.evaluate(([name, port]) => {
    localStorage.setItem('connect.connections', JSON.stringify({
      [name]: { name, scheme: 'http', host: 'localhost', port, path: '/observe/jolokia' },
    }));
  }, [connection, jolokiaPort]);

  // Camel plugin: the context, then its routes table (Camel > context > routes).
  step = 'open the Camel contexts view';
  await page.goto(`${hawtioUrl}/hawtio/camel/contexts?con=${connection}`, { waitUntil: 'networkidle' });
  await page.getByText('oct-inference-gateway', { exact: true }).first().waitFor();
  log('connected; Camel context oct-inference-gateway is in the tree');

  step = 'open the Camel routes view';
  await page.getByText('routes', { exact: true }).first().click();
  await page.waitForURL(/\/camel\/routes/);
  const table = page.locator('table');
  for (const id of routes) {
    step = `find route ${id} in the routes table`;
    await table.getByText(id, { exact: true }).first().waitFor();
  }
  // the state column is rendered for each route
  await table.getByText('Started').first().waitFor();
  const rowCount = await table.locator('tbody tr').count();
  log(`routes view (${page.url()}): ${rowCount} routes, including ${routes.join(', ')}`);
  await page.screenshot({ path: join(outDir, 'hawtio-routes.png'), fullPage: true });

  // JMX plugin: the broker's queue MBean (org.apache.activemq.artemis > broker > addresses >
  // <address> > queues > anycast > <queue>); hawtio-default has no Artemis plugin of its own.
  step = 'open the JMX tree';
  await page.goto(`${hawtioUrl}/hawtio/jmx?con=${connection}`, { waitUntil: 'networkidle' });
  await page.getByText('org.apache.activemq.artemis', { exact: true }).first().waitFor();
  step = `filter the JMX tree for ${queue}`;
  await page.locator('#input-search').fill(queue);
  const nodes = page.getByText(queue, { exact: true });
  await nodes.first().waitFor();
  step = `select the queue MBean of ${queue}`;
  let found = false;
  const candidates = await nodes.count();
  for (let i = 0; i < candidates && !found; i++) {
    await nodes.nth(i).click();
    await page.waitForTimeout(500);
    const body = await page.innerText('body');
    found = body.includes('subcomponent=queues') && body.includes(`queue="${queue}"`);
  }
  if (!found) throw new Error(`no JMX node showed the queue MBean of ${queue}`);
  step = `read the attributes of ${queue}`;
  const attributes = page.locator('table');
  for (const name of ['MessageCount', 'ConsumerCount', 'MessagesAdded']) {
    await attributes.getByText(name, { exact: true }).first().waitFor();
  }
  const row = (name) => attributes.locator('tr', { has: page.getByText(name, { exact: true }) }).first().innerText();
  log(`queue MBean (${page.url()}):`, (await row('MessageCount')).replace(/\s+/g, ' '), '|',
    (await row('ConsumerCount')).replace(/\s+/g, ' '), '|', (await row('MessagesAdded')).replace(/\s+/g, ' '));
  await page.screenshot({ path: join(outDir, 'hawtio-queue.png'), fullPage: false });

  log('OK');
  await browser.close();
  process.exit(0);
} catch (e) {
  log(`FAILED at step "${step}": ${e.message}`);
  try { await page.screenshot({ path: join(outDir, 'hawtio-failure.png'), fullPage: true }); } catch { /* ignore */ }
  await browser.close();
  process.exit(1);
}
