// The /init generated from an image config when the image has none and the user gave none: a POSIX sh
// script run as PID 1 by the static busybox the archive carries (/.initramfs-action/busybox). It mounts
// the kernel filesystems, sets the hostname, brings up loopback, loads kernel modules, configures the
// network, runs Entrypoint + Cmd as Docker would (Env, WorkingDir, User, every argument exact) or a
// console shell when the kernel command line asks for one, reports the exit status on the console, then
// powers off, reboots or opens a shell. Every tool is called as `"$BB" APPLET`, never through PATH, so an
// image without a shell boots and the command's PATH never sees busybox. Pure: text in, text out.
import { InitramfsError } from '../errors.ts';
import type { ImageConfig } from '../image/types.ts';

/** Where the archive carries init's own tools. */
export const TOOLS_DIR = '/.initramfs-action';
/** The static busybox that runs /init and every tool it calls. */
export const BUSYBOX_PATH = '/.initramfs-action/busybox';
/** udhcpc's event hook (udhcpcScript()), which applies a DHCP lease. */
export const UDHCPC_SCRIPT_PATH = '/.initramfs-action/udhcpc.script';
/** The kernel command-line word that starts a console shell instead of the command. */
export const SHELL_WORD = 'initramfs.shell';

/** Docker's PATH for containers whose image sets none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The line the script prints (to /dev/console) when the command ends, followed by the status. */
export const STATUS_PREFIX = 'initramfs-action: command exited with status ';

export type NetworkMode = 'none' | 'dhcp' | 'cmdline';
export type OnExit = 'poweroff' | 'reboot' | 'shell';

/** The command's user as numbers (resolved at build time from the image's /etc/passwd and /etc/group). */
export interface InitUser {
  uid: number;
  gid: number;
  /** Supplementary groups. Kept for the report: busybox cannot set them (nsenter clears them). */
  groups: number[];
  /** The passwd entry's home directory: HOME when the image Env sets none. */
  home?: string;
}

/** What the generated /init does besides running the command. */
export interface InitPlan {
  hostname: string;
  network: NetworkMode;
  onExit: OnExit;
  /** Archive paths of the modules to insmod, in load order (dependencies first). */
  modules: string[];
  /** The command's user; undefined runs it as root (no switch). */
  user?: InitUser;
}

/**
 * The parts of the script that touch the machine, replaceable so tests can run the script on a host
 * safely. Each value is inserted as shell source, VERBATIM: quote paths yourself (shellQuote), and never
 * pass user input here. The defaults are what a guest needs.
 */
export interface InitHooks {
  /** The busybox binary: the value of `BB` (default `/.initramfs-action/busybox`). The shebang is fixed. */
  busybox: string;
  /**
   * Prefix of the guest files the script reads or writes itself: /proc/cmdline, /proc/net/pnp,
   * /proc/sysrq-trigger, /sys/class/net, /sys/module, the mount points, the /dev links, /etc/resolv.conf
   * and the shell's applet links in /.initramfs-action/bin (default empty: the real root).
   */
  root: string;
  /** Where init's own lines go, the status line included (default /dev/console). */
  console: string;
  /** Shell source run right after the variables are set, before anything else (default none). */
  prelude: string;
  /**
   * The command words that start every applet that changes or queries the machine: mount, hostname, ip,
   * insmod, udhcpc, sync, poweroff, reboot (default `"$BB"`). A test points it at a recording function.
   */
  system: string;
  /**
   * The console shell, as the words of one simple command (it is run as `set -- WORDS; exec "$@"`)
   * (default `"$BB" setsid "$BB" cttyhack "$BB" sh`: a new session whose controlling tty is the real
   * console device, so job control and ^C work).
   */
  shell: string;
  /** The last resort when power-off or reboot returned: PID 1 must never exit (default: sleep forever). */
  hang: string;
}

const DEFAULT_HOOKS: InitHooks = {
  busybox: BUSYBOX_PATH,
  root: '',
  console: '/dev/console',
  prelude: '',
  system: '"$BB"',
  shell: '"$BB" setsid "$BB" cttyhack "$BB" sh',
  // If PID 1 exits the kernel panics; if busybox cannot even sleep, `read` blocks on the console.
  hang: 'while :; do "$BB" sleep 3600 || read -r _; done',
};

/** Quote one word for POSIX sh: single quotes keep every byte literal; a `'` becomes `'\''`. */
export const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** Names sh can export; others (e.g. `a.b`, `a-b`) cannot be set by a POSIX shell at all. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Linux hostnames: the kernel keeps 64 bytes with the NUL, and DNS labels are at most 63 characters. */
const HOSTNAME_MAX = 63;

/** uid/gid values the kernel accepts: (uid_t)-1 means "unchanged". */
const ID_MAX = 2 ** 32 - 2;

/**
 * The guest's hostname unless the kernel's `ip=` names one. A constant, not the image's name: the same
 * image must give the same bytes however it arrives (a registry, an OCI layout, a docker save archive),
 * and a name taken from how it was referenced would differ between them.
 */
export const DEFAULT_HOSTNAME = 'initramfs';

/**
 * The /init script for `config` run as `plan` says. Env entries whose name sh cannot export (not
 * `[A-Za-z_][A-Za-z0-9_]*`) or that have no "=" are skipped. The command is not exec'd by PID 1: the
 * script outlives it to report its status and power off. Throws NO_INIT when the config has no
 * Entrypoint and no Cmd, BAD_IMAGE for a NUL in an argument, Env entry or WorkingDir (exec cannot pass
 * one), USAGE for a plan that cannot be written (bad uid/gid, NUL in a module path or the hostname).
 * The text is meant to be written as UTF-8.
 */
export function generateInit(config: ImageConfig, plan: InitPlan, hooks: Partial<InitHooks> = {}): string {
  const h: InitHooks = { ...DEFAULT_HOOKS, ...hooks };
  const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  if (argv.length === 0) throw new InitramfsError('NO_INIT', 'image config has no Entrypoint or Cmd; pass --init');
  for (const s of [...argv, ...(config.Env ?? []), config.WorkingDir ?? '']) {
    if (s.includes('\0')) throw new InitramfsError('BAD_IMAGE', `image config has a NUL character in ${JSON.stringify(s)}`);
  }
  checkPlan(plan);

  const env = exportable(config.Env ?? []);
  const envHome = env.some((e) => e.startsWith('HOME='));
  const imagePath = env.findLast((e) => e.startsWith('PATH='))?.slice('PATH='.length) ?? DEFAULT_PATH;
  const S = h.system;
  const q = shellQuote;

  // The command's process: the user switch is part of argv, expanded before Env is exported (an image
  // Env may set a variable named BB); cd before Env too, so an image CDPATH cannot redirect it.
  const commandWords = plan.user
    ? // busybox nsenter without namespace options just sets the ids by number (no /etc/passwd needed),
      // and -F execs the command itself instead of forking. It clears supplementary groups
      // (setgroups(0)) and has no way to set them: plan.user.groups are not applied.
      ['"$BB" nsenter -F', `-S ${plan.user.uid}`, `-G ${plan.user.gid}`, '--', ...argv.map(q)].join(' ')
    : argv.map(q).join(' ');
  const home = envHome ? [] : [`export HOME=${q(plan.user?.home ?? '/')}`];
  const workDir = config.WorkingDir ?? '';

  const lines = [
    `#!${BUSYBOX_PATH} sh`,
    '# /init generated by initramfs-action from the image config. PID 1, run by the static busybox in',
    `# ${TOOLS_DIR}; every tool is called as "$BB" APPLET (never through PATH), so the image needs no`,
    '# shell or tools of its own and the command never sees busybox on its PATH. In order: kernel',
    '# filesystems, hostname, loopback, kernel modules, network, then the command (or a console shell when',
    `# the kernel command line has the word ${SHELL_WORD}), its exit status on the console, then ${plan.onExit}.`,
    '# PID 1 must never exit (the kernel panics), so every failure below is a warning and the boot goes on.',
    `BB=${h.busybox}`,
    `ROOT=${h.root}`,
    `CONSOLE=${h.console}`,
    '# The kernel starts init with no PATH; this is also the command\'s PATH unless its Env sets one.',
    `PATH=${q(DEFAULT_PATH)}`,
    'export PATH',
    ...(h.prelude === '' ? [] : [h.prelude]),
    '',
    // Function replacers: a hook's `$'` or `$&` must not be read as a replacement pattern.
    FUNCTIONS.replaceAll('@SYS@', () => S)
      .replaceAll('@UDHCPC_SCRIPT@', () => q(UDHCPC_SCRIPT_PATH))
      .replaceAll('@HANG@', () => h.hang),
    '',
    '# run_command: Entrypoint + Cmd in a subshell, so Env, WorkingDir and the user apply to it alone.',
    '# It runs in the foreground: a background job would start with SIGINT and SIGQUIT ignored (POSIX,',
    "# for a shell without job control; ash cannot undo that), unlike Docker. ash's foreground wait is",
    '# waitpid(-1), so PID 1 still reaps the orphans the command leaves meanwhile.',
    'run_command() {',
    '\t(',
    `\t\tset -- ${commandWords}`,
    ...(workDir === '' ? [] : [`\t\tcd -- ${q(workDir)} || { say ${q(`cannot change to WorkingDir ${workDir}`)}; exit 1; }`]),
    // Quoting the whole KEY=VALUE keeps the value byte-exact (spaces, quotes, $, backticks, newlines).
    ...env.map((e) => `\t\texport ${q(e)}`),
    ...home.map((l) => `\t\t${l}`),
    '\t\texec "$@"',
    '\t)',
    '}',
    '',
    '# console_shell: an interactive shell on the console, as root, with the image Env and its PATH plus',
    `# busybox's applets (links made now, in ${TOOLS_DIR}/bin: never on the command's PATH).`,
    'console_shell() {',
    `\t"$BB" mkdir -p "$ROOT${TOOLS_DIR}/bin" && "$BB" --install -s "$ROOT${TOOLS_DIR}/bin" ||`,
    `\t\twarn "could not make the busybox applet links in ${TOOLS_DIR}/bin; going on"`,
    '\t(',
    `\t\tset -- ${h.shell}`,
    ...(workDir === '' ? ['\t\tcd /'] : [`\t\tcd -- ${q(workDir)} 2>/dev/null || cd /`]),
    ...env.map((e) => `\t\texport ${q(e)}`),
    ...(envHome ? [] : ["\t\texport HOME='/'"]),
    `\t\texport PATH=${q(imagePath)}:"$ROOT${TOOLS_DIR}/bin"`,
    "\t\texport PS1='initramfs-action \\w # '",
    '\t\texec "$@"',
    '\t)',
    '}',
    '',
    '# ---- boot ----',
    'mount_kernel_filesystems',
    'read_cmdline',
    `${S} hostname ${q(plan.hostname)} || warn ${q(`could not set the hostname ${plan.hostname}; going on`)}`,
    `${S} ip link set lo up || warn 'could not bring up the loopback interface; going on'`,
    ...plan.modules.map((m) => `load_module ${q(moduleName(m))} ${q(m)}`),
    networkLine(plan.network),
    '',
    `if has_word ${q(SHELL_WORD)}; then`,
    `\tsay ${q(`${SHELL_WORD} on the kernel command line: a shell replaces the command`)}`,
    '\tconsole_shell',
    '\tsay "shell exited with status $?"',
    ...(plan.onExit === 'reboot' ? ['\treboot_now'] : ['\tpower_off']),
    'fi',
    '',
    'run_command',
    'status=$?',
    `printf '%s%s\\n' ${q(STATUS_PREFIX)} "$status" 2>/dev/null >>"$CONSOLE" || printf '%s%s\\n' ${q(STATUS_PREFIX)} "$status"`,
    ...onExitLines(plan.onExit),
  ];
  return lines.join('\n') + '\n';
}

function checkPlan(plan: InitPlan): void {
  for (const s of [plan.hostname, ...plan.modules]) {
    if (s.includes('\0')) throw new InitramfsError('USAGE', `init plan has a NUL character in ${JSON.stringify(s)}`);
  }
  if (plan.user) {
    for (const [what, id] of [['uid', plan.user.uid], ['gid', plan.user.gid]] as const) {
      if (!Number.isInteger(id) || id < 0 || id > ID_MAX) {
        throw new InitramfsError('USAGE', `init plan: ${what} ${id} is not a number from 0 to ${ID_MAX}`);
      }
    }
  }
}

/** Env entries sh can export, in order. */
function exportable(env: readonly string[]): string[] {
  return env.filter((entry) => {
    const eq = entry.indexOf('=');
    return eq > 0 && SHELL_NAME.test(entry.slice(0, eq));
  });
}

/** The kernel's name for a module file: /sys/module/<name>, with '-' read as '_'. */
const moduleName = (path: string): string =>
  path
    .slice(path.lastIndexOf('/') + 1)
    .replace(/\.ko$/, '')
    .replaceAll('-', '_');

function networkLine(mode: NetworkMode): string {
  switch (mode) {
    case 'none':
      return '# --network none: loopback only.';
    case 'dhcp':
      return 'network_dhcp';
    case 'cmdline':
      return 'network_cmdline';
  }
}

function onExitLines(onExit: OnExit): string[] {
  switch (onExit) {
    case 'poweroff':
      return ['power_off'];
    case 'reboot':
      return ['reboot_now'];
    case 'shell':
      return ["say 'the command ended: starting a shell (--on-exit shell); the machine powers off when it exits'", 'console_shell', 'power_off'];
  }
}

/**
 * The functions of the script. `@SYS@` is the system hook, `@UDHCPC_SCRIPT@` the hook path, `@HANG@`
 * the hang hook. Shell `${...}` is written `\${...}` here (a template literal).
 */
const FUNCTIONS = `# say TEXT: one line on the console (or stderr when the console cannot be opened).
say() { printf 'initramfs-action: %s\\n' "$*" 2>/dev/null >>"$CONSOLE" || printf 'initramfs-action: %s\\n' "$*" >&2; }
warn() { say "warning: $*"; }

# mnt TYPE DIR [OPTIONS]: mount a kernel filesystem on DIR (made when missing).
mnt() {
	"$BB" mkdir -p "$ROOT$2" 2>/dev/null
	if [ -n "$3" ]; then
		@SYS@ mount -t "$1" -o "$3" "$1" "$ROOT$2"
	else
		@SYS@ mount -t "$1" "$1" "$ROOT$2"
	fi || warn "could not mount $1 on $2; going on"
}

# devlink TARGET NAME: a /dev symlink that devtmpfs does not make itself.
devlink() {
	[ -e "$ROOT$2" ] || [ -L "$ROOT$2" ] || "$BB" ln -s "$1" "$ROOT$2" || warn "could not link $2 to $1; going on"
}

mount_kernel_filesystems() {
	mnt proc /proc
	mnt sysfs /sys
	mnt devtmpfs /dev
	mnt devpts /dev/pts gid=5,mode=620,ptmxmode=666
	mnt tmpfs /dev/shm mode=1777
	mnt tmpfs /run mode=755
	devlink pts/ptmx /dev/ptmx
	devlink /proc/self/fd /dev/fd
	devlink /proc/self/fd/0 /dev/stdin
	devlink /proc/self/fd/1 /dev/stdout
	devlink /proc/self/fd/2 /dev/stderr
}

# read_cmdline: the kernel command line (one line) into $cmdline, once /proc is there. Words are
# compared whole, with globbing off (a word may be a=*).
read_cmdline() {
	cmdline=
	{ read -r cmdline <"$ROOT/proc/cmdline"; } 2>/dev/null
}
# has_word WORD: whether the command line has exactly this word.
has_word() {
	local w
	set -f
	for w in $cmdline; do
		if [ "$w" = "$1" ]; then set +f; return 0; fi
	done
	set +f
	return 1
}
# word_value NAME: the value of the last NAME=VALUE word (the kernel's rule: the last one counts).
word_value() {
	local w found=1 value
	set -f
	for w in $cmdline; do
		case $w in "$1"=*) value=\${w#*=}; found=0 ;; esac
	done
	set +f
	[ $found = 0 ] && printf '%s\\n' "$value"
}

# load_module NAME PATH: insmod PATH, unless /sys/module/NAME exists (built in, or loaded already),
# with the command line's NAME.PARAM=VALUE words as its parameters. The kernel applies those to built-in
# modules only; for a loaded one modprobe reads them from /proc/cmdline, and so does this. Firecracker
# names its devices that way (virtio_mmio.device=4K@0xd0000000:5), which a modular virtio_mmio needs.
load_module() {
	local name=$1 path=$2 w
	[ -e "$ROOT/sys/module/$name" ] && return 0
	set -f
	set --
	for w in $cmdline; do
		case $w in *.*=*) ;; *) continue ;; esac
		# '-' and '_' are one in module names.
		[ "$(printf '%s\\n' "\${w%%.*}" | "$BB" tr - _)" = "$name" ] && set -- "$@" "\${w#*.}"
	done
	set +f
	@SYS@ insmod "$path" "$@" || warn "could not load module $name ($path); going on"
}

# interfaces: the network interfaces but lo.
interfaces() {
	local d
	for d in "$ROOT"/sys/class/net/*; do
		[ -e "$d" ] || continue
		d=\${d##*/}
		[ "$d" = lo ] || printf '%s\\n' "$d"
	done
}
# ipv4_of IF: the interface's first IPv4 address as ADDR/BITS; nothing when it has none.
ipv4_of() {
	set -f
	set -- $(@SYS@ ip -4 -o addr show dev "$1" 2>/dev/null)
	set +f
	while [ $# -gt 1 ]; do
		if [ "$1" = inet ]; then printf '%s\\n' "$2"; return; fi
		shift
	done
}
# mask_bits MASK: a dotted netmask (or a prefix length) as a prefix length; fails for anything else.
mask_bits() {
	local IFS=. bits=0 o partial=
	case $1 in
	*.*) ;;
	*) [ -n "$1" ] && [ "$1" -ge 0 ] 2>/dev/null && [ "$1" -le 32 ] && printf '%s\\n' "$1"; return ;;
	esac
	set -f
	set -- $1
	set +f
	[ $# = 4 ] || return 1
	for o; do
		if [ -n "$partial" ]; then [ "$o" = 0 ] || return 1; continue; fi
		case $o in
		255) bits=$((bits + 8)); continue ;;
		254) bits=$((bits + 7)) ;; 252) bits=$((bits + 6)) ;; 248) bits=$((bits + 5)) ;;
		240) bits=$((bits + 4)) ;; 224) bits=$((bits + 3)) ;; 192) bits=$((bits + 2)) ;;
		128) bits=$((bits + 1)) ;; 0) ;;
		*) return 1 ;;
		esac
		partial=1
	done
	printf '%s\\n' "$bits"
}
# class_bits ADDR: the kernel's default netmask for an ip= without one (the address class).
class_bits() {
	local a=\${1%%.*}
	if [ "$a" -lt 128 ] 2>/dev/null; then echo 8; elif [ "$a" -lt 192 ] 2>/dev/null; then echo 16; else echo 24; fi
}
# write_resolv LINE...: /etc/resolv.conf with these lines. A symlink there (e.g. into /run/systemd,
# which nothing fills here) is replaced by a regular file, not written through.
write_resolv() {
	local f="$ROOT/etc/resolv.conf" l
	"$BB" mkdir -p "$ROOT/etc" 2>/dev/null
	{ for l; do printf '%s\\n' "$l"; done; } >"$f.new" && "$BB" rm -f "$f" && "$BB" mv -f "$f.new" "$f" ||
		warn "could not write /etc/resolv.conf; going on"
}

# dhcp_one IF: DHCP on one interface, bounded (3 discover packets, 2 s apart). The udhcpc hook applies
# the lease and prints the interface's line; the address stays when the lease ends (nothing renews it).
dhcp_one() {
	local have
	if [ ! -e "$ROOT/sys/class/net/$1" ]; then warn "no network interface $1; going on without it"; return; fi
	have=$(ipv4_of "$1")
	if [ -n "$have" ]; then say "network $1 already has $have; left alone"; return; fi
	@SYS@ ip link set "$1" up || warn "could not bring up $1"
	@SYS@ udhcpc -i "$1" -s @UDHCPC_SCRIPT@ -n -q -f -t 3 -T 2 >/dev/null ||
		warn "no DHCP lease on $1 (3 requests, 2 s apart); going on without it"
}
# network_dhcp [IF]: DHCP on IF, or on every interface but lo, all at once.
network_dhcp() {
	local dev pids= p
	for dev in \${1:-$(interfaces)}; do
		dhcp_one "$dev" &
		pids="$pids $!"
	done
	[ -n "$pids" ] || warn "no network interface for DHCP; going on without network"
	for p in $pids; do wait "$p"; done
	kernel_resolv
}
# net_static CLIENT GATEWAY NETMASK DEVICE: a static address (and default route) on DEVICE, or on the
# first interface but lo when DEVICE is empty.
net_static() {
	local dev=$4 bits have
	[ -n "$dev" ] || dev=$(interfaces | { read -r d; printf '%s\\n' "$d"; })
	if [ -z "$dev" ] || [ ! -e "$ROOT/sys/class/net/$dev" ]; then
		warn "ip=$ip: no network interface \${dev:-but lo}; going on without network"
		return
	fi
	have=$(ipv4_of "$dev")
	if [ -n "$have" ]; then say "network $dev already has $have; left alone"; return; fi
	if [ -n "$3" ]; then
		bits=$(mask_bits "$3") || { warn "ip=$ip: netmask $3 is not a netmask; going on without network"; return; }
	else
		bits=$(class_bits "$1")
	fi
	if ! @SYS@ ip link set "$dev" up || ! @SYS@ ip addr add "$1/$bits" dev "$dev"; then
		warn "could not set $1/$bits on $dev; going on without network"
		return
	fi
	if [ -n "$2" ]; then
		@SYS@ ip route add default via "$2" dev "$dev" || warn "could not add the default route via $2 on $dev; going on"
	fi
	say "network $dev $1/$bits\${2:+ via $2}"
}
# network_cmdline: ip= on the kernel command line, as the kernel reads it (nfsroot.rst):
#   no ip=, ip=off, ip=none                 loopback only, no wait
#   ip=dhcp, on, any, both, bootp, rarp     DHCP on every interface but lo
#   ip=CLIENT:SERVER:GATEWAY:NETMASK:HOSTNAME:DEVICE:AUTOCONF[:DNS0[:DNS1]]
#     AUTOCONF one of the DHCP words: DHCP on DEVICE (or every interface); else CLIENT as given (an empty
#     NETMASK means the address class's); an empty CLIENT with an empty AUTOCONF is DHCP, as the kernel
#     does. HOSTNAME and DNS0/DNS1 are applied when given. SERVER (the NFS server) is not used.
network_cmdline() {
	local ip fields client gateway netmask host dev auto dns0 dns1 IFS
	ip=$(word_value ip) || return 0
	fields=$ip
	case $ip in
	*:*) ;;
	'' | off | none) return 0 ;;
	dhcp | on | any | both | bootp | rarp) network_dhcp; return ;;
	*) fields="$ip:" ;; # a lone address is CLIENT
	esac
	IFS=:
	set -f
	set -- $fields
	set +f
	unset IFS
	client=$1 gateway=$3 netmask=$4 host=$5 dev=$6 auto=$7 dns0=$8 dns1=$9
	if [ -n "$host" ]; then @SYS@ hostname "$host" || warn "could not set the hostname $host; going on"; fi
	case $auto in
	dhcp | on | any | both | bootp | rarp) network_dhcp "$dev" ;;
	off | none) [ -z "$client" ] || net_static "$client" "$gateway" "$netmask" "$dev" ;;
	*) if [ -n "$client" ]; then net_static "$client" "$gateway" "$netmask" "$dev"; else network_dhcp "$dev"; fi ;;
	esac
	if [ -n "$dns0$dns1" ]; then
		write_resolv \${dns0:+"nameserver $dns0"} \${dns1:+"nameserver $dns1"}
	else
		kernel_resolv
	fi
}
# kernel_resolv: when the kernel configured the network itself (CONFIG_IP_PNP, ip=) it lists the DNS
# servers it got in /proc/net/pnp; copy them when /etc/resolv.conf names none.
kernel_resolv() {
	local k v found=
	[ -r "$ROOT/proc/net/pnp" ] || return 0
	if [ -r "$ROOT/etc/resolv.conf" ]; then
		while read -r k v; do [ "$k" = nameserver ] && return 0; done <"$ROOT/etc/resolv.conf"
	fi
	set --
	while read -r k v; do
		case $k in nameserver) found=1; set -- "$@" "$k $v" ;; domain | search) set -- "$@" "search $v" ;; esac
	done <"$ROOT/proc/net/pnp"
	[ -z "$found" ] || write_resolv "$@"
}

# power_off, reboot_now: what --on-exit asks for, then the kernel's sysrq if that returned. Never return.
power_off() {
	@SYS@ sync
	@SYS@ poweroff -f
	echo o 2>/dev/null >"$ROOT/proc/sysrq-trigger"
	@HANG@
}
# Firecracker ends the machine when the guest reboots.
reboot_now() {
	@SYS@ sync
	@SYS@ reboot -f
	echo b 2>/dev/null >"$ROOT/proc/sysrq-trigger"
	@HANG@
}`;

/**
 * udhcpc's event hook (`udhcpc -s`): on `bound`/`renew` sets the address ($ip/$mask, or $subnet), the
 * default route (first of $router), /etc/resolv.conf ($dns, $domain/$search: written only when the lease
 * names DNS servers; a symlink there is replaced by a regular file) and prints
 * `initramfs-action: network IF ADDR/BITS[ via GW] (dhcp)` on stderr; `deconfig` flushes the address.
 * It runs with udhcpc's environment, so busybox is called by its absolute path; INITRAMFS_ACTION_BUSYBOX
 * and INITRAMFS_ACTION_ROOT override that path and the root of /etc for tests.
 */
export function udhcpcScript(): string {
  return `#!${BUSYBOX_PATH} sh
# udhcpc event hook, written by initramfs-action: applies a DHCP lease. udhcpc sets $interface, $ip,
# $subnet (dotted), $mask (prefix bits), $broadcast, $router, $dns, $domain, $search; $1 is the event.
BB=\${INITRAMFS_ACTION_BUSYBOX:-${BUSYBOX_PATH}}
ROOT=\${INITRAMFS_ACTION_ROOT:-}

# mask_bits MASK: dotted netmask -> prefix length (for a udhcpc that sets no $mask).
mask_bits() {
	local IFS=. bits=0 o
	set -f
	set -- $1
	set +f
	for o; do
		case $o in
		255) bits=$((bits + 8)) ;; 254) bits=$((bits + 7)) ;; 252) bits=$((bits + 6)) ;; 248) bits=$((bits + 5)) ;;
		240) bits=$((bits + 4)) ;; 224) bits=$((bits + 3)) ;; 192) bits=$((bits + 2)) ;; 128) bits=$((bits + 1)) ;;
		esac
	done
	echo "$bits"
}

case $1 in
deconfig)
	"$BB" ip -4 addr flush dev "$interface"
	"$BB" ip link set "$interface" up
	;;
bound | renew)
	bits=\${mask:-$(mask_bits "\${subnet:-255.255.255.0}")}
	# A renew with the same address keeps it (and the connections on it).
	case " $("$BB" ip -4 -o addr show dev "$interface") " in
	*" inet $ip/$bits "*) ;;
	*)
		"$BB" ip -4 addr flush dev "$interface"
		"$BB" ip addr add "$ip/$bits" \${broadcast:+broadcast "$broadcast"} dev "$interface" || exit 1
		;;
	esac
	gw=
	if [ -n "$router" ]; then
		"$BB" ip route del default dev "$interface" 2>/dev/null
		for r in $router; do
			if "$BB" ip route add default via "$r" dev "$interface"; then gw=$r; break; fi
		done
	fi
	if [ -n "$dns" ]; then
		f="$ROOT/etc/resolv.conf"
		"$BB" mkdir -p "$ROOT/etc"
		{
			if [ -n "\${search:-$domain}" ]; then printf 'search %s\\n' "\${search:-$domain}"; fi
			for d in $dns; do printf 'nameserver %s\\n' "$d"; done
		} >"$f.$interface" && "$BB" rm -f "$f" && "$BB" mv -f "$f.$interface" "$f"
	fi
	printf 'initramfs-action: network %s %s%s (dhcp)\\n' "$interface" "$ip/$bits" "\${gw:+ via $gw}" >&2
	;;
esac
exit 0
`;
}
