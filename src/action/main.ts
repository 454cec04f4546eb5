// The action: inputs → the same build() the CLI runs → with boot-test, the same bootArchive() as the CLI's
// `boot` (boot-test.ts) → outputs, cache, publication, job summary. The only code that talks to
// @actions/*; everything it calls is the shared core. Any failure ends as one setFailed line (the error's
// message, which names the input or image at fault) and a job summary saying what was asked, where it
// failed and what had been done (the build's own sections too when it had succeeded). A cancelled
// job (the runner sends SIGINT, then SIGTERM) removes the build's temporary files, the no-cache scratch
// directory included, before the process ends (index.ts installs the handlers, cleanup.ts).
import * as core from '@actions/core';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { build } from '../build.ts';
import { removeOnSignal } from '../cleanup.ts';
import { isInitramfsError } from '../errors.ts';
import { isLocalReference, registryName } from '../image/transport.ts';
import type { RegistryClientOptions } from '../registry/client.ts';
import { deadlineIn } from '../registry/limits.ts';
import { parseReference } from '../registry/reference.ts';
import { actionCacheDir, parseInputs, type ActionInputs } from './inputs.ts';
import { ActionsLayerCache } from './layer-cache.ts';
import { publishArtifact } from './publish-artifact.ts';
import { publishRelease } from './publish-release.ts';
import { ActionReporter } from './reporter.ts';
import { builtStep, inlineCode, renderFailure, renderSummary, type BootSummary, type FailureSummary } from './summary.ts';
import type { BuildReport } from '../report.ts';
import { formatReport } from '../report.ts';
import { writeOutputFile } from '../output.ts';
import { writeChecksumFile } from '../checksums.ts';
import { bootKernel, bootTest, ensureQemu } from './boot-test.ts';
import { DEFAULT_EXPECT } from '../boot/console.ts';
import type { ResolvedKernel } from '../boot/kernel.ts';

const SECRET_INPUTS = ['registry-password', 'github-token'];

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // Masked before anything can print them, including a message about a bad input.
  for (const name of SECRET_INPUTS) {
    const value = core.getInput(name);
    if (value !== '') core.setSecret(value);
  }
  const reporter = new ActionReporter(core);
  let scratch: string | undefined;
  let forgetScratch = (): void => {};
  // What has been done so far, for the summary of a failure: the part being worked on (when no stage or
  // section of the reporter is running), the inputs once parsed, the build's report once made.
  let part = 'inputs';
  let inputs: ActionInputs | undefined;
  let report: BuildReport | undefined;
  let layerCache: ActionsLayerCache | undefined;
  let boot: BootSummary | undefined;
  const succeeded: FailureSummary['succeeded'] = [];
  try {
    inputs = parseInputs((name) => core.getInput(name), env);
    part = 'build';
    let cacheDir = actionCacheDir(env);
    if (!inputs.cache) {
      // No cache wanted: a private directory for this run, removed at the end (or by a signal: created
      // synchronously, so that no handler can run between its creation and its registration).
      scratch = mkdtempSync(join(env['RUNNER_TEMP'] || process.cwd(), 'initramfs-nocache-'));
      forgetScratch = removeOnSignal(scratch);
      cacheDir = scratch;
    }
    // Missing directories of the output (dist/initrd.cpio.gz before anything made dist/) are created by
    // the build, after its preflight has checked every input.
    layerCache = inputs.cache ? new ActionsLayerCache({ warn: (m) => reporter.warn(m) }) : undefined;
    const registry = registryOptions(inputs, env);

    // What the boot test needs is made ready before the build: a runner without QEMU or a boot-kernel
    // that is no kernel fails in seconds, not after the pull and the compression.
    let kernel: ResolvedKernel | undefined;
    if (inputs.boot) {
      const spec = inputs.boot;
      part = 'boot test: preparing QEMU and the kernel';
      await ensureQemu(spec.arch, reporter, env);
      const shared = layerCache;
      kernel = await reporter.section(`boot: kernel ${spec.kernel.file ?? spec.kernel.image}`, () =>
        bootKernel(spec, { cacheDir, source: { cacheDir, reporter, client: registry, ...(shared && { sharedCache: shared }) } }),
      );
      succeeded.push({ step: 'boot kernel', detail: `${inlineCode(kernel.from)} ready` });
      part = 'build';
    }

    report = await build({
      image: inputs.image,
      output: inputs.output,
      platform: inputs.platform,
      compression: inputs.compression,
      level: inputs.level,
      inject: inputs.inject,
      ...(inputs.init !== undefined && { init: inputs.init }),
      ...(inputs.network !== undefined && { network: inputs.network }),
      ...(inputs.onExit !== undefined && { onExit: inputs.onExit }),
      ...(inputs.initTools !== undefined && { initTools: inputs.initTools }),
      ...(inputs.modules !== undefined && { modules: inputs.modules }),
      exclude: inputs.exclude,
      ...(inputs.sourceDateEpoch !== undefined && { sourceDateEpoch: inputs.sourceDateEpoch }),
      cacheDir,
      registry,
      ...(layerCache && { sharedCache: layerCache }),
      reporter,
    });
    const built = report;
    succeeded.push(builtStep(built));
    const cached = (digest: string): boolean => layerCache?.cached(digest) ?? false;
    part = 'outputs';
    core.setOutput('digest', report.digest);
    core.setOutput('size', String(report.size));
    core.setOutput('path', report.output);
    core.setOutput('image-digest', report.image.digest ?? '');
    core.setOutput('cache-hit', String(inputs.cache && report.layers.every((l) => cached(l.digest))));
    core.setOutput('entries', String(report.entries));
    // The build report, for later steps (attestations, release notes): in RUNNER_TEMP, not the workspace,
    // named after the archive so that several builds in one job keep one each.
    const reportFile = join(env['RUNNER_TEMP'] || join(report.output, '..'), `${basename(report.output)}.report.json`);
    await writeOutputFile(reportFile, formatReport(report), { label: 'report', text: true });
    core.setOutput('report', reportFile);
    succeeded.push({ step: 'report', detail: inlineCode(reportFile) });
    part = 'checksums';
    const checksums = inputs.checksums ? await writeChecksumFile(report.output, report.digest) : undefined;
    if (checksums !== undefined) {
      core.setOutput('checksums', checksums);
      succeeded.push({ step: 'checksums', detail: inlineCode(checksums) });
    }

    if (layerCache) {
      const cache = layerCache;
      await reporter.section('cache: saving pulled layers', async () => {
        const { saved, skipped } = await cache.saveDownloaded();
        const said = `saved ${saved} blob${saved === 1 ? '' : 's'} to the cache, ${skipped} already there`;
        core.info(said);
        succeeded.push({ step: 'cache', detail: said });
      });
    }

    // The boot comes before publishing: an archive that does not boot is not published (no artifact, no
    // release asset a fleet could pick up); it stays at its path, named by the `path` output, for a look.
    if (inputs.boot && kernel) {
      const arch = report.image.platform.split('/')[1] === 'arm64' ? 'arm64' : 'amd64';
      part = 'boot test';
      try {
        const result = await bootTest(report.output, kernel, inputs.boot, arch, reporter);
        boot = { result, kernel: kernel.from, kernelDigest: kernel.digest, expect: inputs.boot.expect ?? DEFAULT_EXPECT };
        if (result.ok) succeeded.push({ step: 'boot test', detail: `passed in ${result.seconds.toFixed(1)} s (${result.accel})` });
      } catch (e) {
        // A boot that could not even start (QEMU gone, an archive for another machine) is a failed one too.
        core.setOutput('boot-result', 'failed');
        throw e;
      }
      core.setOutput('boot-result', boot.result.ok ? 'passed' : 'failed');
      core.setOutput('boot-seconds', String(boot.result.seconds));
    } else {
      core.setOutput('boot-result', 'skipped');
    }

    part = 'publish';
    const asked = inputs;
    const published =
      boot === undefined || boot.result.ok
        ? await reporter.section(`publish: ${inputs.upload}`, () => publish(asked, built.output, checksums === undefined ? undefined : { path: checksums, digest: built.digest }, env))
        : inputs.upload === 'none'
          ? undefined
          : `not published: the boot test failed`;

    const failedBoot = boot && !boot.result.ok ? `${report.output} did not boot: ${boot.result.message}` : undefined;
    await writeSummary(
      renderSummary({
        report,
        cached,
        published,
        timings: reporter.timings,
        warnings: reporter.warnings,
        ...(boot && { boot }),
        ...(failedBoot !== undefined && { failure: failureOf(inputs, 'boot test', failedBoot, 'BOOT', succeeded) }),
      }),
    );
    core.info(`digest: ${report.digest}`);
    core.info(`size: ${report.size}`);
    if (failedBoot !== undefined) core.setFailed(`${failedBoot} [BOOT]`);
  } catch (e) {
    const stage = reporter.running ?? part;
    reporter.finish();
    const code = isInitramfsError(e) ? e.code : null;
    const message = (e as Error)?.message ?? String(e);
    if (code !== null) core.setFailed(`${message} [${code}]`);
    else {
      core.debug((e as Error)?.stack ?? String(e));
      core.setFailed(`internal error (please report): ${message}`);
    }
    const failure = failureOf(inputs, stage, message, code, succeeded);
    const cache = layerCache;
    await writeSummary(
      report === undefined
        ? renderFailure(failure, reporter)
        : renderSummary({
            report,
            cached: (digest) => cache?.cached(digest) ?? false,
            published: part === 'publish' ? 'not published: the upload failed' : 'not published',
            timings: reporter.timings,
            warnings: reporter.warnings,
            ...(boot && { boot }),
            failure,
          }),
    );
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    forgetScratch();
  }
}

/**
 * A failure as the summary shows it. What was asked: the inputs as parsed, else (an input was wrong) as
 * the workflow gave them; never a secret input.
 */
function failureOf(
  inputs: ActionInputs | undefined,
  stage: string,
  message: string,
  code: string | null,
  succeeded: FailureSummary['succeeded'],
): FailureSummary {
  const raw = (name: string): string => core.getInput(name).trim();
  const asked =
    inputs !== undefined
      ? { image: inputs.image, output: inputs.output, upload: inputs.upload }
      : { image: raw('image'), output: raw('output') || null, upload: raw('upload') || 'artifact' };
  return { asked, stage, message, code, succeeded };
}

/**
 * Registry credentials in the order the README gives: the registry-username/password inputs, then the
 * job's docker config (a docker/login-action step), then — for ghcr.io only — the github-token input. The
 * `timeout` input's deadline starts here, as the build starts.
 */
function registryOptions(inputs: ActionInputs, env: NodeJS.ProcessEnv): RegistryClientOptions {
  const opts: RegistryClientOptions = { env };
  if (inputs.timeoutMs !== undefined) opts.deadline = deadlineIn(inputs.timeoutMs);
  if (inputs.registryUsername !== undefined && inputs.registryPassword !== undefined) {
    opts.credentials = { username: inputs.registryUsername, password: inputs.registryPassword };
  } else if (inputs.githubToken !== undefined && !isLocalReference(inputs.image)) {
    if (parseReference(registryName(inputs.image)).registry === 'ghcr.io') {
      opts.fallbackCredentials = {
        registry: 'ghcr.io',
        username: env['GITHUB_ACTOR'] || 'x-access-token',
        password: inputs.githubToken,
        source: 'the github-token input',
      };
    }
  }
  return opts;
}

/**
 * Publishes the archive, and its checksum file when there is one (as a second artifact, or a second asset
 * of the release, named after the first with .sha256); returns a Markdown line saying where, and sets the
 * matching outputs.
 */
async function publish(
  inputs: ActionInputs,
  file: string,
  checksums: { path: string; digest: string } | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  switch (inputs.upload) {
    case 'none':
      core.info('upload: none, the archive stays at its path');
      return undefined;
    case 'artifact': {
      const upload = (path: string, name: string) =>
        publishArtifact({
          file: path,
          name,
          overwrite: inputs.overwrite,
          ...(inputs.retentionDays !== undefined && { retentionDays: inputs.retentionDays }),
          tempDir: env['RUNNER_TEMP'] || join(file, '..'),
          env,
          info: (m) => core.info(m),
        });
      const a = await upload(file, inputs.artifactName);
      core.setOutput('artifact-id', String(a.id));
      core.setOutput('artifact-url', a.url);
      let line = `artifact [${inputs.artifactName}](${a.url})`;
      if (checksums !== undefined) {
        // The artifact's file carries the artifact's name, so its checksum line must name that, not the
        // output's: downloaded side by side, `sha256sum -c` then finds the file it names.
        const name = `${inputs.artifactName}.sha256`;
        const sums =
          basename(file) === inputs.artifactName
            ? checksums.path
            : await writeChecksumFile(file, checksums.digest, { name: inputs.artifactName, dir: await mkdtemp(join(env['RUNNER_TEMP'] || join(file, '..'), 'initramfs-sums-')) });
        const c = await upload(sums, name);
        line += `, checksums [${name}](${c.url})`;
      }
      return line;
    }
    case 'release': {
      const upload = (path: string, contentType?: string) =>
        publishRelease({
          file: path,
          tag: inputs.releaseTag!,
          compression: inputs.compression,
          ...(contentType !== undefined && { contentType }),
          overwrite: inputs.overwrite,
          token: inputs.githubToken!,
          repository: env['GITHUB_REPOSITORY'] ?? '',
          apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
          info: (m) => core.info(m),
        });
      const asset = await upload(file);
      core.setOutput('asset-url', asset.url);
      let line = `release ${inputs.releaseTag} asset [${asset.name}](${asset.url})`;
      if (checksums !== undefined) {
        const c = await upload(checksums.path, 'text/plain');
        line += `, checksums [${c.name}](${c.url})`;
      }
      return line;
    }
  }
}

async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (e) {
    // No GITHUB_STEP_SUMMARY (a runner that lacks it, a local run): the build itself succeeded.
    core.warning(`job summary not written: ${(e as Error).message}`);
  }
}
