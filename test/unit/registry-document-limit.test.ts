// A registry's manifest larger than an image document may be is refused by its Content-Length, before its
// body is read. The real registry of the integration tests refuses to store such a manifest, so this one is
// answered at the wire by a loopback server that announces 600 MB and sends a first megabyte.
import { afterAll, expect, test } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryClient } from '../../src/registry/client.ts';
import { parseReference } from '../../src/registry/reference.ts';
import { failure } from '../helpers/errors.ts';

const server = createServer((req, res) => {
  if (req.url === '/v2/') {
    res.end('{}');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': String(600_000_000) });
  res.write(Buffer.alloc(1 << 20, 0x20));
  // …and nothing more: a client that waits for the rest waits for ever.
});
const client = new RegistryClient({ retry: { attempts: 1 } });
afterAll(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a manifest announced at 600 MB is refused as too large before its body is read', async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const started = performance.now();
  const err = await failure(client.getManifest(parseReference(`${host}/big/manifest:v1`), 'v1'));
  expect(err.code).toBe('BAD_IMAGE');
  expect(err.message).toBe(
    `manifest ${host}/big/manifest:v1 is too large: 600000000 bytes, where an image document may have at most 4 MiB (4194304 bytes)`,
  );
  expect(performance.now() - started).toBeLessThan(3000);
});
