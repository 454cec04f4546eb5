// The CLI shell: argv → core → one line per outcome. Exit codes: 0 success, 1 the build or inspection
// failed for a reason the message names, 2 the command line is wrong, 70 a bug in this tool (the only case
// that prints a stack). SIGINT, SIGTERM and SIGHUP remove the build's temporary files and end the process
// by the same signal (cleanup.ts): a shell sees 130, 143 or 129.
import { parseCommand, USAGE, type RegistryArgs } from './args.ts';
import type { RegistryClientOptions } from '../registry/client.ts';
import { deadlineIn } from '../registry/limits.ts';
import { PlainReporter, TtyReporter } from './progress.ts';
import { build } from '../build.ts';
import { inspect, formatInspection } from '../inspect.ts';
import { formatReport } from '../report.ts';
import { checkOutput, isStandardOutput, writeOutputFile } from '../output.ts';
import { InitramfsError, isInitramfsError } from '../errors.ts';
import { exitOnSignals, sayOn } from '../cleanup.ts';
import { packageVersion } from './version.ts';
import { writeChecksumFile } from '../checksums.ts';
import { BOOT_USAGE, type BootArgs } from './boot-args.ts';
import { bootArchive } from '../boot/boot.ts';
import { resolveKernel } from '../boot/kernel.ts';
import type { Reporter } from '../log.ts';

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const cmd = parseCommand(argv, env);
    switch (cmd.kind) {
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      case 'version':
        process.stdout.write(`${packageVersion()}\n`);
        return 0;
      case 'boot-help':
        process.stdout.write(BOOT_USAGE);
        return 0;
      case 'boot': {
        const reporter = new PlainReporter(process.stderr);
        return (await bootAndSay(cmd.archive, cmd.boot, { cacheDir: cmd.cacheDir, env, reporter })) ? 0 : 1;
      }
      case 'inspect': {
        const info = await inspect(cmd.image, cmd.platform, { cacheDir: cmd.cacheDir, client: await registryOptions(cmd.registry, env) });
        process.stdout.write(formatInspection(info));
        return 0;
      }
      case 'build': {
        const reporter = process.stderr.isTTY ? new TtyReporter(process.stderr) : new PlainReporter(process.stderr);
        // Decided before the build: once written, a renamed file is no longer the inode stdout was.
        const archiveOnStdout = await isStandardOutput(cmd.output);
        const reportOnStdout = cmd.report !== undefined && (await isStandardOutput(cmd.report));
        if (archiveOnStdout && reportOnStdout) {
          throw new InitramfsError('USAGE', '--report: the archive already goes to standard output; name a file for the report (see --help)');
        }
        // Like the archive's own output, checked before anything is pulled.
        if (cmd.report !== undefined) await checkOutput(cmd.report, { label: 'report', text: true });
        const report = await build({ ...cmd, registry: await registryOptions(cmd.registry, env), reporter });
        if (cmd.report !== undefined) await writeOutputFile(cmd.report, formatReport(report), { label: 'report', text: true });
        // Standard output may carry the archive (-o -, /dev/stdout) or the report (--report -): then the
        // result lines go with the messages, so what is on stdout stays one clean stream.
        (archiveOnStdout || reportOnStdout ? process.stderr : process.stdout).write(`digest: ${report.digest}\nsize: ${report.size}\n`);
        if (cmd.checksums) {
          const path = await writeChecksumFile(cmd.output, report.digest);
          (reportOnStdout ? process.stderr : process.stdout).write(`checksums: ${path}\n`);
        }
        if (cmd.bootTest) {
          const ok = await bootAndSay(cmd.output, cmd.bootTest, { cacheDir: cmd.cacheDir, env, reporter, arch: report.image.platform.split('/')[1] });
          if (!ok) return 1;
        }
        return 0;
      }
    }
  } catch (e) {
    if (isInitramfsError(e)) {
      process.stderr.write(`error [${e.code}]: ${e.message}\n`);
      return e.code === 'USAGE' ? 2 : 1;
    }
    process.stderr.write(`internal error (please report): ${(e as Error)?.stack ?? String(e)}\n`);
    return 70;
  }
}

/**
 * Boots `archive` and says how it went: `booted in N.N s (tcg)` on stdout, or the reason and the
 * console's last lines on stderr. True when the expected line appeared.
 */
async function bootAndSay(archive: string, b: BootArgs, o: { cacheDir: string; env: NodeJS.ProcessEnv; reporter: Reporter; arch?: string | undefined }): Promise<boolean> {
  const arch = b.arch ?? (o.arch === 'amd64' || o.arch === 'arm64' ? o.arch : undefined);
  const kernel = await resolveKernel(b.kernel, {
    cacheDir: o.cacheDir,
    platform: { os: 'linux', architecture: arch ?? 'amd64' },
    source: { cacheDir: o.cacheDir, reporter: o.reporter, client: { env: o.env } },
  });
  o.reporter.info(`booting ${archive} with ${kernel.from}`);
  const r = await bootArchive(
    {
      archive,
      kernel: kernel.path,
      ...(b.expect !== undefined && { expect: b.expect }),
      ...(b.timeoutMs !== undefined && { timeoutMs: b.timeoutMs }),
      ...(b.memoryMiB !== undefined && { memoryMiB: b.memoryMiB }),
      ...(b.append !== undefined && { append: b.append }),
      ...(b.network !== undefined && { network: b.network }),
      ...(arch !== undefined && { arch }),
      ...(b.accel !== undefined && { accel: b.accel }),
    },
    o.reporter,
  );
  if (r.ok) {
    process.stdout.write(`booted in ${r.seconds.toFixed(1)} s (${r.accel}, ${r.arch})\n`);
    return true;
  }
  process.stderr.write(`error [BOOT]: ${r.message}\n`);
  if (r.tail.length > 0) process.stderr.write(`the console's last lines:\n${r.tail.map((l) => `  ${l}`).join('\n')}\n`);
  return false;
}

/**
 * The registry client's options; the password comes from standard input, never from argv. --timeout's
 * deadline starts here, as the command's work starts.
 */
async function registryOptions(args: RegistryArgs, env: NodeJS.ProcessEnv): Promise<RegistryClientOptions> {
  const opts: RegistryClientOptions = { env, insecureRegistries: args.insecureRegistries };
  if (args.username !== undefined && args.passwordStdin) {
    let password = '';
    for await (const chunk of process.stdin) password += (chunk as Buffer).toString('utf8');
    // `echo $TOKEN | …` adds a newline that is not part of the secret.
    password = password.replace(/\r?\n$/, '');
    if (password === '') throw new InitramfsError('USAGE', '--password-stdin: standard input was empty (see --help)');
    opts.credentials = { username: args.username, password };
  }
  if (args.timeoutMs !== undefined) opts.deadline = deadlineIn(args.timeoutMs);
  return opts;
}

// On a terminal the line starts below the live progress line (and the ^C the terminal echoed).
exitOnSignals(sayOn(2, process.stderr.isTTY ? '\n' : ''));
process.exitCode = await main(process.argv.slice(2), process.env);
