// The Node tests' harness: starts the real `cognate serve --dev` (COGNATE_BIN, default
// target/debug/cognate) on a free loopback port with a temporary data directory, waits for
// /health, reads /_dev/demo.json, and stops it again; plus a promise wrapper for the
// callback-style amazon-cognito-identity-js API, and admin calls signed (SigV4) by the dev key.
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
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

/** The dev admin key `cognate serve --dev` accepts (printed in its banner). */
const DEV_KEY = {
  accessKeyId: 'AKIACOGNATEDEVKEY000',
  secretAccessKey: 'cognate/dev/secret/access/key/not/for/production',
};

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** An admin operation on the server at `base`, SigV4-signed by the dev key; throws unless 2xx. */
export async function admin(base, operation, body) {
  const url = new URL(`${base}/`);
  const region = 'us-east-1';
  const payload = JSON.stringify(body);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers = {
    'content-type': 'application/x-amz-json-1.1',
    host: url.host,
    'x-amz-date': amzDate,
    'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
  };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', '/', '', ...names.map((n) => `${n}:${headers[n]}`), '', names.join(';'), sha256(payload)].join('\n');
  const scope = `${day}/${region}/cognito-idp/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${DEV_KEY.secretAccessKey}`, day);
  for (const part of [region, 'cognito-idp', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${DEV_KEY.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
    },
    body: payload,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${operation}: ${text}`);
  return text ? JSON.parse(text) : {};
}
