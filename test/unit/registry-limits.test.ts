// The network bounds in process: reading them from the environment, the retry loop's decisions (a
// Retry-After too long, a deadline too near, stalls retried fewer times than cuts), the watchdog on real
// loopback connections (a consumer that holds the body back is not a stalled registry; one that stops
// sending is), and undici's failures turned into this tool's errors.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { InitramfsError } from '../../src/errors.ts';
import { DeadlineError, describeAnswer, RegistryError, TransientError, TransportError } from '../../src/registry/errors.ts';
import { classifyFailure, DEFAULT_RETRY, Http, SchemePolicy, withRetries, type RetryContext } from '../../src/registry/http.ts';
import { DEFAULT_LIMITS, deadlineIn, limitsFromEnv, type NetworkLimits } from '../../src/registry/limits.ts';
import { usageError } from '../helpers/errors.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; requests: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests: () => n };
}

function http(limits: Partial<NetworkLimits>, deadline?: ReturnType<typeof deadlineIn>): Http {
  const h = new Http({ ...DEFAULT_LIMITS, ...limits }, new SchemePolicy(), deadline);
  closers.push(() => h.close());
  return h;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as Error,
  );
}

describe('limits from the environment', () => {
  it('unset and empty variables keep the defaults; set ones replace them', () => {
    expect(limitsFromEnv({})).toEqual({});
    expect(limitsFromEnv({ INITRAMFS_ACTION_IDLE_TIMEOUT: '' })).toEqual({});
    expect(
      limitsFromEnv({
        INITRAMFS_ACTION_IDLE_TIMEOUT: '5s',
        INITRAMFS_ACTION_LOW_SPEED_LIMIT: '0',
        INITRAMFS_ACTION_LOW_SPEED_TIME: '2m',
        INITRAMFS_ACTION_MAX_RETRY_WAIT: '90',
      }),
    ).toEqual({ idleMs: 5000, lowSpeedBytesPerSecond: 0, lowSpeedWindowMs: 120_000, maxRetryWaitMs: 90_000 });
  });
  it('a bad value is a USAGE error naming the variable and the form, the value quoted', () => {
    expect(usageError(() => limitsFromEnv({ INITRAMFS_ACTION_LOW_SPEED_TIME: '1\nminute' }))).toBe(
      "INITRAMFS_ACTION_LOW_SPEED_TIME='1\\nminute': expected a duration such as 30s, 2m or 500ms (at most 7d)",
    );
    expect(usageError(() => limitsFromEnv({ INITRAMFS_ACTION_LOW_SPEED_LIMIT: '1k' }))).toMatch(
      /^INITRAMFS_ACTION_LOW_SPEED_LIMIT='1k': expected bytes per second, a whole number/,
    );
  });
});

describe('the retry loop', () => {
  const ctx = (limits: Partial<NetworkLimits> = {}, deadline?: ReturnType<typeof deadlineIn>): RetryContext & { warnings: string[] } => {
    const warnings: string[] = [];
    return {
      policy: { ...DEFAULT_RETRY, baseDelayMs: 1, maxDelayMs: 2 },
      limits: { ...DEFAULT_LIMITS, ...limits },
      deadline,
      reporter: { warn: (m) => warnings.push(m) },
      warnings,
    };
  };

  it('a Retry-After longer than a build waits fails at once, naming the delay and the bound', async () => {
    let calls = 0;
    const started = performance.now();
    const e = await rejection(
      withRetries('manifest r/x:1', ctx(), async () => {
        calls++;
        throw new TransientError('reg.example answered HTTP 429', { retryAfterMs: 7_200_000, status: 429 });
      }),
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(calls).toBe(1);
    expect(e).toBeInstanceOf(RegistryError);
    expect((e as RegistryError).code).toBe('NETWORK');
    expect((e as RegistryError).status).toBe(429);
    expect(e.message).toBe(
      'manifest r/x:1: reg.example answered HTTP 429, asking to retry in 2h (Retry-After); a build waits at most 1m (INITRAMFS_ACTION_MAX_RETRY_WAIT): try again later',
    );
  });

  it('a Retry-After within the bound but past the deadline fails at once, naming the deadline', async () => {
    let calls = 0;
    const e = await rejection(
      withRetries('blob b', ctx({}, deadlineIn(10_000)), async () => {
        calls++;
        throw new TransientError('reg.example answered HTTP 503', { retryAfterMs: 30_000 });
      }),
    );
    expect(calls).toBe(1);
    expect(e).toBeInstanceOf(DeadlineError);
    expect(e.message).toMatch(/^blob b: reg\.example answered HTTP 503; the build's timeout of 10s leaves (9\.\d|10)s, not enough for the 30s it asks to wait \(Retry-After\)$/);
  });

  it('stalls end the operation after two attempts, cuts after five', async () => {
    const count = async (stalled: boolean): Promise<[number, string]> => {
      let calls = 0;
      const e = await rejection(
        withRetries('blob b', ctx(), async () => {
          calls++;
          throw new TransientError('reg.example went quiet', { stalled });
        }),
      );
      return [calls, e.message];
    };
    expect(await count(true)).toEqual([2, 'blob b: failed after 2 attempts; last: reg.example went quiet']);
    expect(await count(false)).toEqual([5, 'blob b: failed after 5 attempts; last: reg.example went quiet']);
  });

  it('a transport failure is not retried and names the operation it stopped', async () => {
    let calls = 0;
    const e = await rejection(
      withRetries('manifest r/x:1', ctx(), async () => {
        calls++;
        throw new TransportError('reg.example answered with something that is not HTTP/1.1: Invalid status code');
      }),
    );
    expect(calls).toBe(1);
    expect((e as InitramfsError).code).toBe('NETWORK');
    expect(e.message).toBe('manifest r/x:1: reg.example answered with something that is not HTTP/1.1: Invalid status code');
  });
});

describe('the watchdog', () => {
  it('a consumer that holds a body back longer than the idle timeout still gets every byte', async () => {
    const body = Buffer.alloc(16 << 20, 7);
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    });
    const res = await http({ idleMs: 300, lowSpeedWindowMs: 300, lowSpeedBytesPerSecond: 1 << 20 }).send(new URL(s.url));
    // The body fills its buffers, undici pauses the socket, the server blocks: nobody's bytes move.
    await sleep(1200);
    let n = 0;
    for await (const chunk of res.body) n += (chunk as Buffer).length;
    expect(n).toBe(body.length);
  });

  it('a body that stops half way fails after the idle timeout, saying how far it got', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': 200_000 });
      res.write(Buffer.alloc(50_000));
    });
    const started = performance.now();
    const res = await http({ idleMs: 400 }).send(new URL(s.url));
    const e = await rejection(
      (async () => {
        for await (const chunk of res.body) void chunk;
      })(),
    );
    const took = performance.now() - started;
    expect(e).toBeInstanceOf(TransientError);
    expect((e as TransientError).stalled).toBe(true);
    expect(e.message).toMatch(/^127\.0\.0\.1:\d+ sent nothing for 400ms in the middle of a body, after 0\.05 MB of 0\.20 MB \(INITRAMFS_ACTION_IDLE_TIMEOUT\)$/);
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(2000);
  });

  it('a deadline already past sends no request at all', async () => {
    const s = await serve((_req, res) => res.end('{}'));
    const deadline = deadlineIn(1);
    await sleep(5);
    const e = await rejection(http({}, deadline).send(new URL(s.url)));
    expect(e).toBeInstanceOf(DeadlineError);
    expect(e.message).toMatch(/^the build's timeout of 1ms ran out before a request to 127\.0\.0\.1:\d+$/);
    expect(s.requests()).toBe(0);
  });
});

describe('undici failures as this tool errors', () => {
  it('an answer that is not HTTP is NETWORK, naming the host and showing where, escaped', async () => {
    const server = createNetServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nx-evil: \x01\x1b[2J\r\n\r\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const e = await rejection(http({}).send(new URL(`http://${host}/v2/`)));
    expect(e).toBeInstanceOf(TransportError);
    expect((e as TransportError).code).toBe('NETWORK');
    expect(e.message).toBe(`${host} answered with something that is not HTTP/1.1: Invalid header value char near '\\x01\\x1b[2J\\r\\n\\r\\n'`);
  });
  it('a reset is worth another attempt; a TypeError is a bug and surfaces as itself', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(classifyFailure(reset, 'h')).toBeInstanceOf(TransientError);
    const bug = new TypeError('x is not a function');
    expect(classifyFailure(bug, 'h')).toBe(bug);
  });
  it("a registry's error text with control characters is shown escaped, on one line", () => {
    expect(describeAnswer(500, [{ code: 'UNKNOWN', message: 'boom\n\x1b[31mred' }])).toBe("HTTP 500 (UNKNOWN: 'boom\\n\\x1b[31mred')");
    expect(describeAnswer(404, [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }])).toBe('HTTP 404 (MANIFEST_UNKNOWN: manifest unknown)');
  });
});
