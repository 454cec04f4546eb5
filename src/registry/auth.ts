// The registry auth flow: learn a registry's challenge from its first 401, then answer it — Basic with the
// credentials, or Bearer with a token fetched from the challenge's realm for `repository:NAME:pull`, cached
// per (registry, scope) until it expires or a request with it is refused. Credentials go to the registry
// and to that realm only.
import { parseChallenges, type Challenge } from './challenge.ts';
import { lookupCredentials, secretsOf, type CredentialLookup, type Credentials } from './credentials.ts';
import { describeAnswer, parseRegistryErrors, RegistryError, TransientError } from './errors.ts';
import { headerValue, parseRetryAfter, readBody, type Http, type SchemePolicy } from './http.ts';

/** The `expires_in` the token spec prescribes when a token server gives none. */
const DEFAULT_TOKEN_SECONDS = 60;
const TOKEN_BODY_LIMIT = 1024 * 1024;
const CLIENT_ID = 'initramfs-action';

interface Token {
  header: string;
  /** Monotonic ms after which the token is renewed rather than sent. */
  renewAt: number;
}

export interface AuthenticatorOptions {
  http: Http;
  scheme: SchemePolicy;
  lookup: CredentialLookup;
  /** Called once per HTTP request to a token realm. */
  onTokenRequest?: () => void;
  /** Monotonic clock in ms (default performance.now). */
  now?: () => number;
}

/** `repository:NAME:pull`, the scope a pull needs. */
export const pullScope = (repository: string): string => `repository:${repository}:pull`;

const basicHeader = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** Challenges, credentials and tokens of every registry a client talks to. */
export class Authenticator {
  private readonly opts: AuthenticatorOptions;
  private readonly now: () => number;
  private readonly challenges = new Map<string, Challenge>();
  private readonly credentials = new Map<string, Promise<Credentials | undefined>>();
  private readonly tokens = new Map<string, Promise<Token>>();
  /** Every secret seen (passwords, identity tokens, bearer tokens), to scrub from any text shown. */
  readonly secrets = new Set<string>();

  constructor(opts: AuthenticatorOptions) {
    this.opts = opts;
    this.now = opts.now ?? (() => performance.now());
  }

  /** The credentials for `registry` (looked up once), or undefined for anonymous. */
  credentialsFor(registry: string): Promise<Credentials | undefined> {
    let found = this.credentials.get(registry);
    if (!found) {
      found = lookupCredentials(registry, this.opts.lookup).then((c) => {
        for (const s of secretsOf(c)) this.secrets.add(s);
        return c;
      });
      this.credentials.set(registry, found);
    }
    return found;
  }

  /**
   * The Authorization header to send before any 401, when the registry's challenge is already known;
   * undefined when the registry has not challenged yet (the request goes out anonymously first).
   */
  async authorization(registry: string, scope: string): Promise<string | undefined> {
    const challenge = this.challenges.get(registry);
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') {
      const creds = await this.credentialsFor(registry);
      return creds?.kind === 'basic' ? basicHeader(creds.username, creds.password) : undefined;
    }
    return this.token(registry, scope, challenge, undefined);
  }

  /**
   * The header to retry with after a 401 that carried `wwwAuthenticate`, when the request had sent `used`.
   * A cached token equal to `used` is dropped and a new one fetched. Throws AUTH when nothing can answer.
   */
  async answer(
    registry: string,
    scope: string,
    wwwAuthenticate: string | string[] | undefined,
    used: string | undefined,
  ): Promise<string> {
    const all = parseChallenges(wwwAuthenticate);
    const challenge = all.find((c) => c.scheme === 'bearer') ?? all.find((c) => c.scheme === 'basic');
    if (!challenge) {
      const schemes = all.map((c) => c.scheme).join(', ') || 'none';
      throw new RegistryError(
        'AUTH',
        `${registry} asked for authentication with no Bearer or Basic challenge (WWW-Authenticate schemes: ${schemes})`,
        { status: 401 },
      );
    }
    this.challenges.set(registry, challenge);
    if (challenge.scheme === 'basic') {
      const creds = await this.credentialsFor(registry);
      if (!creds) {
        throw new RegistryError(
          'AUTH',
          `${registry} requires credentials (Basic auth) and none were found: ` +
            'pass --username with --password-stdin, or docker login',
          { status: 401 },
        );
      }
      if (creds.kind !== 'basic') {
        throw new RegistryError('AUTH', `${registry} wants Basic auth but ${creds.source} holds an identity token`, {
          status: 401,
        });
      }
      return basicHeader(creds.username, creds.password);
    }
    return this.token(registry, scope, challenge, used);
  }

  /** A cached or fresh bearer header; a cached one equal to `stale` is not reused. */
  private async token(registry: string, scope: string, challenge: Challenge, stale: string | undefined): Promise<string> {
    const key = `${registry} ${scope}`;
    const cached = this.tokens.get(key);
    if (cached) {
      const t = await cached.catch(() => undefined);
      if (t && t.header !== stale && this.now() < t.renewAt) return t.header;
      if (this.tokens.get(key) === cached) this.tokens.delete(key);
      else return this.token(registry, scope, challenge, stale); // another request renewed it meanwhile
    }
    const fresh = this.fetchToken(registry, scope, challenge);
    this.tokens.set(key, fresh);
    fresh.catch(() => {
      if (this.tokens.get(key) === fresh) this.tokens.delete(key);
    });
    return (await fresh).header;
  }

  private async fetchToken(registry: string, scope: string, challenge: Challenge): Promise<Token> {
    const realm = challenge.params['realm'];
    if (realm === undefined || realm === '') {
      throw new RegistryError('REGISTRY', `${registry} sent a Bearer challenge without a realm`, { status: 401 });
    }
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError('REGISTRY', `${registry} named a token realm that is not a URL`, { status: 401 });
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.opts.scheme.plainHttpAllowed(url.host))) {
      throw new RegistryError(
        'REGISTRY',
        `${registry} named a token realm at ${url.protocol}//${url.host}, which is not HTTPS ` +
          `(allow it with --insecure-registry ${url.host})`,
      );
    }
    const scopes = [scope];
    for (const s of (challenge.params['scope'] ?? '').split(' ')) if (s !== '' && !scopes.includes(s)) scopes.push(s);
    const service = challenge.params['service'];
    const creds = await this.credentialsFor(registry);
    const where = `token server ${url.host} for ${registry}`;
    const started = this.now();
    let res;
    if (creds?.kind === 'identityToken') {
      // OAuth2 refresh-token grant: the identity token is the refresh token.
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.token, client_id: CLIENT_ID });
      if (service !== undefined) form.set('service', service);
      form.set('scope', scopes.join(' '));
      res = await this.opts.http.send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        ...(this.opts.onTokenRequest && { onRequest: this.opts.onTokenRequest }),
      });
    } else {
      if (service !== undefined) url.searchParams.set('service', service);
      for (const s of scopes) url.searchParams.append('scope', s);
      res = await this.opts.http.send(url, {
        headers: { accept: 'application/json' },
        ...(creds && { authorization: basicHeader(creds.username, creds.password) }),
        ...(this.opts.onTokenRequest && { onRequest: this.opts.onTokenRequest }),
      });
    }
    const body = await readBody(res.body, TOKEN_BODY_LIMIT, where, url.host);
    if (res.statusCode !== 200) {
      const details = parseRegistryErrors(body.toString('utf8'));
      const answer = describeAnswer(res.statusCode, details);
      const codes = details.map((d) => d.code);
      if (res.statusCode === 401 || res.statusCode === 403) {
        const who = creds ? `the credentials from ${creds.source}` : 'anonymous access';
        throw new RegistryError('AUTH', `${where} refused ${who}: ${answer}`, { status: res.statusCode, registryCodes: codes });
      }
      if (res.statusCode === 408 || res.statusCode === 429 || res.statusCode >= 500) {
        throw new TransientError(`${where}: ${answer}`, {
          retryAfterMs: parseRetryAfter(headerValue(res.headers, 'retry-after'), Date.now()),
          status: res.statusCode,
          registryCodes: codes,
        });
      }
      throw new RegistryError('REGISTRY', `${where}: ${answer}`, { status: res.statusCode, registryCodes: codes });
    }
    let json: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      json = JSON.parse(body.toString('utf8')) as typeof json;
    } catch {
      throw new RegistryError('REGISTRY', `${where} answered something other than JSON`);
    }
    const token = typeof json.token === 'string' && json.token !== '' ? json.token : json.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new RegistryError('REGISTRY', `${where} answered without a token`);
    }
    // It goes into an Authorization header, where undici would refuse a space or a control character as
    // a bug of ours; it is the token server's.
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw new RegistryError(
        'REGISTRY',
        `${where} answered a token that an Authorization header cannot carry (a space, a control or a non-ASCII character)`,
      );
    }
    this.secrets.add(token);
    const seconds =
      typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : DEFAULT_TOKEN_SECONDS;
    const lifetime = seconds * 1000;
    // Renew a little early so a token does not expire between being chosen and being checked.
    return { header: `Bearer ${token}`, renewAt: started + lifetime - Math.min(10_000, lifetime / 10) };
  }

  /** `text` with every known secret replaced by `***`. */
  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) if (s.length >= 4) out = out.split(s).join('***');
    return out;
  }
}

/** Replaces secrets in an error's message (in place) before it leaves the client. */
export function scrubError(e: unknown, auth: Authenticator): unknown {
  if (e instanceof Error) e.message = auth.scrub(e.message);
  return e;
}
