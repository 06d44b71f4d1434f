import { execFileSync, spawn, ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const MAIN = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

export interface BuiltService {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  /** SIGTERM, then the exit; fails when the service does not stop cleanly. */
  stop(): Promise<void>;
}

/**
 * The service as production runs it: `node dist/apps/api/src/main.js`, built first if a source
 * changed (scripts/build-if-changed.js; in CI, `npm run build` has just run and this is a no-op).
 * Its output goes to `logFile`, which is where to look when a browser step fails.
 */
export async function startBuiltService(options: { port: number; environment: Record<string, string>; logFile: string }): Promise<BuiltService> {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-if-changed.js'), '--quiet'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile);
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(options.port),
      LOG_LEVEL: 'warn',
      ...options.environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitUntilReady(url, child, exited);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      log.end();
      if (code !== 0) throw new Error(`The built service exited with ${code} after SIGTERM; see ${options.logFile}`);
    },
  };
}

async function waitUntilReady(url: string, child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`The built service exited during start-up with ${gone}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The built service (pid ${child.pid}) was not ready within 60 s`);
}

/** A port nobody listens on now (the service binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
