#!/usr/bin/env node
// Measures the time from navigation to an interactive sign-in form in headless Chromium: the
// moment the username input of the hosted page (/widget/) is in the DOM, per
// `performance.now()` (milliseconds since navigation start). Each run uses a fresh browser
// context, so nothing is cached. Prints every run and the median. A measuring script, not a test.
//
//   node scripts/measure-interactive.mjs [runs] [baseURL]
//
// Without a baseURL it starts `target/debug/cognate serve --dev` (COGNATE_BIN to override) on a
// free port with a temporary data directory and the widget from dist/ (scripts/build-widget.sh).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(path.join(ROOT, 'e2e', 'package.json'))('playwright-core');
const runs = Number(process.argv[2] ?? 15);
let baseURL = process.argv[3];

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function startServer() {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cognate-measure-'));
  const bin = process.env.COGNATE_BIN ?? path.join(ROOT, 'target', 'debug', 'cognate');
  const child = spawn(bin, ['serve', '--dev', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    env: { ...process.env, COGNATE_WIDGET_DIR: path.join(ROOT, 'dist') },
    stdio: 'ignore',
  });
  const url = `http://localhost:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      if ((await fetch(`${url}/_dev/demo.json`)).ok) {
        return { url, stop: () => (child.kill('SIGTERM'), rmSync(dataDir, { recursive: true, force: true })) };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${bin} did not start`);
}

const server = baseURL ? null : await startServer();
baseURL ??= server.url;
const demo = await (await fetch(`${baseURL}/_dev/demo.json`)).json();
const target = `${baseURL}/widget/?clientId=${encodeURIComponent(demo.clientId)}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const times = [];
try {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Record the first moment the username input exists, without polling.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const input = document.getElementById('cognate-username');
        if (input && !input.disabled) {
          window.__interactive = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(target);
    const handle = await page.waitForFunction(() => window.__interactive);
    const ms = await handle.jsonValue();
    times.push(ms);
    console.log(`run ${run + 1}: ${ms.toFixed(1)} ms`);
    await context.close();
  }
} finally {
  await browser.close();
  server?.stop();
}
times.sort((a, b) => a - b);
const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
console.log(`median of ${times.length} runs: ${median.toFixed(1)} ms (navigation to interactive sign-in form)`);
