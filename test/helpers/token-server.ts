// Test helper: a loopback token server for the registry's `auth: token` mode — the bearer flow of Docker
// Hub and ghcr.io. GET /token (Basic credentials or anonymous) and POST /token (OAuth2 password and
// refresh_token grants, as `docker login` uses) answer RS256 JWTs whose `x5c` header carries a self-signed
// certificate; the registry trusts exactly that certificate (rootcertbundle = `certPath`). Every request is
// recorded so tests can assert what a client asked for and with which credentials.
import { execFile } from 'node:child_process';
import { createSign, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scratchDir } from './tree.ts';

const exec = promisify(execFile);

export interface RegistryUser {
  username: string;
  password: string;
}

export interface TokenServerOptions {
  /** Accounts accepted by Basic auth (GET) and the password grant (POST). */
  users?: RegistryUser[];
  /** Anonymous requests get a pull-only token when true; otherwise they are answered 401. Default false. */
  anonymousPull?: boolean;
  /** Token lifetime in seconds: `expires_in` and the JWT's `exp`. Default 300. */
  expiresIn?: number;
  /** The `service` the registry names in its challenge; the token's `aud`. Default 'test-registry'. */
  service?: string;
  /** The token's `iss`; must equal the registry's `auth.token.issuer`. Default 'test-issuer'. */
  issuer?: string;
}

/** One request the token server answered. */
export interface TokenRequest {
  method: string;
  path: string;
  /** Whether the request carried an Authorization header (whatever its validity). */
  authorization: boolean;
  /** The account the request authenticated as; undefined when anonymous or refused. */
  username?: string;
  /** Requested scopes, verbatim (`repository:NAME:pull,push`). */
  scopes: string[];
  service?: string;
  /** POST only: `password` or `refresh_token`. */
  grantType?: string;
  status: number;
}

/** One grant in a token's `access` claim. */
export interface TokenAccess {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenServerHandle {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The token endpoint: `${url}/token` (the registry's `auth.token.realm`). */
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate whose key signs the tokens: the registry's `rootcertbundle`. */
  certPath: string;
  /** Every request so far, in arrival order. */
  requests: TokenRequest[];
  /** Tokens issued so far, newest last (decoded claims), to assert scopes and lifetimes. */
  issued: { username?: string; access: TokenAccess[]; exp: number }[];
  /**
   * The next `n` tokens are issued already expired (past the registry's 60 s clock-skew leeway), so the
   * registry answers 401 to them: tests a client's renew-on-401 path. `expires_in` still looks valid.
   */
  issueExpiredTokens(n: number): void;
  stop(): Promise<void>;
}

// distribution 2.8 accepts tokens up to 60 s past `exp` (clock-skew leeway); an "expired" token must be older.
const EXPIRED_BY_SECONDS = 600;
const KNOWN_ACTIONS = new Set(['pull', 'push', 'delete', '*']);

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** Parses `type:name:actions` scopes; names may hold ':' only in theory, so type and actions are the ends. */
function parseScope(scope: string): TokenAccess | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope.slice(last + 1).split(',').filter((a) => a !== ''),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Makes the signing key and its self-signed certificate with openssl, as a real token service would have. */
async function makeKeyPair(dir: string): Promise<{ keyPath: string; certPath: string }> {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  await exec('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=token',
  ]);
  return { keyPath, certPath };
}

/** Starts a token server on a free loopback port. */
export async function startTokenServer(opts: TokenServerOptions = {}): Promise<TokenServerHandle> {
  const dir = await scratchDir('token-server-');
  const { keyPath, certPath } = await makeKeyPair(dir);
  const key = readFileSync(keyPath, 'utf8');
  // x5c holds base64 DER: the PEM body without its armour lines.
  const certDer = readFileSync(certPath, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const service = opts.service ?? 'test-registry';
  const issuer = opts.issuer ?? 'test-issuer';
  const expiresIn = opts.expiresIn ?? 300;
  const users = opts.users ?? [];
  const requests: TokenRequest[] = [];
  const issued: TokenServerHandle['issued'] = [];
  const refreshTokens = new Map<string, string>();
  let expiredToIssue = 0;
  let serial = 0;

  const checkUser = (username: string, password: string): boolean =>
    users.some((u) => u.username === username && u.password === password);

  const sign = (username: string | undefined, scopes: string[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const expired = expiredToIssue > 0;
    if (expired) expiredToIssue--;
    const exp = expired ? now - EXPIRED_BY_SECONDS : now + expiresIn;
    const access: TokenAccess[] = [];
    for (const s of scopes) {
      const parsed = parseScope(s);
      if (parsed === undefined) continue;
      // Anonymous callers get pull at most; accounts get every action they ask for.
      const actions = parsed.actions.filter((a) => KNOWN_ACTIONS.has(a) && (username !== undefined || a === 'pull'));
      access.push({ ...parsed, actions });
    }
    const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer] };
    const claims = {
      iss: issuer,
      sub: username ?? '',
      aud: service,
      exp,
      nbf: expired ? exp - expiresIn : now,
      iat: expired ? exp - expiresIn : now,
      jti: `${now}-${++serial}-${randomBytes(6).toString('hex')}`,
      access,
    };
    issued.push({ ...(username !== undefined ? { username } : {}), access, exp });
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(input).sign(key);
    return `${input}.${b64url(signature)}`;
  };

  const reply = (res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const tokenBody = (token: string, extra: object = {}): object => ({
    token,
    access_token: token,
    expires_in: expiresIn,
    issued_at: new Date().toISOString(),
    ...extra,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    const record: TokenRequest = {
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization !== undefined,
      scopes: url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter((s) => s !== ''),
      status: 0,
    };
    const service0 = url.searchParams.get('service');
    if (service0 !== null) record.service = service0;
    requests.push(record);
    const send = (status: number, body: object, headers?: Record<string, string>): void => {
      record.status = status;
      reply(res, status, body, headers);
    };
    if (url.pathname !== '/token') return send(404, { error: 'not found' });

    if (req.method === 'GET') {
      const auth = req.headers.authorization;
      let username: string | undefined;
      if (auth !== undefined) {
        const m = /^Basic\s+(\S+)$/i.exec(auth);
        const decoded = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8') : '';
        const colon = decoded.indexOf(':');
        if (colon < 0 || !checkUser(decoded.slice(0, colon), decoded.slice(colon + 1))) {
          return send(401, { details: 'incorrect username or password' }, { 'www-authenticate': 'Basic realm="token"' });
        }
        username = decoded.slice(0, colon);
      } else if (!opts.anonymousPull) {
        return send(401, { details: 'authentication required' }, { 'www-authenticate': 'Basic realm="token"' });
      }
      if (username !== undefined) record.username = username;
      return send(200, tokenBody(sign(username, record.scopes)));
    }

    if (req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const grant = form.get('grant_type') ?? '';
      record.grantType = grant;
      record.scopes = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
      const formService = form.get('service');
      if (formService !== null) record.service = formService;
      let username: string | undefined;
      if (grant === 'password') {
        const u = form.get('username') ?? '';
        if (!checkUser(u, form.get('password') ?? '')) return send(401, { error: 'invalid_grant' });
        username = u;
      } else if (grant === 'refresh_token') {
        username = refreshTokens.get(form.get('refresh_token') ?? '');
        if (username === undefined) return send(401, { error: 'invalid_grant' });
      } else {
        return send(400, { error: 'unsupported_grant_type' });
      }
      record.username = username;
      const refresh = randomBytes(16).toString('hex');
      refreshTokens.set(refresh, username);
      return send(200, tokenBody(sign(username, record.scopes), { refresh_token: refresh, scope: record.scopes.join(' ') }));
    }
    return send(405, { error: 'method not allowed' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) reply(res, 500, { error: String(e) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    realm: `${base}/token`,
    service,
    issuer,
    certPath,
    requests,
    issued,
    issueExpiredTokens: (n: number) => {
      expiredToIssue = n;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
