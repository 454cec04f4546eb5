// Test helper: a misbehaving registry on loopback. A raw TCP server that reads each HTTP request itself and
// answers it the way a test asks, below the level where Node's own HTTP server would refuse to misbehave:
// bytes that are not HTTP (a malformed status line, a header without a colon, control characters in
// WWW-Authenticate), a head that never comes or trickles, 1xx interim answers forever, a TCP reset — or
// the request forwarded to a real registry (`upstream`) with its answer passed through at N bytes/s,
// stalled after N bytes, or reset after N bytes. Requests no rule matches are forwarded unchanged (404
// without an upstream). One request per connection (`Connection: close` both ways), so a rule's effect on
// one request never leaks into the next. Everything it opens, stop() closes. Besides it, a listener that
// never accepts a connection (`startDeafListener`): a registry whose host is up and whose server is stuck.
import { spawn } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** How to answer a request. Rates are in bytes per second. */
export type Misbehaviour =
  /** Write `bytes` as the answer (at `rate`, if given), then close the connection, or keep it open ('hang'). */
  | { kind: 'raw'; bytes: string | Buffer; rate?: number; then?: 'close' | 'hang' }
  /** Read the request and never answer. */
  | { kind: 'silent' }
  /** Answer with a TCP reset (RST) as soon as the request has arrived. */
  | { kind: 'reset' }
  /** `HTTP/1.1 102 Processing` every `everyMs`, and never a final answer. */
  | { kind: 'interim'; everyMs: number }
  /**
   * Forward to the upstream registry; the answer's head passes at once, its body at `rate`, or stops after
   * `stallAfter` bytes (the connection stays open), or ends in a reset after `resetAfter` bytes.
   */
  | { kind: 'forward'; rate?: number; stallAfter?: number; resetAfter?: number };

export interface RogueRequest {
  method: string;
  /** The request target without the query. */
  path: string;
  headers: Record<string, string>;
}

/** 'manifest' = GET/HEAD /v2/NAME/manifests/REF; 'blob' = GET /v2/NAME/blobs/DIGEST. */
export type RogueMatch = 'manifest' | 'blob' | 'any' | ((req: RogueRequest) => boolean);

export interface RogueRule {
  match: RogueMatch;
  answer: Misbehaviour;
  /** The first matching request it applies to (from 1). Default 1. */
  nth?: number;
  /** How many matching requests from the nth on. Default Infinity. */
  times?: number;
}

/** A rule that was added, with how many requests it matched and answered. */
export interface AddedRule {
  readonly rule: RogueRule;
  seen: number;
  applied: number;
}

export interface RogueHandle {
  /** `127.0.0.1:PORT`, to name as the registry. */
  host: string;
  url: string;
  /** Every request, in arrival order, with the kind of answer it got ('forward' when no rule applied). */
  requests: (RogueRequest & { answer: Misbehaviour['kind'] })[];
  on(rule: RogueRule): AddedRule;
  /** Removes every rule (their counters stay readable). */
  clear(): void;
  /** Connections still open (a stalled answer keeps its connection until the client gives up). */
  readonly openConnections: number;
  stop(): Promise<void>;
}

/** A well-formed answer as bytes (`Connection: close`, Content-Length), for rules that need one. */
export function httpAnswer(status: number, headers: Record<string, string> = {}, body: string | Buffer = ''): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const lines = [`HTTP/1.1 ${status} X`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `content-length: ${b.length}`, 'connection: close'];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), b]);
}

const MANIFEST_PATH = /^\/v2\/.+\/manifests\/[^/]+$/;
const BLOB_PATH = /^\/v2\/.+\/blobs\/sha256:[0-9a-f]{64}$/;
const HEAD_LIMIT = 64 * 1024;

function matches(match: RogueMatch, req: RogueRequest): boolean {
  if (typeof match === 'function') return match(req);
  if (match === 'any') return true;
  if (match === 'blob') return req.method === 'GET' && BLOB_PATH.test(req.path);
  return (req.method === 'GET' || req.method === 'HEAD') && MANIFEST_PATH.test(req.path);
}

/**
 * Writes what `push` is given to `socket` at `rate` bytes/s (as fast as the socket takes it when no rate),
 * stopping for good after `stopAfter` bytes; calls `onLimit` when that limit is reached and `onDone` when
 * everything was written after `end()`.
 */
class Shaper {
  private queue: Buffer[] = [];
  private queued = 0;
  private sent = 0;
  private ended = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly socket: Socket;
  private readonly timers: Set<NodeJS.Timeout>;
  private readonly opts: { rate?: number | undefined; stopAfter?: number | undefined; onLimit?: () => void; onDone: () => void };
  constructor(socket: Socket, timers: Set<NodeJS.Timeout>, opts: Shaper['opts']) {
    this.socket = socket;
    this.timers = timers;
    this.opts = opts;
    if (opts.rate !== undefined) {
      // A twentieth of a second's worth per tick, at least one byte (1 B/s is one byte a second).
      const chunk = Math.max(1, Math.floor(opts.rate / 20));
      this.timer = setInterval(() => this.pump(chunk), (chunk * 1000) / opts.rate);
      timers.add(this.timer);
    }
  }
  /** Whether the caller should keep feeding (false: too much queued, pause the source). */
  push(b: Buffer): boolean {
    this.queue.push(b);
    this.queued += b.length;
    if (this.opts.rate === undefined) this.pump(Infinity);
    return this.queued < 1 << 20;
  }
  end(): void {
    this.ended = true;
    if (this.opts.rate === undefined) this.pump(Infinity);
  }
  get backlog(): number {
    return this.queued;
  }
  private pump(budget: number): void {
    if (this.socket.destroyed) return this.stop();
    let left = budget;
    while (left > 0 && this.queue.length > 0) {
      const room = this.opts.stopAfter === undefined ? Infinity : this.opts.stopAfter - this.sent;
      if (room <= 0) break;
      const head = this.queue[0]!;
      const n = Math.min(head.length, left, room);
      this.socket.write(head.subarray(0, n));
      this.sent += n;
      this.queued -= n;
      left -= n;
      if (n === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(n);
    }
    if (this.opts.stopAfter !== undefined && this.sent >= this.opts.stopAfter) {
      this.stop();
      this.opts.onLimit?.();
      return;
    }
    if (this.ended && this.queue.length === 0) {
      this.stop();
      this.opts.onDone();
    }
  }
  stop(): void {
    if (this.timer !== undefined) {
      clearInterval(this.timer);
      this.timers.delete(this.timer);
      this.timer = undefined;
    }
  }
}

/** Starts a misbehaving registry; `upstream` (`host:port`) is the real registry unmatched requests go to. */
export async function startRogueRegistry(opts: { upstream?: string } = {}): Promise<RogueHandle> {
  let rules: AddedRule[] = [];
  const requests: RogueHandle['requests'] = [];
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const pick = (req: RogueRequest): Misbehaviour | undefined => {
    for (const r of rules) {
      if (!matches(r.rule.match, req)) continue;
      r.seen++;
      const nth = r.rule.nth ?? 1;
      if (r.seen >= nth && r.seen < nth + (r.rule.times ?? Infinity)) {
        r.applied++;
        return r.rule.answer;
      }
    }
    return undefined;
  };

  const track = <T extends Socket>(s: T): T => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    return s;
  };

  const forward = (client: Socket, head: Buffer, rest: Buffer, how: Extract<Misbehaviour, { kind: 'forward' }>): void => {
    if (opts.upstream === undefined) {
      client.end(httpAnswer(404, { 'content-type': 'application/json' }, '{"errors":[{"code":"NAME_UNKNOWN","message":"no upstream"}]}'));
      return;
    }
    const [hostname, port] = [opts.upstream.slice(0, opts.upstream.lastIndexOf(':')), Number(opts.upstream.slice(opts.upstream.lastIndexOf(':') + 1))];
    // The request as it came, but for this connection only and addressed to the upstream.
    const lines = head.toString('latin1').split('\r\n');
    const kept = lines.slice(1).filter((l) => l !== '' && !/^(connection|keep-alive|host|proxy-connection):/i.test(l));
    const out = Buffer.from([lines[0], `host: ${opts.upstream}`, ...kept, 'connection: close', '', ''].join('\r\n'), 'latin1');
    const up = track(connect({ host: hostname, port }));
    const stopAfter = how.stallAfter ?? how.resetAfter;
    const shaper = new Shaper(client, timers, {
      rate: how.rate,
      stopAfter,
      onLimit: () => {
        up.destroy();
        if (how.resetAfter !== undefined) client.resetAndDestroy();
        // stallAfter: the client's connection stays open, silent, until the client gives up.
      },
      onDone: () => client.end(),
    });
    up.on('connect', () => up.write(Buffer.concat([out, rest])));
    // The answer's head passes at once; the rate, the stall and the reset apply to its body.
    let answerHead: Buffer | undefined = Buffer.alloc(0);
    up.on('data', (b: Buffer) => {
      if (answerHead !== undefined) {
        answerHead = Buffer.concat([answerHead, b]);
        const end = answerHead.indexOf('\r\n\r\n');
        if (end < 0) return;
        client.write(answerHead.subarray(0, end + 4));
        b = answerHead.subarray(end + 4);
        answerHead = undefined;
        if (b.length === 0) return;
      }
      if (!shaper.push(b)) up.pause();
    });
    if (how.rate !== undefined) {
      const t = setInterval(() => {
        if (shaper.backlog < 1 << 19) up.resume();
      }, 20);
      timers.add(t);
      up.on('close', () => {
        clearInterval(t);
        timers.delete(t);
      });
    }
    up.on('end', () => shaper.end());
    up.on('error', () => {
      if (!client.destroyed) client.end(httpAnswer(502, {}, 'upstream failed'));
    });
    client.on('close', () => {
      shaper.stop();
      up.destroy();
    });
  };

  const answer = (client: Socket, head: Buffer, rest: Buffer, req: RogueRequest): void => {
    const how = pick(req) ?? { kind: 'forward' };
    requests.push({ ...req, answer: how.kind });
    switch (how.kind) {
      case 'silent':
        return;
      case 'reset':
        client.resetAndDestroy();
        return;
      case 'interim': {
        const t = setInterval(() => {
          if (client.destroyed) {
            clearInterval(t);
            timers.delete(t);
          } else client.write('HTTP/1.1 102 Processing\r\n\r\n');
        }, how.everyMs);
        timers.add(t);
        return;
      }
      case 'raw': {
        const shaper = new Shaper(client, timers, {
          rate: how.rate,
          onDone: () => {
            if (how.then !== 'hang') client.end();
          },
        });
        client.on('close', () => shaper.stop());
        shaper.push(typeof how.bytes === 'string' ? Buffer.from(how.bytes, 'latin1') : how.bytes);
        shaper.end();
        return;
      }
      case 'forward':
        forward(client, head, rest, how);
    }
  };

  const server = createServer((client) => {
    track(client);
    clients.add(client);
    client.on('close', () => clients.delete(client));
    let buf = Buffer.alloc(0);
    const onData = (b: Buffer): void => {
      buf = Buffer.concat([buf, b]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > HEAD_LIMIT) client.destroy();
        return;
      }
      client.off('data', onData);
      const head = buf.subarray(0, end + 4);
      const lines = head.toString('latin1').split('\r\n');
      const [method = '', target = ''] = lines[0]!.split(' ');
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const rest = buf.subarray(end + 4);
      // Anything after the request (a body, or a pipelined request) goes upstream untouched or nowhere.
      client.on('data', () => {});
      answer(client, head, rest, { method, path: target.split('?')[0]!, headers });
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    host,
    url: `http://${host}`,
    requests,
    on(rule: RogueRule): AddedRule {
      const added: AddedRule = { rule, seen: 0, applied: 0 };
      rules.push(added);
      return added;
    },
    clear: () => {
      rules = [];
    },
    get openConnections() {
      return clients.size;
    },
    stop: async () => {
      for (const t of timers) clearInterval(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface DeafListener {
  /** `127.0.0.1:PORT`: connections to it neither complete nor fail. */
  host: string;
  stop(): Promise<void>;
}

/**
 * A port whose connections hang: a child process listens with a backlog of one and then blocks its event
 * loop, so it never accepts; two connections made here fill the kernel's accept queue, after which the
 * kernel drops every SYN to the port and a client's connect waits until its own timeout.
 */
export async function startDeafListener(): Promise<DeafListener> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:net').createServer();
       s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
         process.stdout.write(s.address().port + '\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
       });`,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`deaf listener exited (${code}) before listening`)));
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  const fillers: Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => {});
    fillers.push(s);
    await new Promise<void>((resolve) => {
      s.once('connect', () => resolve());
      setTimeout(resolve, 500).unref();
    });
  }
  return {
    host: `127.0.0.1:${port}`,
    stop: async () => {
      for (const s of fillers) s.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
