// Test helper: a real OCI registry on loopback — Debian's CNCF distribution (`docker-registry`, 2.8) run
// as a plain child process with a config written here: filesystem storage in a scratch directory, deletes
// enabled, and no auth, htpasswd (bcrypt) Basic auth, or bearer tokens from ./token-server.ts. The process
// never outlives the test worker (setpriv --pdeathsig, plus an exit hook), and stop() always reaps it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTokenServer, type RegistryUser, type TokenServerHandle, type TokenServerOptions } from './token-server.ts';
import { scratchDir } from './tree.ts';

export type { RegistryUser } from './token-server.ts';

const exec = promisify(execFile);

export type RegistryAuth = 'none' | 'basic' | 'token';

export interface RegistryOptions {
  /** Default 'none'. */
  auth?: RegistryAuth;
  /** Accounts for 'basic' and 'token'. Default: one, `DEFAULT_USER`. */
  users?: RegistryUser[];
  /** 'token' mode: options for the token server (its users default to `users`). */
  token?: Omit<TokenServerOptions, 'users' | 'service' | 'issuer'>;
}

export interface RegistryHandle {
  /** `127.0.0.1:PORT`, as references name it. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  auth: RegistryAuth;
  users: RegistryUser[];
  /** 'token' mode: the token server the registry trusts (stopped by `stop`). */
  tokenServer?: TokenServerHandle;
  /** 'basic' mode: path of the htpasswd file. */
  htpasswd?: string;
  /** Storage root (blobs and repositories as the registry lays them out). */
  rootDir: string;
  /** The registry's process id (setpriv execs it, so this is docker-registry itself). */
  pid: number;
  /** The registry's recent output (stderr and stdout, last 64 KiB), for failure messages. */
  logs(): string;
  /** SIGTERM, wait (SIGKILL after a bound), stop the token server, remove the storage. Safe to call twice. */
  stop(): Promise<void>;
}

/** The account used when `users` is not given. */
export const DEFAULT_USER: RegistryUser = { username: 'tester', password: 'correct horse battery' };

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 8_000;
const START_ATTEMPTS = 5;
const LOG_LIMIT = 64 << 10;

const live = new Set<ChildProcess>();
// A worker that exits without stopping its registries must not leave them behind.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A loopback port that was free a moment ago (listen on 0, close); callers retry if it is taken again. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Status of GET /v2/ or undefined when nothing answers. No keep-alive: an idle socket would slow the registry's shutdown. */
function probe(host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(`http://${host}/v2/`, { agent: false, headers: { connection: 'close' }, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** The environment without REGISTRY_* variables, which override the config file (a stray one can make it panic). */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
}

async function htpasswdFile(path: string, users: RegistryUser[]): Promise<void> {
  const lines: string[] = [];
  for (const u of users) {
    // The registry accepts bcrypt entries only.
    const { stdout } = await exec('htpasswd', ['-Bbn', u.username, u.password]);
    lines.push(stdout.trim());
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function reap(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    if (!(await waitExit(child, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await waitExit(child, STOP_TIMEOUT_MS);
    }
  }
  live.delete(child);
}

/** Starts one registry on a free loopback port and resolves once `/v2/` answers (200, or 401 with auth). */
export async function startRegistry(opts: RegistryOptions = {}): Promise<RegistryHandle> {
  const auth = opts.auth ?? 'none';
  const users = opts.users ?? [DEFAULT_USER];
  const dir = await scratchDir('registry-');
  const rootDir = join(dir, 'storage');
  let tokenServer: TokenServerHandle | undefined;
  let htpasswd: string | undefined;
  let authConfig: object | undefined;
  if (auth === 'basic') {
    htpasswd = join(dir, 'htpasswd');
    await htpasswdFile(htpasswd, users);
    authConfig = { htpasswd: { realm: 'test-registry', path: htpasswd } };
  } else if (auth === 'token') {
    tokenServer = await startTokenServer({ ...opts.token, users });
    authConfig = {
      token: {
        realm: tokenServer.realm,
        service: tokenServer.service,
        issuer: tokenServer.issuer,
        rootcertbundle: tokenServer.certPath,
      },
    };
  }

  let lastError = '';
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const configPath = join(dir, 'config.yml');
    // JSON is YAML: no quoting rules to get wrong for paths and URLs.
    const config = {
      version: '0.1',
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: rootDir }, delete: { enabled: true } },
      // A fixed secret silences the multi-instance warning; a short drain makes SIGTERM quicker.
      http: { addr: host, secret: 'initramfs-action-test-secret', draintimeout: '100ms' },
      ...(authConfig ? { auth: authConfig } : {}),
    };
    writeFileSync(configPath, JSON.stringify(config, null, 2));

    // setpriv --pdeathsig: the kernel kills the registry when the spawning thread dies, however it died.
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', 'docker-registry', 'serve', configPath], {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-LOG_LIMIT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let spawnError: Error | undefined;
    child.on('error', (e) => {
      spawnError = e;
    });

    const deadline = performance.now() + READY_TIMEOUT_MS;
    let status: number | undefined;
    while (performance.now() < deadline && child.exitCode === null && spawnError === undefined) {
      status = await probe(host);
      if (status === 200 || status === 401) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    if (status === 200 || status === 401) {
      let stopped = false;
      return {
        host,
        url: `http://${host}`,
        auth,
        users,
        ...(tokenServer ? { tokenServer } : {}),
        ...(htpasswd !== undefined ? { htpasswd } : {}),
        rootDir,
        pid: child.pid ?? -1,
        logs: () => output,
        stop: async () => {
          if (stopped) return;
          stopped = true;
          try {
            await reap(child);
          } finally {
            await tokenServer?.stop();
            await rm(dir, { recursive: true, force: true });
          }
        },
      };
    }
    await reap(child);
    if (spawnError) {
      await tokenServer?.stop();
      throw new Error(`cannot run docker-registry (apt-get install docker-registry): ${spawnError.message}`);
    }
    lastError = `registry on ${host} did not answer /v2/ (last status ${status ?? 'none'}): ${output.trim().slice(-2000)}`;
    // A port taken between freePort() and the registry's bind: try another; anything else is fatal.
    if (!/address already in use/i.test(output)) break;
  }
  await tokenServer?.stop();
  await rm(dir, { recursive: true, force: true });
  throw new Error(lastError);
}
