// The Node tests' harness: starts the real `cognate serve --dev` (COGNATE_BIN, default
// target/debug/cognate) on a free loopback port with a temporary data directory, waits for
// /health, reads /_dev/demo.json, and stops it again; plus a promise wrapper for the
// callback-style amazon-cognito-identity-js API.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.COGNATE_BIN ?? new URL('../../target/debug/cognate', import.meta.url).pathname;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a dev server; resolves to `{ base, demo, stop }` once it answers /health. */
export async function startCognate(name) {
  const dataDir = mkdtempSync(join(tmpdir(), `cognate-${name}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(BIN, ['serve', '--dev', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () => {
    if (server.exitCode === null) server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`cognate exited with ${server.exitCode}`);
    if (Date.now() > deadline) {
      stop();
      throw new Error('cognate did not become healthy');
    }
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const demo = await (await fetch(`${base}/_dev/demo.json`)).json();
  return { base, demo, stop };
}

/** Turns a node-style callback API into a promise. */
export function call(fn) {
  return new Promise((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))));
}
