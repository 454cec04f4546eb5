// Publishing the archive as a workflow artifact, unzipped: @actions/artifact's skipArchive uploads one file
// as is. The service names such an artifact after the file, so a file whose name is not the artifact's is
// linked (or copied) under that name in a private directory first. Outside a runner (no Actions runtime)
// the failure says so and what to do, as a USAGE error.
import { DefaultArtifactClient } from '@actions/artifact';
import { copyFile, link, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InitramfsError } from '../errors.ts';

export interface ArtifactPublish {
  file: string;
  name: string;
  retentionDays?: number;
  /** Replace an artifact of the same name in this run (a re-run, or a second step). */
  overwrite: boolean;
  /** A directory for the renamed link (RUNNER_TEMP). */
  tempDir: string;
  env: NodeJS.ProcessEnv;
  info(message: string): void;
}

export interface PublishedArtifact {
  id: number;
  url: string;
  /** sha256 of the uploaded bytes, as the service recorded it. */
  digest?: string;
}

export async function publishArtifact(p: ArtifactPublish): Promise<PublishedArtifact> {
  const client = new DefaultArtifactClient();
  if (p.overwrite) {
    try {
      await client.deleteArtifact(p.name);
      p.info(`replaced the existing artifact '${p.name}'`);
    } catch (e) {
      if (!isArtifactNotFound(e)) throw failure(p.name, e);
    }
  }
  let dir: string | undefined;
  let file = p.file;
  try {
    if (basename(file) !== p.name) {
      dir = await mkdtemp(join(p.tempDir, 'initramfs-artifact-'));
      file = join(dir, p.name);
      await link(p.file, file).catch(() => copyFile(p.file, file));
    }
    const res = await client
      .uploadArtifact(p.name, [file], dir ?? join(file, '..'), {
        skipArchive: true,
        ...(p.retentionDays !== undefined && { retentionDays: p.retentionDays }),
      })
      .catch((e: unknown) => {
        throw failure(p.name, e);
      });
    if (res.id === undefined) throw new InitramfsError('IO', `artifact '${p.name}': the service returned no artifact id`);
    const server = p.env['GITHUB_SERVER_URL'] || 'https://github.com';
    const url = `${server}/${p.env['GITHUB_REPOSITORY'] ?? ''}/actions/runs/${p.env['GITHUB_RUN_ID'] ?? ''}/artifacts/${res.id}`;
    return res.digest === undefined ? { id: res.id, url } : { id: res.id, url, digest: res.digest };
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What @actions/artifact throws (6.x: "Unable to get the ACTIONS_RUNTIME_TOKEN env variable", the same
 * for ACTIONS_RESULTS_URL) when the step was not started by a runner: the variables are given only to
 * steps a GitHub Actions runner runs. Matched on its message, not checked beforehand: a local runner
 * such as @github/local-action replaces the client and uploads without them. The action's tests run the
 * real client without them, so a new wording of the library fails a test rather than a user.
 */
const NO_RUNTIME = /Unable to get the (ACTIONS_RUNTIME_TOKEN|ACTIONS_RESULTS_URL) env variable/;

/**
 * @actions/artifact's ArtifactNotFoundError, told by its name rather than by instanceof: under
 * @github/local-action the module is a stand-in that exports no such class (a named import of it would not
 * even link) and throws its own error of that name.
 */
const isArtifactNotFound = (e: unknown): boolean => e instanceof Error && e.name === 'ArtifactNotFoundError';

function failure(name: string, e: unknown): InitramfsError {
  const why = (e as Error).message ?? String(e);
  const runtime = NO_RUNTIME.exec(why);
  if (runtime !== null) {
    return new InitramfsError(
      'USAGE',
      `upload: artifact needs the GitHub Actions runtime (${runtime[1]} is not set): a runner sets it only for ` +
        `the actions a step uses (uses:), not for run: scripts nor for runs outside GitHub Actions. ` +
        `Use 'upload: none' there: the archive stays at its path (the 'path' output)`,
      { cause: e },
    );
  }
  const hint = /conflict|already exists/i.test(why) ? " (set 'overwrite: true' to replace it, or choose another 'artifact-name')" : '';
  return new InitramfsError('IO', `artifact '${name}' upload failed: ${why}${hint}`);
}
