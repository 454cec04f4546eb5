// Who owns a scratch directory in a cache, and the proof that it is dead. A build killed outright (SIGKILL,
// the OOM killer, a power cut) runs no handler, so what it left is found later, by the next build in the
// same cache; two builds may share a cache at once (CI jobs on one machine, containers sharing a volume),
// so that build must tell a dead owner from a live one, and when it cannot tell, leave the files alone.
//
// Each scratch directory holds an `owner` file: the process id, and what makes that id unambiguous. On
// Linux, an owner is dead when it ran on this very kernel (the same boot_id, which containers share with
// their host), in our PID and time namespaces, and /proc/PID is gone (kill(PID, 0) confirming: ESRCH) or
// is a process that started at another time (field 22 of /proc/PID/stat: the PID was reused). An owner of
// an earlier boot of this machine (same hostname and /etc/machine-id, created before this boot) is dead
// too: that is the power cut. Anything else — another namespace, another machine sharing the cache over
// the network, an owner file that cannot be read — counts as alive. On macOS and Windows, which have no
// /proc, an owner is dead only when it wrote its file on this machine since it last booted (same hostname,
// same boot time) and no process has its PID any more; a reused PID keeps its files until that process
// ends, which errs on the safe side.
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname, uptime } from 'node:os';

/** What the `owner` file of a scratch directory says. */
export interface Owner {
  v: 1;
  pid: number;
  platform: string;
  host: string;
  /** When this machine booted, in whole seconds since the epoch (now − uptime). */
  bootTime: number;
  /** When the owner created its directory, in milliseconds since the epoch. */
  created: number;
  /** Linux: /proc/sys/kernel/random/boot_id, new at every boot of a kernel, shared by its containers. */
  boot?: string;
  /** Linux: the process's start time in clock ticks since boot (field 22 of /proc/PID/stat). */
  start?: string;
  /** Linux: the PID and time namespaces (`pid:[4026531836]`): PIDs and start times mean something only there. */
  pidns?: string;
  timens?: string;
  /** Linux: /etc/machine-id, the installation's identity across boots. */
  machine?: string;
}

/** What a sweep knows about where it runs, and how it asks about a process. */
export interface Here {
  /** This process, described as it describes itself in its own owner file. */
  self: Owner;
  /** Linux: whether /proc shows our PID namespace (its `self` is our own PID). */
  procIsOurs: boolean;
  /** Field 22 of /proc/PID/stat; null when there is no /proc/PID; undefined when it cannot be read. */
  startOf(pid: number): string | null | undefined;
  /** False only when no process has this PID (kill(PID, 0) fails with ESRCH). */
  exists(pid: number): boolean;
}

/** Boot times computed on both sides from a clock and an uptime may differ by this much (seconds). */
const BOOT_TIME_SLACK = 5;

/** True only when `owner` is provably no longer running (see the rules at the top of this file). */
export function ownerIsDead(owner: Owner, here: Here): boolean {
  const self = here.self;
  if (owner.platform !== self.platform) return false;
  if (self.platform === 'linux') {
    if (owner.boot === undefined || self.boot === undefined) return false;
    if (owner.boot !== self.boot) {
      // Another kernel: an earlier boot of this machine, or another machine that shares the cache.
      return (
        owner.host === self.host &&
        owner.machine !== undefined &&
        owner.machine !== '' &&
        owner.machine === self.machine &&
        owner.created < self.bootTime * 1000
      );
    }
    if (owner.pidns === undefined || owner.pidns !== self.pidns || owner.timens !== self.timens || !here.procIsOurs) return false;
    if (owner.start === undefined) return false;
    const start = here.startOf(owner.pid);
    if (start === undefined) return false;
    if (start !== null) return start !== owner.start;
    return !here.exists(owner.pid);
  }
  return owner.host === self.host && Math.abs(owner.bootTime - self.bootTime) <= BOOT_TIME_SLACK && !here.exists(owner.pid);
}

/** Field 22 (starttime) of a /proc/PID/stat line; the command name in field 2 may hold spaces and parentheses. */
export function statStartTime(stat: string): string | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[22 - 3];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const link = (path: string): string | undefined => {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
};

const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

function startOf(pid: number): string | null | undefined {
  try {
    return statStartTime(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch (e) {
    return errno(e) === 'ENOENT' ? null : undefined;
  }
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) !== 'ESRCH';
  }
}

/** This process as its owner files describe it: created now, the rest read once. */
export function currentOwner(): Owner {
  return { ...describeSelf(), created: Date.now() };
}

let self: Omit<Owner, 'created'> | undefined;

function describeSelf(): Omit<Owner, 'created'> {
  if (self !== undefined) return self;
  const owner: Omit<Owner, 'created'> = {
    v: 1,
    pid: process.pid,
    platform: process.platform,
    host: hostname(),
    bootTime: Math.round(Date.now() / 1000 - uptime()),
  };
  if (process.platform === 'linux') {
    const boot = read('/proc/sys/kernel/random/boot_id')?.trim();
    const start = startOf(process.pid);
    const pidns = link('/proc/self/ns/pid');
    if (boot) owner.boot = boot;
    if (typeof start === 'string') owner.start = start;
    if (pidns !== undefined) owner.pidns = pidns;
    // Kernels before 5.6 have no time namespaces: then there is one clock for all, and '' on both sides.
    owner.timens = link('/proc/self/ns/time') ?? '';
    owner.machine = read('/etc/machine-id')?.trim() ?? '';
  }
  self = owner;
  return owner;
}

/** Where this process runs, for ownerIsDead. */
export function here(): Here {
  return {
    self: { ...describeSelf(), created: Date.now() },
    procIsOurs: process.platform === 'linux' && link('/proc/self') === String(process.pid),
    startOf,
    exists,
  };
}

/** An owner file's text as an Owner, or undefined when it is not one (cut short, another version). */
export function parseOwner(text: string): Owner | undefined {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null) return undefined;
  const r = o as Record<string, unknown>;
  const optional = (k: string): boolean => r[k] === undefined || typeof r[k] === 'string';
  const ok =
    r['v'] === 1 &&
    Number.isSafeInteger(r['pid']) &&
    (r['pid'] as number) > 0 &&
    typeof r['platform'] === 'string' &&
    typeof r['host'] === 'string' &&
    Number.isFinite(r['bootTime']) &&
    Number.isFinite(r['created']) &&
    ['boot', 'start', 'pidns', 'timens', 'machine'].every(optional);
  return ok ? (r as unknown as Owner) : undefined;
}
