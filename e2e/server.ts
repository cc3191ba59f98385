// Starts and stops a real Cognate server (`cognate serve --dev`) for the tests: a free port, a
// fresh data directory, the widget served from <repo>/dist.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..');

/** What `GET /_dev/demo.json` describes: the dev pool and app client. */
export interface Demo {
  userPoolId: string;
  clientId: string;
  /** The user-pool API URL, `http://localhost:<port>/`. */
  endpoint: string;
  /** The region admin requests are signed for. */
  region: string;
  /** The demo identity pool: guests allowed, the demo client as provider. */
  identityPoolId: string;
  /** The role the demo identity pool gives guests. */
  guestRoleArn: string;
  /** The role it gives users signed in through the demo client. */
  userRoleArn: string;
}

export interface RunningServer {
  /** `http://localhost:<port>` — localhost rather than 127.0.0.1, which WebAuthn refuses. */
  baseURL: string;
  demo: Demo;
  stop(): Promise<void>;
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

function serverBinary(): string {
  const bin = process.env.COGNATE_BIN;
  return bin ? path.resolve(bin) : path.join(REPO, 'target', 'debug', 'cognate');
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Spawns the server and resolves once `/_dev/demo.json` answers. */
export async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cognate-e2e-'));
  const logFile = path.join(dataDir, 'server.log');
  const log = createWriteStream(logFile);
  const bin = serverBinary();
  const child = spawn(
    bin,
    ['serve', '--dev', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir],
    {
      env: { ...process.env, COGNATE_WIDGET_DIR: path.join(REPO, 'dist') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let spawnError: Error | undefined;
  child.on('error', (err) => (spawnError = err));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await exited(child, 5_000))) {
        child.kill('SIGKILL');
        await exited(child, 5_000);
      }
    }
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };

  const baseURL = `http://localhost:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) break;
    try {
      const response = await fetch(`${baseURL}/_dev/demo.json`);
      if (response.ok) {
        const demo = (await response.json()) as Demo;
        return { baseURL, demo, stop };
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const why = spawnError
    ? `could not start ${bin}: ${spawnError.message} (build it, or set COGNATE_BIN)`
    : child.exitCode !== null || child.signalCode !== null
      ? `${bin} exited (${child.exitCode ?? child.signalCode})`
      : `${bin} did not answer /_dev/demo.json within 30 s`;
  const logText = tail(logFile);
  await stop();
  throw new Error(`${why}\n--- server log ---\n${logText}`);
}
