export const id = 472;
export const ids = [472];
export const modules = {

/***/ 1327:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  jb: () => (/* binding */ bootArchive)
});

// UNUSED EXPORTS: DEFAULT_BOOT_TIMEOUT_MS, KVM_PROBE_MS, defaultMemoryMiB, hostTscKhz, kvmProbe

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./build/errors.js
var errors = __webpack_require__(9473);
// EXTERNAL MODULE: ./build/quote.js
var quote = __webpack_require__(9692);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./build/initramfs/elf.js
var initramfs_elf = __webpack_require__(9119);
// EXTERNAL MODULE: ./build/initramfs/init-script.js
var init_script = __webpack_require__(4956);
// EXTERNAL MODULE: ./build/initramfs/newc.js
var newc = __webpack_require__(1139);
// EXTERNAL MODULE: ./build/image/zstd-frames.js
var zstd_frames = __webpack_require__(9842);
;// CONCATENATED MODULE: ./build/boot/archive-info.js
// What a boot needs to know about an initramfs before starting QEMU: how big it is once unpacked (the
// guest's memory) and which architecture its programs are for (which QEMU to run). The file is read as
// the kernel's loader reads it (init/initramfs.c): a sequence of plain newc archives, gzip members and
// zstd frames in any mix, with zero padding between them; each compressed piece is decoded as a stream
// and its newc headers parsed on the fly, so the archive is never held in memory whole.






/** The guest's page size, and what one unpacked entry costs besides its data (inode, dentry). */
const PAGE = 4096;
const INODE_BYTES = 1024;
/** Paths (as newc names, no leading "/") whose ELF header tells the archive's architecture. */
const ARCH_CANDIDATES = new Set([init_script/* BUSYBOX_PATH */.VE.slice(1), 'init', 'bin/sh', 'bin/busybox']);
/** Architectures tried against an ELF header, most common first. */
const KNOWN_ARCHES = ['amd64', 'arm64', '386', 'arm', 'ppc64le', 's390x', 'riscv64'];
/** Enough of an ELF file for readElf: its header and program header table (busybox's ends before 1 KiB). */
const ELF_PREFIX = 64 << 10;
const READ_CHUNK = 1 << 20;
const GZIP_MAGIC = [0x1f, 0x8b];
/** The OCI architecture an ELF header is for, or undefined. */
function elfArch(bytes) {
    const elf = (0,initramfs_elf/* readElf */.oU)(bytes);
    if (!elf)
        return undefined;
    return KNOWN_ARCHES.find((a) => (0,initramfs_elf/* elfMatches */.Fz)(elf, (0,initramfs_elf/* elfTargetForPlatform */.BO)(a)));
}
/**
 * Incremental newc parser: counts the bytes it is given and looks for the first candidate program that
 * is an ELF regular file. Symlinks are skipped, never followed; zero bytes between archives are skipped
 * as the kernel does. It stops parsing (but keeps counting) at the first thing that is not newc.
 */
class NewcScanner {
    bytes = 0;
    /** See ArchiveInfo.unpackedBytes. */
    unpackedBytes = 0;
    arch;
    problem;
    #header = Buffer.alloc(newc/* HEADER_SIZE */.Ad);
    #have = 0;
    /** What the next bytes are: a header, a name (namesize bytes + padding), or data + padding to skip. */
    #state = 'header';
    #need = newc/* HEADER_SIZE */.Ad;
    #namesize = 0;
    #filesize = 0;
    #mode = 0;
    #name = Buffer.alloc(0);
    /** The data prefix of a candidate being collected, or undefined when the data is only skipped. */
    #elf;
    #elfHave = 0;
    #elfWant = 0;
    #trailer = false;
    #trailerEnded = false;
    /**
     * Parses `chunk`; returns how many of its bytes were taken: all of them, unless `toTrailer` is set and a
     * TRAILER!!! record ended first (a plain archive in the file ends there; what follows may be compressed).
     */
    push(chunk, toTrailer = false) {
        let i = 0;
        this.#trailerEnded = false;
        while (i < chunk.length && this.problem === undefined && !(toTrailer && this.#trailerEnded)) {
            if (this.#state === 'header') {
                if (this.#have === 0 && chunk[i] === 0) {
                    i++; // padding between archives
                    continue;
                }
                const n = Math.min(newc/* HEADER_SIZE */.Ad - this.#have, chunk.length - i);
                this.#header.set(chunk.subarray(i, i + n), this.#have);
                this.#have += n;
                i += n;
                if (this.#have === newc/* HEADER_SIZE */.Ad)
                    this.#onHeader();
            }
            else if (this.#state === 'name') {
                const n = Math.min(this.#need - this.#have, chunk.length - i);
                if (this.#have < this.#namesize) {
                    const part = chunk.subarray(i, i + Math.min(n, this.#namesize - this.#have));
                    this.#name = Buffer.concat([this.#name, part]);
                }
                this.#have += n;
                i += n;
                if (this.#have === this.#need)
                    this.#onName();
            }
            else {
                const n = Math.min(this.#need - this.#have, chunk.length - i);
                if (this.#elf && this.#elfHave < this.#elfWant) {
                    const part = chunk.subarray(i, i + Math.min(n, this.#elfWant - this.#elfHave));
                    this.#elf.push(Buffer.from(part));
                    this.#elfHave += part.length;
                    if (this.#elfHave === this.#elfWant) {
                        this.arch ??= elfArch(Buffer.concat(this.#elf));
                        this.#elf = undefined;
                    }
                }
                this.#have += n;
                i += n;
                if (this.#have === this.#need)
                    this.#expectHeader();
            }
        }
        this.bytes += i;
        return i;
    }
    /** Whether the last push() stopped right after a TRAILER!!! record. */
    get trailerEnded() {
        return this.#trailerEnded;
    }
    /** Whether the input so far ended between records (not inside one). */
    get atBoundary() {
        return this.#state === 'header' && this.#have === 0;
    }
    #expectHeader() {
        this.#trailerEnded = this.#trailer;
        this.#state = 'header';
        this.#have = 0;
        this.#need = newc/* HEADER_SIZE */.Ad;
    }
    #onHeader() {
        const h = this.#header;
        const magic = h.toString('latin1', 0, 6);
        // 070702 is newc with checksums, which the kernel also reads.
        if (magic !== newc/* NEWC_MAGIC */.qF && magic !== '070702') {
            this.problem = `not a newc archive (magic ${JSON.stringify(magic)})`;
            return;
        }
        const field = (f) => {
            const text = h.toString('latin1', newc/* OFFSET */.e$[f], newc/* OFFSET */.e$[f] + 8);
            return /^[0-9a-fA-F]{8}$/.test(text) ? Number.parseInt(text, 16) : Number.NaN;
        };
        this.#namesize = field('namesize');
        this.#filesize = field('filesize');
        this.#mode = field('mode');
        if (!(this.#namesize >= 1) || !(this.#filesize >= 0) || !(this.#mode >= 0)) {
            this.problem = 'malformed newc header';
            return;
        }
        this.#state = 'name';
        this.#have = 0;
        this.#need = (0,newc/* headerAndNameSize */.vQ)(this.#namesize - 1) - newc/* HEADER_SIZE */.Ad;
        this.#name = Buffer.alloc(0);
    }
    #onName() {
        let name = this.#name.toString('latin1', 0, this.#namesize - 1);
        if (name.startsWith('./'))
            name = name.slice(2);
        this.#trailer = name === newc/* TRAILER_NAME */.S1;
        const regular = (this.#mode & newc/* S_IFMT */.NW) === newc/* TYPE_BITS */.ci.file;
        this.#elf = undefined;
        if (this.arch === undefined && regular && this.#filesize > 0 && ARCH_CANDIDATES.has(name)) {
            this.#elf = [];
            this.#elfHave = 0;
            this.#elfWant = Math.min(this.#filesize, ELF_PREFIX);
        }
        if (!this.#trailer)
            this.unpackedBytes += Math.ceil(this.#filesize / PAGE) * PAGE + INODE_BYTES;
        this.#state = 'data';
        this.#have = 0;
        this.#need = this.#filesize + (0,newc/* pad4 */.ib)(this.#filesize);
        if (this.#need === 0)
            this.#expectHeader();
    }
}
/** Sequential reads from a file with a movable position (a compressed piece ends where its decoder says). */
class Cursor {
    pos = 0;
    #buf = Buffer.alloc(0);
    #bufAt = 0;
    #fh;
    size;
    constructor(fh, size) {
        this.#fh = fh;
        this.size = size;
    }
    /** Up to `n` bytes at the position (fewer only at the end of the file), without moving it. */
    async peek(n) {
        const end = Math.min(this.pos + n, this.size);
        if (this.pos < this.#bufAt || end > this.#bufAt + this.#buf.length) {
            const want = Math.max(end - this.pos, Math.min(READ_CHUNK, this.size - this.pos));
            const buf = Buffer.alloc(want);
            const { bytesRead } = await this.#fh.read(buf, 0, want, this.pos);
            this.#buf = buf.subarray(0, bytesRead);
            this.#bufAt = this.pos;
        }
        return this.#buf.subarray(this.pos - this.#bufAt, end - this.#bufAt);
    }
}
/** Writes `chunk` and waits until the decoder has taken it in. */
const feed = (d, chunk) => new Promise((resolve, reject) => {
    d.write(chunk, (err) => (err ? reject(err) : resolve()));
});
/** Resolves when every decoded byte has been delivered (the decoder's 'end'), rejects on its error. */
const ended = (d) => new Promise((resolve, reject) => {
    if (d.readableEnded)
        resolve();
    d.once('end', resolve);
    d.once('error', reject);
});
/**
 * The gzip member at the cursor, decoded into `scan`; leaves the cursor after the member. The deflate
 * data is fed to a raw inflater whose bytesWritten says how much it consumed: the member ends where it
 * stopped taking input, whatever follows (another member, a zstd frame, zero padding, the file's end).
 */
async function gzipMember(c, scan) {
    const head = await c.peek(10);
    if (head.length < 10 || head[2] !== 8)
        throw new Error('truncated or unknown gzip header');
    const flags = head[3];
    let at = 10;
    const more = async (n) => {
        c.pos += at;
        const b = await c.peek(n);
        c.pos -= at;
        return b;
    };
    if (flags & 0x04) {
        const x = await more(2); // FEXTRA
        if (x.length < 2)
            throw new Error('truncated gzip header');
        at += 2 + x.readUInt16LE(0);
    }
    for (const bit of [0x08, 0x10]) {
        // FNAME, FCOMMENT: NUL-terminated.
        if (!(flags & bit))
            continue;
        for (;;) {
            const b = await more(4096);
            if (b.length === 0)
                throw new Error('truncated gzip header');
            const nul = b.indexOf(0);
            at += nul === -1 ? b.length : nul + 1;
            if (nul !== -1)
                break;
        }
    }
    if (flags & 0x02)
        at += 2; // FHCRC
    c.pos += at;
    const inflater = (0,external_node_zlib_.createInflateRaw)({ chunkSize: READ_CHUNK });
    inflater.on('data', (b) => scan.push(b));
    const done = ended(inflater);
    done.catch(() => { });
    try {
        for (;;) {
            const chunk = await c.peek(READ_CHUNK);
            if (chunk.length === 0) {
                inflater.end();
                break;
            }
            const before = inflater.bytesWritten;
            await feed(inflater, chunk);
            const used = inflater.bytesWritten - before;
            c.pos += used;
            if (used < chunk.length)
                break; // the deflate stream ended inside this chunk
        }
        await done;
    }
    finally {
        inflater.destroy();
    }
    c.pos += 8; // CRC32 and ISIZE
    if (c.pos > c.size)
        throw new Error('truncated gzip member');
}
/**
 * The zstd frame at the cursor, decoded into `scan`; leaves the cursor after the frame. Its extent comes
 * from the frame's own headers (RFC 8878 §3.1.1): Node's decoder may go on into a following frame.
 */
async function zstdFrame(c, scan) {
    const decoder = (0,external_node_zlib_.createZstdDecompress)({ chunkSize: READ_CHUNK });
    decoder.on('data', (b) => scan.push(b));
    const done = ended(decoder);
    done.catch(() => { });
    const take = async (n) => {
        const b = await c.peek(n);
        if (b.length < n)
            throw new Error('truncated zstd frame');
        c.pos += n;
        await feed(decoder, Buffer.from(b));
        return b;
    };
    try {
        await take(4); // magic
        const fhd = (await take(1))[0];
        const single = (fhd & 0x20) !== 0;
        const fcsFlag = fhd >> 6;
        const fcsSize = fcsFlag === 0 ? (single ? 1 : 0) : [0, 2, 4, 8][fcsFlag];
        const rest = (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3] + fcsSize;
        if (rest > 0)
            await take(rest);
        for (;;) {
            const bh = await take(3);
            const header = bh[0] | (bh[1] << 8) | (bh[2] << 16);
            const type = (header >> 1) & 3;
            const size = header >>> 3;
            if (type === 3)
                throw new Error('zstd block of the reserved type');
            let body = type === 1 ? 1 : size; // RLE blocks store one byte
            while (body > 0) {
                const n = Math.min(body, READ_CHUNK);
                await take(n);
                body -= n;
            }
            if (header & 1)
                break; // last block
        }
        if (fhd & 0x04)
            await take(4); // content checksum
        decoder.end();
        await done;
    }
    finally {
        decoder.destroy();
    }
}
/** Reads `path` as the kernel would and returns its unpacked size and architecture. Throws only if unreadable. */
async function readArchiveInfo(path) {
    const fh = await (0,promises_.open)(path, 'r');
    const scan = new NewcScanner();
    let problem;
    try {
        const c = new Cursor(fh, (await fh.stat()).size);
        while (c.pos < c.size && problem === undefined) {
            const head = await c.peek(4);
            if (head[0] === 0) {
                c.pos++; // padding between pieces
            }
            else if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
                await gzipMember(c, scan).catch((e) => (problem = `gzip data at byte ${c.pos}: ${e.message}`));
            }
            else if (head.length === 4 && head.readUInt32LE(0) === zstd_frames/* ZSTD_MAGIC */.Kh) {
                await zstdFrame(c, scan).catch((e) => (problem = `zstd data at byte ${c.pos}: ${e.message}`));
            }
            else if (head.toString('latin1', 0, 4) === '0707') {
                // Plain newc: parsed up to its trailer, after which anything (padding, a compressed piece) may follow.
                for (;;) {
                    const chunk = await c.peek(READ_CHUNK);
                    if (chunk.length === 0)
                        break;
                    const used = scan.push(chunk, true);
                    c.pos += used;
                    if (scan.trailerEnded || scan.problem !== undefined)
                        break;
                }
            }
            else {
                problem = `unknown data at byte ${c.pos} (neither newc, gzip nor zstd)`;
            }
        }
    }
    finally {
        await fh.close();
    }
    if (problem === undefined && !scan.atBoundary)
        problem = 'the archive ends inside a newc record';
    return { uncompressedBytes: scan.bytes, unpackedBytes: scan.unpackedBytes, arch: scan.arch, problem: problem ?? scan.problem };
}

;// CONCATENATED MODULE: ./build/boot/console.js
// What a boot's serial console says so far: the expected line, a failure that ends the boot at once, or
// nothing decisive yet. Pure (text in, verdict out) so each kernel message is tested without a kernel.
// The verdict comes from the console, never from QEMU's exit status: with panic=-1 and -no-reboot a
// panicking kernel makes QEMU exit 0. The failure texts are the kernel's own (init/main.c, init/initramfs.c,
// kernel/panic.c), matched wherever a line has them, since a timestamp or a log prefix may come first.

/** The line the generated /init prints when its command exits with status 0: the default expectation. */
const DEFAULT_EXPECT = `${init_script/* STATUS_PREFIX */.U5}0`;
/** Each failure class: the kernel text that marks it, and how the reason line begins. Most specific first. */
const FAILURES = [
    // "Initramfs unpacking failed: junk at the end of compressed archive", "...: broken padding", ...
    { pattern: /Initramfs unpacking failed/, label: 'the kernel could not unpack the archive' },
    { pattern: /junk (?:at the end of|within) compressed archive/, label: 'the kernel could not unpack the archive' },
    { pattern: /Failed to execute \/init\b/, label: 'the kernel could not run /init' },
    // The panic that follows when neither /init nor any fallback init could run.
    { pattern: /Kernel panic - not syncing: No working init found/, label: 'the kernel found no init to run' },
    { pattern: /Kernel panic - not syncing/, label: 'kernel panic' },
];
// CSI (colours, cursor moves), OSC (titles) and any other ESC pair: a workload's terminal codes must not
// hide a kernel message from the patterns nor reach a log or an Actions summary.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?/g;
// Other C0 controls and DEL, except tab (\r is handled as a line end).
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
// The kernel's printk timestamp, "[    1.234567] ".
const TIMESTAMP = /^\[\s*\d+\.\d+\]\s?/;
// The kernel echoes its command line; a marker passed through --append must not count as printed.
const COMMAND_LINE_ECHO = /\bcommand line:/i;
/** Console text as lines, escape sequences and controls removed; a line ends at \n, \r\n or \r. */
function consoleLines(text) {
    return text
        .replace(ESCAPES, '')
        .split(/\r\n|\r|\n/)
        .map((l) => l.replace(CONTROLS, ''));
}
/** The last `n` non-empty lines of console text, trimmed at the end. */
function consoleTail(text, n = 20) {
    return consoleLines(text)
        .map((l) => l.trimEnd())
        .filter((l) => l.trim() !== '')
        .slice(-n);
}
/**
 * The verdict on console `text` (everything seen so far, or the part from a line start onwards) when
 * `expect` is the text that means success. The first decisive line wins. Failures are judged on complete
 * lines only, so a message split across chunks is reported whole; the expected text counts as soon as it
 * appears. When `expect` is the generated init's status line (STATUS_PREFIX + N), the same line with
 * another status is a failure: the command has finished and the expected line can no longer come.
 */
function classifyConsole(text, expect) {
    const lines = consoleLines(text);
    const last = lines.length - 1;
    const wanted = expect.startsWith(init_script/* STATUS_PREFIX */.U5) ? expect.slice(init_script/* STATUS_PREFIX */.U5.length) : '';
    const expectStatus = /^\d+$/.test(wanted) ? String(Number(wanted)) : undefined;
    for (let i = 0; i <= last; i++) {
        const line = lines[i].replace(TIMESTAMP, '');
        const complete = i < last;
        // The status the generated init reported on this line, once the line is complete ("status 1" is a
        // prefix of "status 12").
        const at = expectStatus === undefined ? -1 : line.indexOf(init_script/* STATUS_PREFIX */.U5);
        const status = at === -1 || !complete ? undefined : /^\d+/.exec(line.slice(at + init_script/* STATUS_PREFIX */.U5.length))?.[0];
        const statusN = status === undefined ? undefined : String(Number(status));
        if (expectStatus !== undefined) {
            if (statusN !== undefined && statusN === expectStatus)
                return { kind: 'expected' };
        }
        else if (expect !== '' && line.includes(expect) && !COMMAND_LINE_ECHO.test(line)) {
            return { kind: 'expected' };
        }
        if (!complete)
            break;
        for (const f of FAILURES) {
            const m = f.pattern.exec(line);
            if (m)
                return { kind: 'failure', reason: `${f.label}: ${line.slice(m.index).trimEnd()}`, line: line.trimEnd() };
        }
        if (status !== undefined) {
            return { kind: 'failure', reason: `the command exited with status ${status}`, line: line.trimEnd() };
        }
    }
    return { kind: 'pending' };
}

;// CONCATENATED MODULE: ./build/boot/qemu.js
// The QEMU command line that boots a kernel with an initramfs on a serial console: pure, so every word
// of it is tested without starting QEMU. amd64 runs on `microvm` (no PCI, no firmware: the fastest boot
// QEMU has), arm64 on `virt`. The kernel command line starts with what the boot needs to be judged at
// all (a console, and panic=-1 so a panic ends QEMU instead of hanging) and ends with the user's words,
// so theirs win where the kernel takes the last occurrence.
/** The QEMU binary for an architecture, and the Debian/Ubuntu package that installs it. */
const QEMU_BINARY = {
    amd64: { command: 'qemu-system-x86_64', package: 'qemu-system-x86' },
    arm64: { command: 'qemu-system-aarch64', package: 'qemu-system-arm' },
};
/** The serial console each machine has: the 8250 UART on microvm, the PL011 on virt. */
const CONSOLE_DEVICE = { amd64: 'ttyS0', arm64: 'ttyAMA0' };
/** The kernel command line: console, panic=-1, tsc_early_khz (amd64, when known), then the user's words. */
function kernelCommandLine(o) {
    const words = [`console=${CONSOLE_DEVICE[o.arch]}`, 'panic=-1'];
    if (o.arch === 'amd64' && o.tscKhz !== undefined && o.tscKhz > 0)
        words.push(`tsc_early_khz=${Math.round(o.tscKhz)}`);
    const user = o.append?.trim();
    if (user)
        words.push(user);
    return words.join(' ');
}
/** The command and arguments that boot `o.initrd` with `o.kernel`, the console on QEMU's stdout. */
function qemuCommand(o) {
    const machine = o.arch === 'amd64'
        ? ['-M', 'microvm']
        : // -cpu host only exists under KVM; TCG's `max` has every feature a distro arm64 kernel may use.
            ['-M', 'virt', '-cpu', o.accel === 'kvm' ? 'host' : 'max'];
    const net = o.network
        ? ['-netdev', 'user,id=n0', '-device', `${o.arch === 'amd64' ? 'virtio-net-device' : 'virtio-net-pci'},netdev=n0`]
        : [];
    return {
        command: QEMU_BINARY[o.arch].command,
        args: [
            ...machine,
            '-accel', o.accel,
            // -nodefaults drops the default devices (and the monitor on stdio); the serial console is then named.
            '-nodefaults', '-nographic', '-no-reboot', '-serial', 'stdio',
            '-m', String(o.memoryMiB), '-smp', '1',
            '-kernel', o.kernel, '-initrd', o.initrd,
            '-append', kernelCommandLine(o),
            ...net,
        ],
    };
}

;// CONCATENATED MODULE: ./build/boot/boot.js
// Proves that an initramfs boots: starts QEMU on it with a kernel, reads the serial console, and ends at
// once when the expected line appears or the console shows a failure the boot cannot recover from (a
// panic, an /init the kernel cannot run, an archive it cannot unpack), else at the timeout. Only the
// console decides: with panic=-1 and -no-reboot a panic makes QEMU exit 0. Whatever ends the boot, QEMU
// is killed, including when this process exits. Boot failures are a result (ok: false), not an
// exception; only bad inputs and a missing QEMU throw.








const DEFAULT_BOOT_TIMEOUT_MS = 120_000;
/**
 * How long a KVM guest may stay silent before `auto` gives up on KVM. A KVM boot prints its first
 * kernel line within a fraction of a second; a /dev/kvm on which the guest hangs prints nothing at all.
 */
const KVM_PROBE_MS = 8_000;
/**
 * What `auto` probes: the KVM device and how long a KVM guest may stay silent. Tests point them at a
 * stand-in (a file and a QEMU wrapper on PATH), since the hang they guard against cannot be made on demand.
 */
const kvmProbe = { device: '/dev/kvm', ms: KVM_PROBE_MS };
const TAIL_LINES = 20;
/** Console text kept for the tail; a chatty workload must not grow memory for the whole boot. */
const RECENT_CHARS = 64 << 10;
/**
 * Guest memory for an archive whose files take `unpackedBytes` once unpacked and whose file is
 * `archiveBytes`. The kernel unpacks into a tmpfs capped at half the memory, so the files need twice
 * their size; the archive itself is in memory while it is unpacked; and the rest is room to run. Measured:
 * the 244 MB benchmark image (12,680 entries) fails to unpack ("write error") in 640 MiB.
 */
function defaultMemoryMiB(unpackedBytes, archiveBytes = 0) {
    const mib = (2 * unpackedBytes + archiveBytes) / (1 << 20) + 128;
    return Math.max(256, Math.ceil(mib / 64) * 64);
}
/** The host's TSC frequency in kHz from /proc/cpuinfo's first "cpu MHz" (x86 only), or undefined. */
function hostTscKhz(cpuinfo) {
    try {
        const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo ?? (0,external_node_fs_.readFileSync)('/proc/cpuinfo', 'latin1'));
        return m?.[1] ? Math.round(Number(m[1]) * 1000) : undefined;
    }
    catch {
        return undefined;
    }
}
// Every QEMU this process started that is still running: killed synchronously when the process exits,
// so neither an error nor a Ctrl-C in the CLI leaves a guest spinning a core.
const live = new Set();
let exitHook = false;
const killLive = () => {
    for (const child of live)
        child.kill('SIGKILL');
    live.clear();
};
/** `30 s`, `2.5 s`. */
const secondsText = (ms) => `${Number.isInteger(ms / 1000) ? ms / 1000 : (ms / 1000).toFixed(1)} s`;
const round2 = (s) => Math.round(s * 100) / 100;
async function checkInput(path, what) {
    try {
        await (0,promises_.access)(path, external_node_fs_.constants.R_OK);
    }
    catch (e) {
        const code = e.code;
        throw new errors/* InitramfsError */.sp('USAGE', `${what} ${(0,quote/* quote */.hD)(path)} cannot be read (${code === 'ENOENT' ? 'no such file' : code})`);
    }
}
/** Why KVM cannot be used for `arch` here, or undefined when /dev/kvm opens read-write for a same-arch guest. */
async function kvmUnavailable(arch) {
    const host = process.arch === 'x64' ? 'amd64' : process.arch;
    if (host !== arch)
        return `KVM cannot run an ${arch} guest on this ${host} host`;
    try {
        await (await (0,promises_.open)(kvmProbe.device, 'r+')).close();
        return undefined;
    }
    catch (e) {
        return `KVM is not available (${kvmProbe.device}: ${e.code ?? e.message})`;
    }
}
/** One QEMU run: resolves with how it ended; rejects for a missing QEMU or an abort. */
function runQemu(o) {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        const child = (0,external_node_child_process_.spawn)(o.command, o.args, { stdio: ['pipe', 'pipe', 'pipe'] });
        live.add(child);
        if (!exitHook) {
            exitHook = true;
            process.on('exit', killLive);
        }
        // Per stream, the text from the start of its unfinished line: each chunk is judged with its line's
        // beginning, and QEMU's own messages on stderr never split a console line.
        const scan = { stdout: '', stderr: '' };
        let recent = '';
        let lastStderr = '';
        let spoke = false;
        let settled = false;
        const stop = () => {
            settled = true;
            clearTimeout(timer);
            clearTimeout(probe);
            o.signal?.removeEventListener('abort', onAbort);
            child.kill('SIGKILL');
            live.delete(child);
        };
        const done = (reason, verdict, exitDetail) => {
            if (settled)
                return;
            const seconds = round2((performance.now() - started) / 1000);
            stop();
            resolve({ kind: 'done', reason, verdict, seconds, tail: consoleTail(recent, TAIL_LINES), exitDetail });
        };
        const decide = (verdict) => {
            if (verdict.kind === 'expected')
                done('expected', verdict);
            else if (verdict.kind === 'failure')
                done('failure', verdict);
            return verdict.kind !== 'pending';
        };
        const onData = (stream, chunk) => {
            if (settled)
                return;
            if (stream === 'stdout')
                spoke = true;
            o.onConsole?.(chunk);
            recent += chunk;
            if (recent.length > 2 * RECENT_CHARS)
                recent = recent.slice(-RECENT_CHARS);
            let text = scan[stream] + chunk;
            if (stream === 'stderr')
                lastStderr = consoleTail(text, 1)[0] ?? lastStderr;
            if (decide(classifyConsole(text, o.expect)))
                return;
            const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
            text = cut === -1 ? text : text.slice(cut + 1);
            // A line without end (a progress bar without \r) is judged on its last part only.
            scan[stream] = text.length > RECENT_CHARS ? text.slice(-4096) : text;
        };
        const onAbort = () => {
            if (settled)
                return;
            stop();
            reject(o.signal?.reason ?? new Error('aborted'));
        };
        const timer = setTimeout(() => done('timeout'), o.timeoutMs);
        const probe = setTimeout(() => {
            if (!spoke && !settled && o.probeMs !== undefined) {
                stop();
                resolve({ kind: 'silent' });
            }
        }, o.probeMs ?? 2 ** 31 - 1);
        // setEncoding decodes across chunk boundaries (a UTF-8 sequence may be split between reads).
        child.stdout.setEncoding('utf8').on('data', (c) => onData('stdout', c));
        child.stderr.setEncoding('utf8').on('data', (c) => onData('stderr', c));
        child.stdin.on('error', () => { });
        child.on('error', (err) => {
            if (settled)
                return;
            stop();
            const pkg = Object.values(QEMU_BINARY).find((b) => b.command === o.command)?.package;
            reject(err.code === 'ENOENT'
                ? new errors/* InitramfsError */.sp('BOOT', `${o.command} is not installed (not found on PATH); install it: apt-get install ${pkg ?? 'qemu-system'} (Debian/Ubuntu)`)
                : new errors/* InitramfsError */.sp('BOOT', `cannot run ${o.command}: ${err.message}`, { cause: err }));
        });
        // 'close' (not 'exit'): every byte QEMU wrote before exiting has been read by then.
        child.on('close', (code, sig) => {
            if (settled)
                return;
            // The last lines may lack their line end: judge them as complete now that nothing can follow.
            for (const stream of ['stdout', 'stderr']) {
                if (scan[stream] !== '' && decide(classifyConsole(`${scan[stream]}\n`, o.expect)))
                    return;
            }
            if (o.probeMs !== undefined && !spoke) {
                stop();
                resolve({ kind: 'silent', detail: lastStderr || undefined });
                return;
            }
            const status = sig ? `signal ${sig}` : code !== 0 ? `status ${code}` : '';
            done('exit', undefined, status && (lastStderr ? `${status}: ${lastStderr}` : status));
        });
        if (o.signal?.aborted)
            onAbort();
        else
            o.signal?.addEventListener('abort', onAbort, { once: true });
    });
}
/**
 * Boots `o.archive` with `o.kernel` under QEMU and reports whether the expected line appeared. Throws
 * InitramfsError 'USAGE' for unreadable inputs or bad option values, 'BOOT' when QEMU is not installed
 * or the archive's architecture cannot be booted, and the signal's reason when aborted.
 */
async function bootArchive(o, reporter) {
    await checkInput(o.archive, 'archive');
    await checkInput(o.kernel, 'kernel');
    const expect = o.expect ?? DEFAULT_EXPECT;
    if (expect.trim() === '')
        throw new errors/* InitramfsError */.sp('USAGE', 'the expected text is empty: give the text a successful boot prints');
    const timeoutMs = o.timeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs))
        throw new errors/* InitramfsError */.sp('USAGE', `timeout ${timeoutMs} ms: expected a positive duration`);
    if (o.memoryMiB !== undefined && !(Number.isInteger(o.memoryMiB) && o.memoryMiB >= 16)) {
        throw new errors/* InitramfsError */.sp('USAGE', `memory ${o.memoryMiB} MiB: expected a whole number of MiB, at least 16`);
    }
    o.signal?.throwIfAborted();
    let info;
    if (o.arch === undefined || o.memoryMiB === undefined) {
        info = await readArchiveInfo(o.archive);
        if (info.problem)
            reporter?.warn(`archive ${(0,quote/* quote */.hD)(o.archive)} could not be read to its end (${info.problem}); booting it anyway`);
    }
    let arch;
    if (o.arch !== undefined) {
        arch = o.arch;
        if (info?.arch !== undefined && info.arch !== arch) {
            reporter?.warn(`archive ${(0,quote/* quote */.hD)(o.archive)} holds ${info.arch} programs; booting it as ${arch}, as asked`);
        }
    }
    else if (info?.arch === undefined) {
        arch = 'amd64';
        reporter?.warn(`cannot tell the architecture of ${(0,quote/* quote */.hD)(o.archive)} (no ELF program at /.initramfs-action/busybox, /init, ` +
            `/bin/sh or /bin/busybox); booting it as amd64 (give the architecture to choose)`);
    }
    else if (info.arch === 'amd64' || info.arch === 'arm64') {
        arch = info.arch;
    }
    else {
        throw new errors/* InitramfsError */.sp('BOOT', `archive ${(0,quote/* quote */.hD)(o.archive)} is for ${info.arch}: only amd64 and arm64 archives can be booted`);
    }
    const memoryMiB = o.memoryMiB ?? defaultMemoryMiB(info?.unpackedBytes ?? 0, (await (0,promises_.stat)(o.archive)).size);
    const tscKhz = arch === 'amd64' ? hostTscKhz() : undefined;
    const run = (accel, probeMs) => runQemu({
        ...qemuCommand({ arch, accel, kernel: o.kernel, initrd: o.archive, memoryMiB, append: o.append, network: o.network, tscKhz }),
        expect,
        timeoutMs,
        probeMs,
        signal: o.signal,
        onConsole: o.onConsole,
    });
    let accel;
    let outcome;
    const mode = o.accel ?? 'auto';
    if (mode === 'auto') {
        const why = await kvmUnavailable(arch);
        if (why === undefined) {
            accel = 'kvm';
            const probeMs = kvmProbe.ms;
            outcome = await run('kvm', probeMs);
            if (outcome.kind === 'silent') {
                reporter?.info(outcome.detail
                    ? `QEMU could not boot with KVM (${outcome.detail}); booting with TCG instead`
                    : `a KVM guest printed nothing within ${secondsText(probeMs)} (KVM does not work here); booting with TCG instead`);
                accel = 'tcg';
                outcome = await run('tcg');
            }
        }
        else {
            reporter?.info(`${why}; booting with TCG (emulation, slower)`);
            accel = 'tcg';
            outcome = await run('tcg');
        }
    }
    else {
        accel = mode;
        outcome = await run(mode);
    }
    if (outcome.kind === 'silent')
        throw new Error('internal: a probe outcome outside a probe');
    return { ...result(outcome, expect, timeoutMs, accel), arch };
}
function result(r, expect, timeoutMs, accel) {
    const shown = JSON.stringify(expect);
    const base = { seconds: r.seconds, accel, reason: r.reason, tail: r.tail };
    switch (r.reason) {
        case 'expected':
            return { ...base, ok: true, message: `booted in ${r.seconds.toFixed(1)} s (${accel})` };
        case 'failure':
            return { ...base, ok: false, message: r.verdict?.kind === 'failure' ? r.verdict.reason : 'the boot failed' };
        case 'timeout':
            return { ...base, ok: false, message: `no ${shown} on the console after ${secondsText(timeoutMs)}` };
        case 'exit':
            return { ...base, ok: false, message: `QEMU exited before ${shown} appeared${r.exitDetail ? ` (${r.exitDetail})` : ''}` };
    }
}


/***/ }),

/***/ 5708:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EO: () => (/* binding */ resolveKernel)
/* harmony export */ });
/* unused harmony exports KERNEL_FORMS, plainKernelFormat, kernelCompression, kernelFormat, checkKernelFile, compareVersions, KERNEL_PLACES */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8522);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9473);
/* harmony import */ var _log_js__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__(6650);
/* harmony import */ var _quote_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9692);
/* harmony import */ var _scratch_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(5608);
/* harmony import */ var _image_source_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9128);
/* harmony import */ var _image_types_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(8107);
/* harmony import */ var _rootfs_image_tree_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(8320);
/* harmony import */ var _rootfs_read_node_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(2333);
/* harmony import */ var _rootfs_tree_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(8244);
// The kernel a boot test runs: a file the user has (`--kernel /boot/vmlinuz-$(uname -r)`) or an image that
// holds one (`--kernel-image REF`: LinuxKit's kernel images keep it at /kernel; distro images at
// /boot/vmlinuz-*). Either is checked here, from its header, to be a kernel QEMU can load for the target
// architecture: a text file or an amd64 kernel on an arm64 boot otherwise fails inside QEMU (or hangs
// silently until the timeout), far from its cause. A kernel taken from an image is written once into the
// cache, under the manifest digest, so the next boot with the same image reads no layer again.














const KERNEL_FORMS = 'a bzImage for amd64 such as /boot/vmlinuz-$(uname -r), an arm64 Image (plain, gzip or zstd), or a kernel image such as a LinuxKit kernel via --kernel-image REF';
/** How many first bytes decide the format (the x86 setup header ends well before this). */
const HEAD = 0x240;
/** Enough of a compressed Image to inflate its first HEAD bytes. */
const COMPRESSED_HEAD = 64 << 10;
const BZIMAGE_MAGIC = Buffer.from('HdrS', 'latin1');
const BZIMAGE_OFFSET = 0x202;
const ARM64_MAGIC = Buffer.from('ARM\x64', 'latin1');
const ARM64_OFFSET = 0x38;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
/** The format of an uncompressed kernel from its first bytes; undefined when it is neither. Pure. */
function plainKernelFormat(head) {
    const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
    if (b.length >= BZIMAGE_OFFSET + 4 && b.subarray(BZIMAGE_OFFSET, BZIMAGE_OFFSET + 4).equals(BZIMAGE_MAGIC))
        return 'bzImage';
    if (b.length >= ARM64_OFFSET + 4 && b.subarray(ARM64_OFFSET, ARM64_OFFSET + 4).equals(ARM64_MAGIC))
        return 'arm64 Image';
    return undefined;
}
/** The compression a kernel file starts with, if any. Pure. */
function kernelCompression(head) {
    const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
    if (b.length >= 2 && b.subarray(0, 2).equals(GZIP_MAGIC))
        return 'gzip';
    if (b.length >= 4 && b.subarray(0, 4).equals(ZSTD_MAGIC))
        return 'zstd';
    return undefined;
}
/**
 * The first HEAD bytes `prefix` inflates to (fewer when it ends or is corrupt first). A compressed kernel
 * is only trusted once its inside is seen to be an Image: a gzip'd bzImage or tarball also starts 1f 8b.
 */
function inflateHead(prefix, compression) {
    return new Promise((done) => {
        const z = compression === 'gzip' ? (0,node_zlib__WEBPACK_IMPORTED_MODULE_4__.createGunzip)() : (0,node_zlib__WEBPACK_IMPORTED_MODULE_4__.createZstdDecompress)();
        const chunks = [];
        let got = 0;
        let finished = false;
        const finish = () => {
            if (finished)
                return;
            finished = true;
            z.destroy();
            done(Buffer.concat(chunks).subarray(0, HEAD));
        };
        z.on('data', (c) => {
            chunks.push(c);
            got += c.length;
            if (got >= HEAD)
                finish();
        });
        // The prefix is cut mid-stream: "unexpected end of file" is the normal end here.
        z.on('error', finish);
        z.on('end', finish);
        z.end(prefix);
    });
}
/** What a kernel's first bytes say it is (compressed forms inflated); a reason when nothing fits. */
async function kernelFormat(prefix) {
    const plain = plainKernelFormat(prefix);
    if (plain !== undefined)
        return plain;
    const compression = kernelCompression(prefix);
    if (compression === undefined) {
        return { unknown: prefix.length < HEAD ? `only ${prefix.length} bytes long` : 'neither a bzImage ("HdrS" at 0x202) nor an arm64 Image ("ARM\\x64" at 0x38), nor gzip or zstd' };
    }
    const inside = plainKernelFormat(await inflateHead(prefix, compression));
    if (inside === 'arm64 Image')
        return compression === 'gzip' ? 'gzip arm64 Image' : 'zstd arm64 Image';
    if (inside === 'bzImage')
        return { unknown: `a ${compression}-compressed bzImage (QEMU loads a bzImage only as it is, uncompressed)` };
    return { unknown: `${compression}-compressed, but not an arm64 Image inside` };
}
const archOfFormat = (f) => (f === 'bzImage' ? 'x86' : 'arm64');
const ARCH_OF_PLATFORM = { amd64: 'x86', '386': 'x86', arm64: 'arm64' };
const ARCH_NAMES = { x86: 'an x86 kernel (bzImage)', arm64: 'an arm64 kernel' };
const WANTED = {
    x86: 'a bzImage for x86 (such as /boot/vmlinuz-* of an amd64 Debian or Ubuntu)',
    arm64: 'an arm64 Image (plain, gzip or zstd; such as /boot/vmlinuz-* of an arm64 Debian)',
};
/**
 * Why `format` cannot boot `platform`, or undefined when it can. An architecture without a kernel check
 * here (riscv64, s390x) is taken on trust: QEMU is the check there.
 */
function archMismatch(format, platform) {
    const want = ARCH_OF_PLATFORM[platform.architecture];
    const have = archOfFormat(format);
    if (want === undefined || want === have)
        return undefined;
    return `is ${ARCH_NAMES[have]} but the platform is ${(0,_image_types_js__WEBPACK_IMPORTED_MODULE_11__/* .formatPlatform */ .B)(platform)}: give ${WANTED[want]}`;
}
/** Reads up to `n` bytes from the start of an open file. */
async function readPrefix(fh, n) {
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
        const { bytesRead } = await fh.read(buf, got, n - got, got);
        if (bytesRead === 0)
            break;
        got += bytesRead;
    }
    return buf.subarray(0, got);
}
/** --kernel FILE: exists, is a readable regular file, and is a kernel for the platform's architecture. */
async function checkKernelFile(file, platform) {
    const q = (0,_quote_js__WEBPACK_IMPORTED_MODULE_6__/* .quote */ .hD)(file);
    const fail = (why, forms = true) => new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InitramfsError */ .sp('USAGE', `--kernel ${q} ${why}${forms ? `; expected ${KERNEL_FORMS}` : ''}`);
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.resolve)(file);
    let fh;
    try {
        // O_NONBLOCK: a FIFO given by mistake must not block the open until a writer comes (Windows has no
        // FIFOs in its file system, nor the flag).
        fh = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(path, node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.O_RDONLY | (node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.O_NONBLOCK ?? 0));
    }
    catch (e) {
        const code = e.code;
        if (code === 'ENOENT')
            throw fail('does not exist');
        if (code === 'EACCES' || code === 'EPERM') {
            throw fail(`is not readable (Ubuntu installs kernels readable by root only: sudo chmod a+r ${q}, or use --kernel-image)`, false);
        }
        if (code === 'ENOTDIR')
            throw fail('does not exist (a component of the path is not a directory)');
        throw fail(`cannot be opened (${code ?? e.message})`, false);
    }
    try {
        const st = await fh.stat();
        if (!st.isFile())
            throw fail(`is ${st.isDirectory() ? 'a directory' : 'not a regular file'}`);
        const prefix = await readPrefix(fh, COMPRESSED_HEAD).catch((e) => {
            throw fail(`cannot be read (${e.code ?? e.message})`, false);
        });
        const format = await kernelFormat(prefix);
        if (typeof format !== 'string')
            throw fail(`is not a Linux kernel QEMU can boot: ${format.unknown}`);
        const mismatch = archMismatch(format, platform);
        if (mismatch !== undefined)
            throw fail(mismatch, false);
        return { path, format };
    }
    finally {
        await fh.close();
    }
}
/**
 * `sort -V` order of two names: runs of digits compare as numbers, other runs as bytes, so
 * vmlinuz-6.1.0-10-amd64 is newer than vmlinuz-6.1.0-9-amd64. Pure.
 */
function compareVersions(a, b) {
    const runs = (s) => s.match(/\d+|\D+/g) ?? [];
    const x = runs(a);
    const y = runs(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const p = x[i];
        const q = y[i];
        if (p === q)
            continue;
        if (/^\d/.test(p) && /^\d/.test(q)) {
            const m = p.replace(/^0+/, '');
            const n = q.replace(/^0+/, '');
            if (m.length !== n.length)
                return m.length - n.length;
            if (m !== n)
                return m < n ? -1 : 1;
            continue; // equal numbers spelled with other leading zeros
        }
        return p < q ? -1 : 1;
    }
    return x.length - y.length;
}
/** Where a kernel image's kernel is looked for, in this order. */
const KERNEL_PLACES = '/kernel (LinuxKit kernel images), the newest /boot/vmlinuz*, the newest /boot/Image*';
/** The newest regular file (symlinks followed inside the image) in /boot whose name starts with `prefix`. */
function newestInBoot(root, prefix) {
    const boot = (0,_rootfs_tree_js__WEBPACK_IMPORTED_MODULE_12__/* .resolveDir */ .m$)(root, ['boot'], false);
    if (!boot.ok)
        return undefined;
    const names = [...boot.node.children.keys()]
        // A kernel kept by an upgrade (vmlinuz.old) is not the one the image boots.
        .filter((name) => name.startsWith(prefix) && !name.endsWith('.old'))
        .sort((a, b) => compareVersions(b, a));
    for (const name of names) {
        const path = `/boot/${name}`;
        const node = (0,_rootfs_tree_js__WEBPACK_IMPORTED_MODULE_12__/* .lookup */ .$I)(root, path, { follow: true });
        if (node?.inode.type === 'file')
            return { path, node };
    }
    return undefined;
}
/** The kernel in an image's model, or a reason naming where it looked. */
function findKernel(root) {
    const kernel = (0,_rootfs_tree_js__WEBPACK_IMPORTED_MODULE_12__/* .lookup */ .$I)(root, '/kernel', { follow: true });
    if (kernel?.inode.type === 'file')
        return { path: '/kernel', node: kernel };
    const found = newestInBoot(root, 'vmlinuz') ?? newestInBoot(root, 'Image');
    if (found)
        return found;
    const link = (0,_rootfs_tree_js__WEBPACK_IMPORTED_MODULE_12__/* .lookup */ .$I)(root, '/kernel', { follow: false });
    const odd = link === undefined ? '' :
        link.inode.type === 'symlink' ? `; its /kernel is a symlink to ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_6__/* .quoteBytes */ .K7)(link.inode.target ?? '')}, which names no regular file in the image` :
            `; its /kernel is a ${link.inode.type === 'dir' ? 'directory' : link.inode.type}, not a regular file`;
    return { missing: `has no kernel: looked for ${KERNEL_PLACES}${odd}` };
}
/** `kernels/<hex>` for a manifest digest, or undefined for a digest of an unexpected shape. */
function cacheKey(digest) {
    const m = /^([a-z0-9]+):([0-9a-f]{32,})$/.exec(digest);
    if (!m)
        return undefined;
    return m[1] === 'sha256' ? m[2] : `${m[1]}-${m[2]}`;
}
const cachePath = (cacheDir, key) => (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(cacheDir, 'kernels', key, 'kernel');
/** Whether the cache holds a kernel at `path` that fits the platform (a damaged entry is not one). */
async function cachedKernel(path, platform) {
    let fh;
    try {
        fh = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(path, node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.O_RDONLY | (node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.O_NONBLOCK ?? 0));
    }
    catch {
        return false;
    }
    try {
        if (!(await fh.stat()).isFile())
            return false;
        const format = await kernelFormat(await readPrefix(fh, COMPRESSED_HEAD));
        return typeof format === 'string' && archMismatch(format, platform) === undefined;
    }
    catch {
        return false;
    }
    finally {
        await fh.close();
    }
}
const COPY_CHUNK = 1 << 20;
/**
 * Copies the model's file into `tmp` (fsynced: the entry is renamed into the cache next, and a power cut
 * must not leave a name there for bytes never written). Returns the sha256 of the bytes.
 */
async function writeKernel(node, tmp) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    const fh = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(tmp, 'wx', 0o644);
    try {
        const size = node.inode.size;
        const buf = Buffer.alloc(Math.min(COPY_CHUNK, Math.max(size, 1)));
        for (let pos = 0; pos < size; pos += buf.length) {
            const n = Math.min(buf.length, size - pos);
            (0,_rootfs_read_node_js__WEBPACK_IMPORTED_MODULE_10__/* .readNodeRange */ .CZ)(node, pos, buf, n);
            const chunk = buf.subarray(0, n);
            hash.update(chunk);
            await fh.write(chunk, 0, n);
        }
        await fh.sync();
    }
    finally {
        await fh.close();
    }
    return `sha256:${hash.digest('hex')}`;
}
/**
 * The kernel to boot: `spec.file` checked where it is, or `spec.image`'s kernel taken out of the image
 * (for `o.platform`) into the cache, once per manifest digest.
 */
async function resolveKernel(spec, o) {
    if (spec.file !== undefined && spec.image !== undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InitramfsError */ .sp('USAGE', '--kernel and --kernel-image both name a kernel; give one of them');
    }
    if (spec.file !== undefined) {
        const { path } = await checkKernelFile(spec.file, o.platform);
        return { path, from: spec.file, digest: null };
    }
    if (spec.image !== undefined)
        return kernelFromImage(spec.image, o);
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InitramfsError */ .sp('USAGE', `no kernel to boot: give --kernel FILE or --kernel-image REF; expected ${KERNEL_FORMS}`);
}
async function kernelFromImage(reference, o) {
    let source;
    try {
        source = await (0,_image_source_js__WEBPACK_IMPORTED_MODULE_8__/* .openSource */ .oD)(reference, o.source);
    }
    catch (e) {
        throw imageError(reference, e);
    }
    try {
        return await kernelFromSource(source, reference, o);
    }
    finally {
        await source.close?.();
    }
}
async function kernelFromSource(source, reference, o) {
    let image;
    try {
        image = await source.resolve(o.platform);
    }
    catch (e) {
        throw imageError(reference, e);
    }
    const digest = image.digest ?? null;
    const key = digest === null ? undefined : cacheKey(digest);
    if (key !== undefined) {
        const path = cachePath(o.cacheDir, key);
        // The same manifest is the same layers: its kernel was taken out before.
        if (await cachedKernel(path, o.platform))
            return { path, from: reference, digest };
    }
    const about = `kernel image ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_6__/* .shown */ .SP)(reference)} (${(0,_image_types_js__WEBPACK_IMPORTED_MODULE_11__/* .formatPlatform */ .B)(image.platform)})`;
    const reporter = o.source.reporter ?? new _log_js__WEBPACK_IMPORTED_MODULE_13__/* .CollectingReporter */ .M();
    const scratch = (0,_scratch_js__WEBPACK_IMPORTED_MODULE_7__/* .acquireScratch */ .xX)(o.cacheDir);
    let tree;
    const tmp = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(scratch.dir, `kernel-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}`);
    const work = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(o.work ?? scratch.dir, `kernel-spools-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}`);
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(work, { recursive: true, mode: 0o700 });
        try {
            tree = await (0,_rootfs_image_tree_js__WEBPACK_IMPORTED_MODULE_9__/* .readImageTree */ .w)(image.layers, work, reporter);
        }
        catch (e) {
            throw imageError(reference, e);
        }
        const found = findKernel(tree.root);
        if ('missing' in found) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InitramfsError */ .sp('BAD_IMAGE', `${about} ${found.missing}; expected an image holding a kernel, such as LinuxKit's linuxkit/kernel images`);
        }
        const where = (0,_quote_js__WEBPACK_IMPORTED_MODULE_6__/* .quoteBytes */ .K7)(found.path);
        const head = Buffer.alloc(Math.min(found.node.inode.size, COMPRESSED_HEAD));
        (0,_rootfs_read_node_js__WEBPACK_IMPORTED_MODULE_10__/* .readNodeRange */ .CZ)(found.node, 0, head, head.length);
        const format = await kernelFormat(head);
        if (typeof format !== 'string')
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InitramfsError */ .sp('BAD_IMAGE', `${about}: ${where} is not a Linux kernel QEMU can boot: ${format.unknown}`);
        const mismatch = archMismatch(format, o.platform);
        if (mismatch !== undefined)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InitramfsError */ .sp('BAD_IMAGE', `${about}: ${where} ${mismatch}`);
        const written = await writeKernel(found.node, tmp).catch((e) => {
            throw ioError(o.cacheDir, e);
        });
        // A source without a manifest digest (a docker archive) is keyed by the kernel's own bytes.
        const path = cachePath(o.cacheDir, key ?? cacheKey(written));
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(path, '..'), { recursive: true, mode: 0o755 });
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(tmp, path);
        }
        catch (e) {
            throw ioError(o.cacheDir, e);
        }
        reporter.info(`kernel ${where} of ${about} (${format}, ${(found.node.inode.size / 1e6).toFixed(1)} MB) kept in the cache`);
        return { path, from: reference, digest };
    }
    finally {
        tree?.dispose();
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(tmp, { force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(work, { recursive: true, force: true });
        await scratch.release();
    }
}
function ioError(cacheDir, e) {
    const why = e.code ?? e.message;
    return new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InitramfsError */ .sp('IO', `cache directory ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_6__/* .quote */ .hD)(cacheDir)}: cannot store a kernel (${why}); pass --cache-dir DIR`, { cause: e });
}
/**
 * An error from opening, resolving or reading the kernel image, said to be about it: "no image for
 * platform linux/arm64" alone would not say which of the boot's two images lacks it. Code and class kept.
 */
function imageError(reference, e) {
    if (!(e instanceof _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InitramfsError */ .sp))
        return e;
    const message = e.message.startsWith(`${reference}:`) ? `kernel image ${e.message}` : `kernel image ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_6__/* .shown */ .SP)(reference)}: ${e.message}`;
    if (e instanceof _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .DigestMismatchError */ .h)
        return new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .DigestMismatchError */ .h(e.blob, message);
    return new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InitramfsError */ .sp(e.code, message, { cause: e });
}


/***/ }),

/***/ 3315:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  j: () => (/* binding */ build)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/image/source.js + 25 modules
var image_source = __webpack_require__(9128);
// EXTERNAL MODULE: ./build/image/platform.js
var image_platform = __webpack_require__(3847);
// EXTERNAL MODULE: ./build/image/types.js
var types = __webpack_require__(8107);
// EXTERNAL MODULE: ./build/image/read-layer.js + 1 modules
var read_layer = __webpack_require__(9206);
// EXTERNAL MODULE: ./build/image/spool.js
var image_spool = __webpack_require__(9437);
// EXTERNAL MODULE: ./build/rootfs/node.js
var node = __webpack_require__(4984);
// EXTERNAL MODULE: ./build/rootfs/path.js
var path = __webpack_require__(6195);
// EXTERNAL MODULE: ./build/rootfs/apply-layer.js + 1 modules
var apply_layer = __webpack_require__(9985);
// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(4006);
// EXTERNAL MODULE: ./build/errors.js
var errors = __webpack_require__(9473);
;// CONCATENATED MODULE: ./build/rootfs/exclude.js
// Excludes: rootfs-absolute globs whose matches are removed from the model, subtree included.
// `/x/**` removes everything UNDER /x and keeps /x itself (as gitignore and rsync read `dir/**`), so
// programs that expect the directory (e.g. /var/cache/apt/archives) still find it; exclude `/x` to remove
// the directory too. Matching is picomatch with dot: true against "/" + the UTF-8 form of the path.



/** Parse and check globs; USAGE error for one that is not rootfs-absolute or is negated. */
function compileExcludes(globs) {
    const matchers = globs.map(compileOne);
    return (path) => matchers.some((m) => m(path));
}
function compileOne(glob) {
    if (glob.startsWith('!')) {
        throw new errors/* InitramfsError */.sp('USAGE', `Invalid exclude '${glob}'. Negated excludes are not supported; list what to remove, e.g. /usr/share/doc/**`);
    }
    if (!glob.startsWith('/') && !glob.startsWith('**/')) {
        throw new errors/* InitramfsError */.sp('USAGE', `Invalid exclude '${glob}'. Excludes are absolute paths in the image (they start with "/", or "**/" to match at any depth), e.g. /${glob} or **/${glob}`);
    }
    const options = { dot: true };
    const matches = picomatch(glob, options);
    if (!glob.endsWith('/**'))
        return matches;
    // picomatch lets `/x/**` match `/x` as well; the contract above keeps /x, so the directory itself (what
    // the glob minus its `/**` matches) is taken out again.
    const base = glob.slice(0, -3);
    const isBase = base === '' ? (p) => p === '/' : picomatch(base, options);
    return (p) => matches(p) && !isBase(p);
}
/**
 * Remove every entry matching one of `globs` (with its subtree) from `root`. Symlinks are matched by
 * their own path, never followed. The root itself is never removed. Returns how many names matched.
 */
function applyExcludes(root, globs) {
    if (globs.length === 0)
        return 0;
    const matches = compileExcludes(globs);
    let removed = 0;
    // Directories still to visit, with their paths: a stack rather than recursion, so a tree thousands of
    // directories deep cannot exhaust the call stack. Each path is matched once whatever the order.
    const pending = [[root, '']];
    while (pending.length > 0) {
        const [dir, prefix] = pending.pop();
        for (const [name, child] of [...dir.children]) {
            const path = prefix + '/' + name;
            if (matches((0,node/* fromBytePath */.cj)(path))) {
                dir.children.delete(name);
                removed++;
            }
            else if (child.children !== undefined) {
                pending.push([child, path]);
            }
        }
    }
    return removed;
}

// EXTERNAL MODULE: ./build/rootfs/overlay.js
var overlay = __webpack_require__(3682);
// EXTERNAL MODULE: ./build/rootfs/tree.js
var tree = __webpack_require__(8244);
;// CONCATENATED MODULE: ./build/rootfs/du.js
// Where the bytes of a rootfs are, `du`-style: the directories (down to a depth) holding the most file
// data, and a breakdown of all of it into parts that do not overlap, with where each byte came from. The
// job summary shows them so a user sees at a glance what to --exclude. Hardlinked data counts once, at the
// first name met in sorted order, so the figures are deterministic and add up.

function largestDirectories(root, opts) {
    const sizes = [];
    const seen = new Set();
    const frame = (node, path, depth) => ({
        node,
        path,
        depth,
        names: [...node.children.keys()].sort(),
        next: 0,
        bytes: 0,
    });
    const stack = [frame(root, '', 0)];
    while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.next < top.names.length) {
            const name = top.names[top.next++];
            const child = top.node.children.get(name);
            if (child.children) {
                stack.push(frame(child, top.depth < opts.depth ? `${top.path}/${name}` : '', top.depth + 1));
            }
            else if (child.inode.type === 'file' && !seen.has(child.inode)) {
                seen.add(child.inode);
                top.bytes += child.inode.size;
            }
            continue;
        }
        stack.pop();
        if (top.depth >= 1 && top.depth <= opts.depth)
            sizes.push({ path: (0,node/* fromBytePath */.cj)(top.path), bytes: top.bytes });
        const parent = stack[stack.length - 1];
        if (parent !== undefined)
            parent.bytes += top.bytes;
    }
    return sizes
        .filter((d) => d.bytes > 0)
        .sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
        .slice(0, opts.count);
}
const SPACE_DEFAULTS = { splitShare: 0.2, slices: 10, minShare: 0.01 };
/**
 * Where a tree's file data is, in non-overlapping slices: the top-level directories, each one that holds
 * more than `splitShare` of the data split into its children and the files directly in it (so `/usr`
 * becomes `/usr/lib`, `/usr/share`, …), the files at the top as one slice; the smallest slices folded into
 * one 'other'. And where the data came from, by `origin` (called once per inode with data). Hardlinked
 * data counts once, at its first name in sorted order, as in largestDirectories: the figures are the same
 * on every machine and every byte is in one slice only.
 */
function spaceUse(root, origin, opts = SPACE_DEFAULTS) {
    const tops = new Map();
    let rootFiles = 0;
    let fileBytes = 0;
    const origins = new Map();
    const seen = new Set();
    const frame = (node, top, child) => ({ node, names: [...node.children.keys()].sort(), next: 0, top, child });
    const stack = [frame(root, undefined, undefined)];
    while (stack.length > 0) {
        const f = stack[stack.length - 1];
        if (f.next >= f.names.length) {
            stack.pop();
            continue;
        }
        const name = f.names[f.next++];
        const node = f.node.children.get(name);
        if (node.children) {
            if (f.top === undefined) {
                const top = { bytes: 0, files: 0, children: new Map() };
                tops.set(name, top);
                stack.push(frame(node, top, undefined));
            }
            else {
                stack.push(frame(node, f.top, f.child ?? name));
            }
            continue;
        }
        const inode = node.inode;
        if (inode.type !== 'file' || inode.size === 0 || seen.has(inode))
            continue;
        seen.add(inode);
        fileBytes += inode.size;
        const from = origin(inode);
        origins.set(from, (origins.get(from) ?? 0) + inode.size);
        if (f.top === undefined)
            rootFiles += inode.size;
        else {
            f.top.bytes += inode.size;
            if (f.child === undefined)
                f.top.files += inode.size;
            else
                f.top.children.set(f.child, (f.top.children.get(f.child) ?? 0) + inode.size);
        }
    }
    // Paths stay byte strings until the order is settled, so that it is byte order on every machine.
    const slices = [];
    if (rootFiles > 0)
        slices.push({ path: '/', scope: 'files', bytes: rootFiles });
    for (const [name, top] of tops) {
        if (top.bytes === 0)
            continue;
        const parts = top.children.size + (top.files > 0 ? 1 : 0);
        if (top.bytes > fileBytes * opts.splitShare && parts > 1) {
            for (const [child, bytes] of top.children)
                slices.push({ path: `/${name}/${child}`, scope: 'tree', bytes });
            if (top.files > 0)
                slices.push({ path: `/${name}`, scope: 'files', bytes: top.files });
        }
        else {
            slices.push({ path: `/${name}`, scope: 'tree', bytes: top.bytes });
        }
    }
    slices.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    let keep = 0;
    while (keep < slices.length && keep < opts.slices && slices[keep].bytes >= fileBytes * opts.minShare)
        keep++;
    // One small slice shown as itself takes no more room than an 'other' holding it, and says more.
    if (slices.length - keep === 1)
        keep++;
    const out = slices.slice(0, keep).map((s) => ({ path: (0,node/* fromBytePath */.cj)(s.path), scope: s.scope, bytes: s.bytes }));
    const rest = slices.slice(keep);
    if (rest.length > 0)
        out.push({ path: null, scope: 'other', bytes: rest.reduce((n, s) => n + s.bytes, 0), folded: rest.length });
    return { fileBytes, slices: out, origins };
}

// EXTERNAL MODULE: ./build/initramfs/init-script.js
var init_script = __webpack_require__(4956);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./build/quote.js
var quote = __webpack_require__(9692);
// EXTERNAL MODULE: ./build/initramfs/elf.js
var initramfs_elf = __webpack_require__(9119);
;// CONCATENATED MODULE: ./build/initramfs/modules.js
// Kernel modules for the guest (--modules-dir DIR, --module NAME): each named module and everything
// modules.dep says it needs, copied to /lib/modules/VERSION/<same relative path> in load order
// (dependencies first), checked before the build goes on: a module the kernel would refuse (wrong
// architecture, not a module, compressed in a way busybox insmod cannot read) fails here, naming the
// option, rather than at boot with "Invalid module format".
//
// modules.dep (depmod's text form): one line per module, `PATH: DEP DEP …`, PATH relative to DIR, the deps
// the whole closure, nearest first (modprobe loads them last to first). Module names are file names
// without `.ko[.gz|.xz|.zst]`; the kernel treats `-` and `_` in them alike, and so does the lookup here.
//
// Compressed modules are decompressed here and stored as `.ko`: busybox insmod reads only plain ELF, and
// the kernel's own in-kernel decompression (CONFIG_MODULE_DECOMPRESS) is not there on every kernel. Node
// reads gzip and zstd; it has no xz, so `.ko.xz` (Debian's and Fedora's default on some releases) is an
// error that says how to decompress them first.









/** What a directory must be, said in every error about one. */
const EXPECTED_DIR = 'expected a /lib/modules/VERSION directory such as /lib/modules/$(uname -r) that holds modules.dep';
/**
 * The most bytes one module may decompress to. The largest modules of distribution kernels are tens of
 * MiB; past this a `.ko.gz` is a decompression bomb, not a module.
 */
const MAX_MODULE_SIZE = 512 << 20;
/** A module file suffix, the compression it means. */
const SUFFIXES = [
    ['.ko', 'none'],
    ['.ko.gz', 'gzip'],
    ['.ko.zst', 'zstd'],
    ['.ko.xz', 'xz'],
];
/** `kernel/net/core/failover.ko.zst` → `failover`; undefined when the name is no module file's. */
function moduleName(path) {
    const file = path.slice(path.lastIndexOf('/') + 1);
    for (const [suffix] of SUFFIXES)
        if (file.endsWith(suffix) && file.length > suffix.length)
            return file.slice(0, -suffix.length);
    return undefined;
}
/** The form names are compared in: the kernel treats '-' and '_' in module names alike. */
const key = (name) => name.replaceAll('-', '_');
/**
 * Resolve `names` against DIR's modules.dep for a kernel of `platformArch` (OCI architecture, e.g.
 * amd64): the modules and their dependencies in load order, read and checked, ready for installModules.
 */
async function selectModules(dir, names, platformArch) {
    const option = `--modules-dir ${(0,quote/* quote */.hD)(dir)}`;
    const realDir = await modulesDirectory(dir, option);
    const version = (0,external_node_path_.basename)(realDir);
    const depFile = (0,external_node_path_.join)(realDir, 'modules.dep');
    const { byName, byPath } = parseModulesDep(await readText(depFile, option, 'has no modules.dep', true), dir, option);
    const builtinText = await readText((0,external_node_path_.join)(realDir, 'modules.builtin'), option, '', false);
    const builtinNames = new Map();
    for (const line of builtinText.split('\n')) {
        const name = moduleName(line.trim());
        if (name !== undefined && !builtinNames.has(key(name)))
            builtinNames.set(key(name), name);
    }
    // Which requested module first needed each file: errors about a dependency name what asked for it.
    const neededBy = new Map();
    const order = [];
    const requested = new Set();
    const builtin = [];
    const state = new Map();
    const entryFor = (path) => {
        let e = byPath.get(path);
        if (e === undefined) {
            // Listed as a dependency without a line of its own: still a file to load, with no dependencies known.
            e = { path, deps: [] };
            byPath.set(path, e);
        }
        return e;
    };
    for (const requestedName of names) {
        const entry = byName.get(key(requestedName));
        if (entry === undefined) {
            const b = builtinNames.get(key(requestedName));
            if (b !== undefined) {
                if (!builtin.includes(b))
                    builtin.push(b);
                continue;
            }
            throw unknownModule(requestedName, dir, [...[...byName.values()].map((e) => moduleName(e.path)), ...builtinNames.values()]);
        }
        requested.add(entry);
        // Depth first, the deps of each module visited last to first as modprobe loads them; an explicit stack
        // so no chain of dependencies runs out of call stack, and a module met again (or in a cycle depmod
        // should have refused) is not visited twice.
        if (state.has(entry))
            continue;
        const stack = [{ entry, next: entry.deps.length - 1 }];
        state.set(entry, 'visiting');
        while (stack.length > 0) {
            const top = stack[stack.length - 1];
            if (top.next < 0) {
                stack.pop();
                state.set(top.entry, 'done');
                order.push(top.entry);
                if (!neededBy.has(top.entry))
                    neededBy.set(top.entry, requestedName);
                continue;
            }
            const dep = entryFor(top.entry.deps[top.next--]);
            if (state.has(dep))
                continue;
            state.set(dep, 'visiting');
            stack.push({ entry: dep, next: dep.deps.length - 1 });
        }
    }
    const target = (0,initramfs_elf/* elfTargetForPlatform */.BO)(platformArch);
    const root = `/lib/modules/${version}`;
    const stored = new Map(); // modules.dep path → stored (.ko) path
    const files = [];
    for (const entry of order) {
        const what = `--module ${(0,quote/* quote */.hD)(neededBy.get(entry))}`;
        const read = await readModule(realDir, entry.path, what, dir);
        const elf = (0,initramfs_elf/* readElf */.oU)(read.bytes);
        if (elf === undefined || elf.type !== initramfs_elf/* ET_REL */.c9) {
            throw new errors/* InitramfsError */.sp('MODULES', `${what}: ${(0,quote/* quote */.hD)((0,external_node_path_.join)(dir, read.file))} is not a kernel module (expected an ELF relocatable object, ET_REL${elf ? `; this is an ELF of type ${elf.type}` : ''})`);
        }
        if (target !== undefined && !(0,initramfs_elf/* elfMatches */.Fz)(elf, target)) {
            throw new errors/* InitramfsError */.sp('MODULES', `${what}: ${(0,quote/* quote */.hD)((0,external_node_path_.join)(dir, read.file))} is a module for ${(0,initramfs_elf/* describeElf */.Rg)(elf)} but the platform is ${(0,quote/* shown */.SP)(platformArch)} (${(0,initramfs_elf/* describeElf */.Rg)(target)}); expected the modules of a kernel built for the target platform`);
        }
        const storedPath = read.compression === 'none' ? read.file : entry.path.slice(0, entry.path.lastIndexOf('.ko') + 3);
        stored.set(entry.path, storedPath);
        const data = read.compression === 'none' ? { kind: 'host', path: (0,external_node_path_.join)(realDir, read.file) } : { kind: 'bytes', bytes: read.bytes };
        files.push({ path: `${root}/${storedPath}`, data, size: read.bytes.length });
    }
    if (files.length > 0) {
        // Only the copied modules, by their stored names, so busybox modprobe in the guest finds the same set.
        const lines = order
            .map((e) => {
            const deps = e.deps.map((d) => stored.get(d));
            return `${stored.get(e.path)}:${deps.length > 0 ? ' ' + deps.join(' ') : ''}\n`;
        })
            .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const bytes = Buffer.from(lines.join(''), 'utf8');
        files.push({ path: `${root}/modules.dep`, data: { kind: 'bytes', bytes }, size: bytes.length });
    }
    const loaded = order.filter((e) => requested.has(e));
    return {
        version,
        loadOrder: order.map((e) => `${root}/${stored.get(e.path)}`),
        names: loaded.map((e) => moduleName(e.path)),
        files,
        builtin,
    };
}
/**
 * Put a ModuleSet's files in the model (0644, root, mtime 0), replacing whatever is at their names;
 * missing parents are created 0755 and symlinked ones (/lib -> usr/lib) followed inside the root, as for
 * the generated /init.
 */
function installModules(root, set) {
    for (const f of set.files) {
        const p = (0,path/* normalisePath */.q)((0,node/* toBytePath */.xe)(f.path));
        const name = p.ok ? p.components[p.components.length - 1] : undefined;
        if (!p.ok || name === undefined)
            throw new errors/* InitramfsError */.sp('MODULES', `module path ${(0,quote/* quote */.hD)(f.path)} is not a path under the root`);
        const parent = (0,tree/* resolveDir */.m$)(root, p.components.slice(0, -1), true);
        if (!parent.ok)
            throw new errors/* InitramfsError */.sp('MODULES', `cannot install module ${(0,quote/* quote */.hD)(f.path)}: ${parent.reason} in the image`);
        parent.node.children.set(name, {
            inode: { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: f.size, data: f.data },
        });
    }
}
async function modulesDirectory(dir, option) {
    let real;
    try {
        real = await (0,promises_.realpath)(dir);
    }
    catch (e) {
        throw new errors/* InitramfsError */.sp('MODULES', `${option} ${errnoText(e)}; ${EXPECTED_DIR}`, { cause: e });
    }
    if (!(await (0,promises_.stat)(real)).isDirectory())
        throw new errors/* InitramfsError */.sp('MODULES', `${option} is not a directory; ${EXPECTED_DIR}`);
    return real;
}
/** A text file of DIR; a missing one is `missing` (required) or empty (optional). */
async function readText(path, option, missing, required) {
    try {
        return await (0,promises_.readFile)(path, 'utf8');
    }
    catch (e) {
        const code = e.code;
        if (code === 'ENOENT' && !required)
            return '';
        const why = code === 'ENOENT' ? missing : `cannot read ${(0,quote/* quote */.hD)((0,external_node_path_.basename)(path))} (${errnoText(e)})`;
        throw new errors/* InitramfsError */.sp('MODULES', `${option} ${why}; ${EXPECTED_DIR}`, { cause: e });
    }
}
function parseModulesDep(text, dir, option) {
    const byName = new Map();
    const byPath = new Map();
    const lines = text.split('\n');
    lines.forEach((raw, i) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const colon = line.indexOf(':');
        const bad = (why) => new errors/* InitramfsError */.sp('MODULES', `${option}: modules.dep line ${i + 1} ${why}; expected "kernel/DIR/NAME.ko: DEPENDENCY.ko …" as depmod writes it`);
        if (colon < 0)
            throw bad(`(${(0,quote/* quote */.hD)(line, 80)}) has no ":"`);
        const paths = [line.slice(0, colon).trim(), ...line.slice(colon + 1).trim().split(/\s+/).filter((s) => s !== '')];
        for (const p of paths) {
            if (moduleName(p) === undefined)
                throw bad(`names ${(0,quote/* quote */.hD)(p, 80)}, not a .ko, .ko.gz, .ko.zst or .ko.xz file`);
            // The path is also where the module goes in the image: it must stay under /lib/modules/VERSION.
            if (p.startsWith('/') || p.split('/').some((c) => c === '..' || c === '.'))
                throw bad(`names ${(0,quote/* quote */.hD)(p, 80)}, not a path relative to ${(0,quote/* quote */.hD)(dir)}`);
        }
        const entry = { path: paths[0], deps: paths.slice(1) };
        if (byPath.has(entry.path))
            return;
        byPath.set(entry.path, entry);
        // depmod lists one module per name; should two share one, the first wins as it does for modprobe.
        const k = key(moduleName(entry.path));
        if (!byName.has(k))
            byName.set(k, entry);
    });
    return { byName, byPath };
}
async function readModule(realDir, path, what, dir) {
    const compression = SUFFIXES.find(([s]) => path.endsWith(s))[1];
    if (compression === 'xz') {
        // `xz -d` leaves modules.dep naming the .ko.xz; the .ko it wrote beside it is the module.
        const plain = path.slice(0, -'.xz'.length);
        const bytes = await readOptional((0,external_node_path_.join)(realDir, plain), what, dir, plain);
        if (bytes !== undefined)
            return { file: plain, compression: 'none', bytes };
        if ((await readOptional((0,external_node_path_.join)(realDir, path), what, dir, path)) === undefined)
            throw missingModule(what, dir, path);
        throw new errors/* InitramfsError */.sp('MODULES', `${what}: ${(0,quote/* quote */.hD)((0,external_node_path_.join)(dir, path))} is xz-compressed, which this tool cannot decompress; decompress the modules first ` +
            `(find ${(0,quote/* shown */.SP)(dir)} -name '*.ko.xz' -exec xz -d {} +; a .ko beside a listed .ko.xz is used), ` +
            'or use a kernel whose modules are compressed with gzip or zstd, or not compressed');
    }
    const raw = await readOptional((0,external_node_path_.join)(realDir, path), what, dir, path);
    if (raw === undefined)
        throw missingModule(what, dir, path);
    if (compression === 'none')
        return { file: path, compression, bytes: raw };
    try {
        const opts = { maxOutputLength: MAX_MODULE_SIZE };
        const bytes = compression === 'gzip' ? (0,external_node_zlib_.gunzipSync)(raw, opts) : (0,external_node_zlib_.zstdDecompressSync)(raw, opts);
        return { file: path, compression, bytes };
    }
    catch (e) {
        const why = e.code === 'ERR_BUFFER_TOO_LARGE' || /too large|maxOutputLength/i.test(String(e))
            ? `decompresses to more than ${MAX_MODULE_SIZE >> 20} MiB`
            : `is not valid ${compression} data (${e.message})`;
        throw new errors/* InitramfsError */.sp('MODULES', `${what}: ${(0,quote/* quote */.hD)((0,external_node_path_.join)(dir, path))} ${why}`, { cause: e });
    }
}
async function readOptional(file, what, dir, path) {
    try {
        return await (0,promises_.readFile)(file);
    }
    catch (e) {
        if (e.code === 'ENOENT')
            return undefined;
        throw new errors/* InitramfsError */.sp('MODULES', `${what}: ${(0,quote/* quote */.hD)((0,external_node_path_.join)(dir, path))} cannot be read (${errnoText(e)})`, { cause: e });
    }
}
function missingModule(what, dir, path) {
    return new errors/* InitramfsError */.sp('MODULES', `${what}: modules.dep lists ${(0,quote/* quote */.hD)(path)} but ${(0,quote/* quote */.hD)((0,external_node_path_.join)(dir, path))} does not exist; expected the modules directory as installed (run depmod after changing it)`);
}
function unknownModule(name, dir, known) {
    const suggestion = closest(name, known);
    return new errors/* InitramfsError */.sp('MODULES', `--module ${(0,quote/* quote */.hD)(name)}: no such module in ${(0,quote/* quote */.hD)((0,external_node_path_.join)(dir, 'modules.dep'))} or modules.builtin; ` +
        (suggestion !== undefined ? `did you mean ${(0,quote/* quote */.hD)(suggestion)}? ` : '') +
        'expected a module name as lsmod shows it, e.g. virtio_net');
}
/**
 * The known name nearest to `name` ('-' and '_' alike; edit distance at most 2 and less than half its
 * length), if any; ties go to the first in sorted order.
 */
function closest(name, known) {
    let best;
    let bestDistance = Math.min(2, Math.ceil(name.length / 2) - 1);
    for (const k of [...new Set(known)].sort()) {
        const d = editDistance(key(name), key(k), bestDistance);
        if (d < bestDistance || (d === bestDistance && best === undefined)) {
            best = k;
            bestDistance = d;
        }
    }
    return best;
}
/** Levenshtein distance, or more than `limit` as soon as that is certain. */
function editDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit)
        return limit + 1;
    let prev = Array.from({ length: b.length + 1 }, (_v, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        let rowMin = i;
        for (let j = 1; j <= b.length; j++) {
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
            rowMin = Math.min(rowMin, cur[j]);
        }
        if (rowMin > limit)
            return limit + 1;
        prev = cur;
    }
    return prev[b.length];
}
function errnoText(e) {
    const code = e.code;
    if (code === 'ENOENT')
        return 'does not exist';
    if (code === 'ENOTDIR')
        return 'is not a directory';
    if (code === 'EACCES')
        return 'is not readable';
    return `cannot be read (${code ?? String(e)})`;
}

// EXTERNAL MODULE: ./build/initramfs/init-tools.js
var init_tools = __webpack_require__(5652);
;// CONCATENATED MODULE: ./build/rootfs/user.js
// The image config's `User` as numbers, resolved at build time from the rootfs model's /etc/passwd and
// /etc/group the way Docker (runc's GetExecUser) resolves it at run time, so the generated /init can
// switch to it with busybox, which needs no passwd file and cannot read names.
//   uid | name [ : gid | group ]
// A name must exist in /etc/passwd (a group name in /etc/group); a number need not, and is never read as
// a name (a passwd entry named "1000" is not user 1000). A user without a group takes the passwd entry's
// gid, or 0 when the uid has no entry (Docker: `USER 1000` runs as 1000:0).
// Supplementary groups (the /etc/group entries listing the user) are kept only when no group is given,
// as runc does. Root (no User, `root`, `0`, `0:0`) is undefined: nothing to switch.




/** uid_t/gid_t values the kernel accepts: (uid_t)-1 means "unchanged" to setresuid. */
const ID_MAX = 2 ** 32 - 2;
const ROOT_FORMS = new Set(['', 'root', '0', '0:0']);
/**
 * `User` of the image config → numbers, from the rootfs model's /etc/passwd and /etc/group (symlinks
 * followed inside the root). `readFile` gives a regular file node's bytes. Undefined for root. Throws
 * BAD_IMAGE naming the User value when a name is not in its file or a number is out of range.
 */
function resolveUser(root, user, readFile) {
    if (user === undefined || ROOT_FORMS.has(user))
        return undefined;
    const what = `image config User ${(0,quote/* quote */.hD)(user)}`;
    const colon = user.indexOf(':');
    // Names in the model are byte strings (latin1); the config's JSON gave UTF-8.
    const userPart = (0,node/* toBytePath */.xe)(colon === -1 ? user : user.slice(0, colon));
    const groupPart = (0,node/* toBytePath */.xe)(colon === -1 ? '' : user.slice(colon + 1));
    const number = (s, kind) => {
        if (!/^[0-9]+$/.test(s))
            return undefined;
        const n = Number(s);
        if (n > ID_MAX)
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: ${kind} ${s} is out of range (0 to ${ID_MAX})`);
        return n;
    };
    // runc: an empty user part is the default user, root.
    const uidArg = userPart === '' ? 0 : number(userPart, 'uid');
    const passwd = readTable(root, '/etc/passwd', readFile);
    // A number is always a uid, never a name (runc); the first matching line wins.
    const entry = passwd?.lines.map(parsePasswd).find((e) => e !== undefined && (uidArg !== undefined ? e.uid === uidArg : e.name === userPart));
    let uid;
    let gid = 0;
    let home;
    if (entry) {
        ({ uid, gid } = entry);
        if (entry.home !== '')
            home = (0,node/* fromBytePath */.cj)(entry.home);
    }
    else if (uidArg !== undefined) {
        uid = uidArg;
    }
    else {
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: ${missing(passwd, 'user', userPart, '/etc/passwd')}`);
    }
    const groupFile = readTable(root, '/etc/group', readFile);
    const groupEntries = groupFile?.lines.map(parseGroup).filter((g) => g !== undefined) ?? [];
    let groups = [];
    if (groupPart !== '') {
        const gidArg = number(groupPart, 'gid');
        const g = groupEntries.find((e) => (gidArg !== undefined ? e.gid === gidArg : e.name === groupPart));
        if (g)
            gid = g.gid;
        else if (gidArg !== undefined)
            gid = gidArg;
        else
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: ${missing(groupFile, 'group', groupPart, '/etc/group')}`);
    }
    else if (entry) {
        // The implicit form: the groups whose member list names the user (runc leaves them out otherwise).
        groups = [...new Set(groupEntries.filter((g) => g.members.includes(entry.name)).map((g) => g.gid))];
    }
    return { uid, gid, groups, ...(home !== undefined && { home }) };
}
const missing = (table, kind, name, file) => table === undefined
    ? `the image has no ${file} to look ${kind} ${(0,quote/* quote */.hD)((0,node/* fromBytePath */.cj)(name))} up in`
    : `no ${kind} ${(0,quote/* quote */.hD)((0,node/* fromBytePath */.cj)(name))} in the image's ${file}`;
/** A file's lines (byte strings), or undefined when `path` does not resolve to a regular file. */
function readTable(root, path, readFile) {
    const node = (0,tree/* lookup */.$I)(root, path, { follow: true });
    if (node?.inode.type !== 'file')
        return undefined;
    return { lines: Buffer.from(readFile(node)).toString('latin1').split('\n') };
}
/** An id field as libc reads it: decimal, in range; anything else makes the line unusable. */
function idField(s) {
    if (s === undefined || !/^[0-9]+$/.test(s))
        return undefined;
    const n = Number(s);
    return n <= ID_MAX ? n : undefined;
}
/** `name:password:uid:gid:gecos:home:shell`; comments, blank and malformed lines are skipped. */
function parsePasswd(line) {
    if (line === '' || line.startsWith('#'))
        return undefined;
    const f = line.replace(/\r$/, '').split(':');
    const uid = idField(f[2]);
    const gid = idField(f[3]);
    if (f[0] === '' || uid === undefined || gid === undefined)
        return undefined;
    return { name: f[0], uid, gid, home: f[5] ?? '' };
}
/** `name:password:gid:member,member`. */
function parseGroup(line) {
    if (line === '' || line.startsWith('#'))
        return undefined;
    const f = line.replace(/\r$/, '').split(':');
    const gid = idField(f[2]);
    if (f[0] === '' || gid === undefined)
        return undefined;
    return { name: f[0], gid, members: (f[3] ?? '').split(',').filter((m) => m !== '') };
}

// EXTERNAL MODULE: ./build/rootfs/read-node.js
var read_node = __webpack_require__(2333);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./build/output.js
var output = __webpack_require__(3635);
// EXTERNAL MODULE: ./build/initramfs/compress.js
var compress = __webpack_require__(1304);
// EXTERNAL MODULE: ./build/initramfs/newc.js
var newc = __webpack_require__(1139);
;// CONCATENATED MODULE: ./build/initramfs/plan.js
// The archive plan: the rootfs tree turned into the deterministic, ordered list of newc records of ONE
// cpio archive (a single TRAILER!!!, at the very end), cut into segments between entries. Everything that
// decides the output bytes is decided here, from the tree alone: order, inode numbers, nlink, clamped
// mtimes, which record of a hardlink group carries the data, and where segments end.
//
// Each segment is compressed on its own (one gzip member or zstd frame) and the members are concatenated.
// The kernel's loader only needs every member to end on an entry boundary (measured: see
// shared/infra-notes.md), and because there is one archive with one trailer, `cpio -t`, `bsdtar -t`,
// `lsinitramfs` and `unmkinitramfs` read all of it (they stop at the first trailer, so an output made of
// several complete archives looked to them like a fraction of the image).
//
// Segments are content-defined, like rsync's or restic's chunks: where one ends depends on the records
// near the cut, not on the byte offset from the start. Inode numbers come from a hash of the name rather
// than from a counter, so they are unique over the whole archive (every reader keys hardlinks on
// dev+inode across members) and yet a record's bytes do not depend on what precedes it. A rebuild that
// adds or changes one file (a new agent binary) therefore leaves every segment away from it
// byte-identical, and the segment cache can reuse their compressed bytes.
//
// Memory follows the number of names, a few tens of bytes each: the plan keeps the order as typed arrays
// over the tree's own nodes and name strings, and makes a segment's records (header fields, full path)
// only when the writer asks for them, a segment at a time. A million small files would otherwise hold a
// million record objects and path strings at once. No walk recurses: a tree thousands of directories
// deep is walked with an explicit stack, and a path the kernel cannot unpack fails before anything else.




/**
 * Average uncompressed size of a segment. Fixed (never derived from the machine) so the segment
 * boundaries, and therefore the compressed bytes, are the same everywhere. A segment is at least half of
 * it and is cut at twice it at the latest (a single bigger file makes a bigger segment). 8 MiB: on the
 * benchmark image the output is as small as with 16 MiB (gzip sees 32 KiB back, zstd -3 a few MiB), and
 * the segments in flight take some 40 MiB less memory.
 */
const SEGMENT_TARGET = 8 << 20;
/** 32-bit FNV-1a of a byte string: a cheap, stable hash of a record name for choosing cut points. */
const fnv1a = (s) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++)
        h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h >>> 0;
};
/**
 * Inode numbers unique over the whole archive that do not depend on the records before them: a 32-bit
 * hash of the unit's first name, moved to the next free number on the rare collision (in an image of a
 * million names, about one name in 4,300). The kernel, GNU cpio and libarchive key hardlinks on dev+inode (for nlink >= 2)
 * until the trailer, across gzip members and zstd frames, so two units must never share a number; and a
 * counter would renumber every record after an inserted file, which would change every later segment's
 * bytes and defeat the segment cache. 0 is never used (some tools read it as "no inode").
 */
/**
 * The number a name gets unless an earlier name took it: FNV-1a, then murmur3's finaliser, so names that
 * differ in their last byte spread over the whole range and the number is independent of the cut decision
 * (plain FNV-1a of the same name). Never 0.
 */
const inodeHash = (name) => {
    let h = fnv1a(name);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0 || 1;
};
class InodeNumbers {
    // The numbers taken, as an open-addressing hash set in a typed array (0, never a number, marks a free
    // slot; half the slots stay free): 8 bytes a number at most, where a Set of a million numbers takes 40.
    #slots;
    #mask;
    /** For at most `count` numbers. */
    constructor(count) {
        let size = 16;
        while (size < 2 * count)
            size *= 2;
        this.#slots = new Uint32Array(size);
        this.#mask = size - 1;
    }
    /** Takes `ino` unless it is taken; whether it was free. */
    #take(ino) {
        for (let i = ino & this.#mask;; i = (i + 1) & this.#mask) {
            const slot = this.#slots[i];
            if (slot === ino)
                return false;
            if (slot === 0) {
                this.#slots[i] = ino;
                return true;
            }
        }
    }
    next(name) {
        let ino = inodeHash(name);
        while (!this.#take(ino))
            ino = (ino % 0xffff_ffff) + 1;
        return ino;
    }
}
/**
 * Whether a segment that already holds `size` bytes ends after a unit of `unitBytes` bytes whose first
 * name is `name`. Past the minimum, each unit ends the segment with a probability proportional to its
 * bytes (decided by its name's hash, so the same unit decides the same way in every build), which puts
 * cuts on average `target / 2` bytes past the minimum; the maximum bounds the rare long run without one.
 */
const endsSegment = (size, unitBytes, name, target) => {
    const min = target / 2;
    if (size < min)
        return false;
    if (size >= 2 * target)
        return true;
    return fnv1a(name) / 0x1_0000_0000 < unitBytes / (target - min);
};
/** The data of every record that has none (shared: nothing changes it). */
const NO_DATA = Object.freeze({ kind: 'none' });
/**
 * Hardlink groups are only formed for types the kernel links (regular files, devices, fifos): the kernel
 * never links symlinks, so symlinks sharing an Inode are written as independent symlinks.
 */
const linkable = (inode) => inode.type !== 'dir' && inode.type !== 'symlink';
const byteOrder = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/** Byte order of `a.slice(aFrom)` and `b.slice(bFrom)`, without making either. */
const compareFrom = (a, aFrom, b, bFrom) => {
    const n = Math.min(a.length - aFrom, b.length - bFrom);
    for (let k = 0; k < n; k++) {
        const d = a.charCodeAt(aFrom + k) - b.charCodeAt(bFrom + k);
        if (d !== 0)
            return d;
    }
    return a.length - aFrom - (b.length - bFrom);
};
/**
 * A path the kernel would skip (with everything under it, for a directory): the build fails rather
 * than make an initramfs without it. The message names it, shortened, and the way out.
 */
const tooLong = (path, bytes) => new errors/* InitramfsError */.sp('ARCHIVE_LIMIT', `${(0,quote/* quote */.hD)((0,node/* fromBytePath */.cj)(path))}: the path is ${bytes} bytes, ${path.split('/').length} names deep; the kernel ` +
    `unpacks no path over ${newc/* PATH_MAX */.n6 - 1} bytes (PATH_MAX) from an initramfs: leave it out with --exclude`);
/**
 * Every name of the tree, as the order needs them: directories depth-first (parents before children,
 * children in byte order of their names; the root is "." at index 0) with their paths, and every other
 * name as its node, its name in its directory and that directory's index. Walked with an explicit stack,
 * so no depth exhausts the call stack; a path over PATH_MAX fails here, before its deeper paths are made.
 */
class Names {
    dirNodes = [];
    dirPaths = [];
    nodes;
    names;
    parents;
    constructor(root) {
        // Counted first, so the lists are made at their size: grown a push at a time, a million names leave
        // twice their size in discarded copies.
        const others = countOthers(root);
        this.nodes = new Array(others);
        this.names = new Array(others);
        this.parents = new Uint32Array(others);
        let other = 0;
        this.dirNodes.push(root);
        this.dirPaths.push('.');
        const frame = (node, dir) => ({ node, dir, names: [...node.children.keys()].sort(byteOrder), next: 0 });
        const stack = [frame(root, 0)];
        while (stack.length > 0) {
            const top = stack[stack.length - 1];
            if (top.next === top.names.length) {
                stack.pop();
                continue;
            }
            const name = top.names[top.next++];
            const child = top.node.children.get(name);
            const bytes = (top.dir === 0 ? 0 : this.dirPaths[top.dir].length + 1) + name.length;
            if (bytes + 1 > newc/* PATH_MAX */.n6)
                throw tooLong(this.#path(top.dir, name), bytes);
            if (child.inode.type !== 'dir') {
                // Only directories have children in the model (see node.ts); anything else would be written
                // under a path no directory record precedes.
                if (child.children !== undefined)
                    throw new Error(`planArchive: ${this.#path(top.dir, name)} is a ${child.inode.type} with children`);
                this.nodes[other] = child;
                this.names[other] = name;
                this.parents[other++] = top.dir;
                continue;
            }
            const dir = this.dirNodes.length;
            this.dirNodes.push(child);
            this.dirPaths.push(this.#path(top.dir, name));
            if (child.children !== undefined)
                stack.push(frame(child, dir));
        }
    }
    #path(dir, name) {
        return dir === 0 ? name : `${this.dirPaths[dir]}/${name}`;
    }
    /** The archive path of the `i`th non-directory. */
    path(i) {
        return this.#path(this.parents[i], this.names[i]);
    }
}
/** How many names under `root` are not directories (a stack, not recursion: any depth). */
const countOthers = (root) => {
    let count = 0;
    const pending = [root];
    while (pending.length > 0) {
        for (const child of pending.pop().children.values()) {
            if (child.inode.type !== 'dir')
                count++;
            else if (child.children !== undefined)
                pending.push(child);
        }
    }
    return count;
};
/**
 * The non-directories in the order that puts similar content next to each other: the name's suffix from
 * its first dot ("so.6", "py", "gz"; "" for none), then the name itself (every `__init__.py`, every
 * `copyright`), then the path. gzip sees only the last 32 KiB, so neighbours decide the ratio: on the
 * benchmark image this order is 1.0% smaller with gzip and 1.5% with zstd than plain path order.
 * Compared in place, so sorting a million names makes no strings but the paths of equal names.
 */
const contentOrder = (names) => {
    const count = names.nodes.length;
    // Where the base name and its suffix start in each name (a name holds no "/" in the model, but the
    // base name is what is compared); names are at most PATH_MAX bytes here.
    const baseAt = new Uint16Array(count);
    const suffixAt = new Uint16Array(count);
    for (let i = 0; i < count; i++) {
        const name = names.names[i];
        const base = name.lastIndexOf('/') + 1;
        const dot = name.indexOf('.', base);
        baseAt[i] = base;
        suffixAt[i] = dot === -1 ? name.length : dot + 1;
    }
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++)
        order[i] = i;
    return order.sort((a, b) => {
        const na = names.names[a];
        const nb = names.names[b];
        return (compareFrom(na, suffixAt[a], nb, suffixAt[b]) ||
            compareFrom(na, baseAt[a], nb, baseAt[b]) ||
            byteOrder(names.path(a), names.path(b)));
    });
};
const checkPositiveInt = (what, value) => {
    if (!Number.isSafeInteger(value) || value <= 0) {
        throw new errors/* InitramfsError */.sp('USAGE', `${what} must be a positive integer, got ${value}`);
    }
};
/** nlink of a directory: 2 and one for each subdirectory's "..". */
const dirLinks = (node) => {
    let links = 2;
    for (const child of node.children?.values() ?? [])
        if (child.inode.type === 'dir')
            links++;
    return links;
};
/**
 * Plans the archive for `root` (a directory). Throws InitramfsError('ARCHIVE_LIMIT') for an entry newc
 * cannot hold, before anything is written.
 */
const planArchive = (root, options = {}) => {
    if (root.inode.type !== 'dir' || !root.children)
        throw new Error('planArchive: the root must be a directory');
    const epoch = options.sourceDateEpoch;
    if (epoch !== undefined && (!Number.isSafeInteger(epoch) || epoch < 0)) {
        throw new errors/* InitramfsError */.sp('USAGE', `SOURCE_DATE_EPOCH must be a non-negative integer, got ${epoch}`);
    }
    const target = options.segmentTarget ?? SEGMENT_TARGET;
    checkPositiveInt('segment target', target);
    const names = new Names(root);
    const dirs = names.dirNodes.length;
    const others = names.nodes.length;
    const total = dirs + others;
    // The emission order: every directory first, depth-first (the kernel does not create missing parents,
    // so a directory must precede everything in it), then every other name in content order, except that
    // a hardlink group is emitted whole, at the place of its last name (as GNU cpio writes them). `emit`
    // holds the non-directories' indexes in that order; `unitStart` marks where each unit (one record, or
    // a whole group) begins; a group's nlink is its length.
    const emit = new Uint32Array(others);
    const unitStart = new Uint8Array(total);
    unitStart.fill(1, 0, dirs);
    {
        const order = contentOrder(names);
        // Names per linkable inode that has more than one; the Set of those seen once goes with this block.
        const seen = new Set();
        const shared = new Map();
        for (const i of order) {
            const inode = names.nodes[i].inode;
            if (!linkable(inode))
                continue;
            if (seen.has(inode))
                shared.set(inode, (shared.get(inode) ?? 1) + 1);
            else
                seen.add(inode);
        }
        seen.clear();
        const pending = new Map();
        let at = 0;
        for (const i of order) {
            const inode = names.nodes[i].inode;
            const count = shared.get(inode);
            if (count === undefined) {
                unitStart[dirs + at] = 1;
                emit[at++] = i;
                continue;
            }
            const group = pending.get(inode) ?? [];
            group.push(i);
            if (group.length < count) {
                pending.set(inode, group);
                continue;
            }
            pending.delete(inode);
            unitStart[dirs + at] = 1;
            for (const g of group)
                emit[at++] = g;
        }
    }
    const mtimeOf = (inode) => (epoch === undefined ? inode.mtime : Math.min(inode.mtime, epoch));
    /** The record at emission position `pos`; `ino` is 0 while planning, its number when written. */
    const makeRecord = (pos, nlink, withData, ino) => {
        const dir = pos < dirs;
        const node = dir ? names.dirNodes[pos] : names.nodes[emit[pos - dirs]];
        const path = dir ? names.dirPaths[pos] : names.path(emit[pos - dirs]);
        const { inode } = node;
        let filesize = 0;
        let data = NO_DATA;
        if (inode.type === 'symlink') {
            if (inode.target === undefined)
                throw new Error(`planArchive: symlink ${path} has no target`);
            const bytes = Buffer.from(inode.target, 'latin1');
            filesize = bytes.length;
            data = { kind: 'target', bytes };
        }
        else if (inode.type === 'file' && withData && inode.size > 0) {
            if (!inode.data)
                throw new Error(`planArchive: file ${path} has ${inode.size} bytes but no data`);
            if (inode.data.kind === 'bytes' && inode.data.bytes.length !== inode.size) {
                throw new Error(`planArchive: file ${path} has ${inode.data.bytes.length} bytes, inode says ${inode.size}`);
            }
            filesize = inode.size;
            data = { kind: 'file', ref: inode.data };
        }
        const isDev = inode.type === 'char' || inode.type === 'block';
        const entry = {
            name: path,
            ino,
            mode: newc/* TYPE_BITS */.ci[inode.type] | (inode.mode & 0o7777),
            uid: inode.uid,
            gid: inode.gid,
            nlink: dir ? dirLinks(node) : nlink,
            mtime: mtimeOf(inode),
            filesize,
            devmajor: 0,
            devminor: 0,
            rdevmajor: isDev ? (inode.devMajor ?? 0) : 0,
            rdevminor: isDev ? (inode.devMinor ?? 0) : 0,
        };
        (0,newc/* checkEntry */.Tr)(entry);
        return { entry, data };
    };
    /** Where the unit starting at `start` ends: one record, or a whole hardlink group. */
    const unitEnd = (start) => {
        let end = start + 1;
        while (end < total && unitStart[end] === 0)
            end++;
        return end;
    };
    // One number per unit (the records of a hardlink group share it), given in emission order. Every
    // record is made once here, to check it and measure it, and let go.
    const inos = new Uint32Array(total);
    const inodes = new InodeNumbers(total);
    const bounds = [];
    let start = 0;
    let size = 0;
    for (let pos = 0; pos < total;) {
        const end = unitEnd(pos);
        let first = '';
        let unitBytes = 0;
        for (let at = pos; at < end; at++) {
            const { entry } = makeRecord(at, end - pos, at === end - 1, 0);
            if (at === pos)
                first = entry.name;
            unitBytes += (0,newc/* recordSize */.nJ)(Buffer.byteLength(entry.name, 'latin1'), entry.filesize);
        }
        inos.fill(inodes.next(first), pos, end);
        pos = end;
        size += unitBytes;
        if (endsSegment(size, unitBytes, first, target)) {
            bounds.push({ start, end: pos, size });
            start = pos;
            size = 0;
        }
    }
    if (start < total || bounds.length === 0)
        bounds.push({ start, end: total, size });
    // The archive's one trailer closes the last segment, whatever ended it.
    bounds[bounds.length - 1].size += newc/* TRAILER_SIZE */.C;
    function* recordsOf(from, to) {
        for (let pos = from; pos < to;) {
            const end = unitEnd(pos);
            for (let at = pos; at < end; at++)
                yield makeRecord(at, end - pos, at === end - 1, inos[at]);
            pos = end;
        }
    }
    const segments = bounds.map(({ start: from, end: to, size: bytes }, k) => ({
        records: { [Symbol.iterator]: () => recordsOf(from, to) },
        size: bytes,
        last: k === bounds.length - 1,
    }));
    return { segments, entries: total, uncompressedSize: bounds.reduce((sum, b) => sum + b.size, 0) };
};

// EXTERNAL MODULE: ./build/scratch.js + 1 modules
var build_scratch = __webpack_require__(5608);
;// CONCATENATED MODULE: ./build/initramfs/segment-cache.js
// Compressed segments kept from earlier builds, by a key that stands for their uncompressed cpio bytes
// (segmentKey in write.ts: the encoded headers and the identities of the file data): a rebuild whose
// segment is byte-for-byte the same as one built before (the same image with the same options, or the
// segments away from whatever changed) reuses its compressed bytes instead of compressing again, which is
// most of a warm build's time. An entry is used only for the same method, level and compressor build
// (Node's zlib and zstd versions), so it holds exactly what compressing now would give and the output
// stays byte-identical to a cold build. Each entry carries the sha256 of its compressed bytes, checked on
// every read; a bad entry is removed and the segment compressed again. Entries appear by rename only.




const DIGEST_BYTES = 32;
/** The compressor build an entry was made with: a different zlib or zstd may give other bytes. */
const compressorBuild = (compression) => compression === 'gzip' ? `zlib${process.versions.zlib}` : `zstd${process.versions['zstd'] ?? 'unknown'}`;
/**
 * In place, on the main thread (some 10 ms per 8 MiB segment): SubtleCrypto would hash on the threadpool
 * but copies its input first, which costs a segment's worth of memory per segment in flight.
 */
const sha256 = (b) => (0,external_node_crypto_.createHash)('sha256').update(b).digest();
class SegmentCache {
    #dir;
    #cacheDir;
    /** `cacheDir` is the tool's cache; entries live under `segments/<method>-<level>-<compressor build>/`. */
    constructor(cacheDir, compression, level) {
        this.#dir = (0,external_node_path_.join)(cacheDir, 'segments', `${compression}-${level}-${compressorBuild(compression)}`);
        this.#cacheDir = cacheDir;
    }
    /** The compressed bytes stored for `key`, or undefined when absent or damaged (then removed). */
    async get(key) {
        const path = (0,external_node_path_.join)(this.#dir, key);
        let entry;
        try {
            entry = await (0,promises_.readFile)(path);
        }
        catch {
            return undefined;
        }
        const body = entry.subarray(DIGEST_BYTES);
        if (entry.length > DIGEST_BYTES && sha256(body).equals(entry.subarray(0, DIGEST_BYTES)))
            return body;
        await (0,promises_.rm)(path, { force: true });
        return undefined;
    }
    /** Stores `compressed` for `key`. Best effort: a full disk costs the next build time, not this one. */
    async put(key, compressed) {
        let scratch;
        try {
            scratch = (0,build_scratch/* acquireScratch */.xX)(this.#cacheDir);
        }
        catch {
            return;
        }
        // In this process's scratch directory, which a signal, or the next build after a kill, removes.
        const tmp = (0,external_node_path_.join)(scratch.dir, `segment-${key}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`);
        try {
            await (0,promises_.mkdir)(this.#dir, { recursive: true, mode: 0o700 });
            // Two writes rather than a concatenated copy of the segment.
            const fh = await (0,promises_.open)(tmp, 'wx', 0o600);
            try {
                await fh.writev([sha256(compressed), compressed]);
            }
            finally {
                await fh.close();
            }
            await (0,promises_.rename)(tmp, (0,external_node_path_.join)(this.#dir, key));
        }
        catch {
            await (0,promises_.rm)(tmp, { force: true }).catch(() => { });
        }
        finally {
            await scratch.release();
        }
    }
}

;// CONCATENATED MODULE: ./build/initramfs/write.js
// Writes the initramfs: plan → newc records with their file data → segments of one cpio archive (whole
// entries; the last ends with the trailer) → each compressed on its own, concurrently → appended in order
// to the output target (see output.ts: a temporary file fsynced and renamed onto a regular file; a FIFO,
// device or standard output written straight into), hashed as written. On any error the target is
// aborted, so a file output either holds a complete archive or is untouched. Memory stays at a few
// segments, whatever the image size.











/** Read and write size for streamed segments (memory per streamed segment; the bytes do not depend on it). */
const STREAM_CHUNK = 1 << 20;
/**
 * A segment bigger than this many segment targets (it holds a huge file) is streamed through the
 * compressor instead of being assembled in memory, so memory stays at a few segments. Both paths give
 * the same bytes (see compressStream); this only bounds memory.
 */
const IN_MEMORY_FACTOR = 2;
const ZERO_PAD = Buffer.alloc(4);
const openHost = async (path, hostPath, size) => {
    const fail = (why, cause) => new errors/* InitramfsError */.sp('INJECT_SOURCE', `${(0,node/* fromBytePath */.cj)(path)}: cannot read ${hostPath}: ${why}`, { cause });
    let fh;
    try {
        fh = await (0,promises_.open)(hostPath, 'r');
    }
    catch (e) {
        throw fail(e.message, e);
    }
    const checkSize = async () => {
        const now = (await fh.stat()).size;
        if (now !== size)
            throw fail(`its size changed from ${size} to ${now} bytes since it was planned`);
    };
    try {
        await checkSize();
    }
    catch (e) {
        await fh.close();
        throw e;
    }
    return {
        async read(target, targetOffset, position, length) {
            let done = 0;
            while (done < length) {
                let bytesRead;
                try {
                    ({ bytesRead } = await fh.read(target, targetOffset + done, length - done, position + done));
                }
                catch (e) {
                    throw fail(e.message, e);
                }
                if (bytesRead === 0)
                    throw fail(`it ended at ${position + done} bytes, expected ${size}`);
                done += bytesRead;
            }
        },
        async close() {
            try {
                // A file that grew while being read would otherwise be silently cut.
                await checkSize();
            }
            finally {
                await fh.close();
            }
        },
    };
};
const openData = async (path, ref, size) => {
    switch (ref.kind) {
        case 'host':
            return openHost(path, ref.path, size);
        case 'spool':
            return {
                read: async (target, targetOffset, position, length) => ref.spool.readInto(target, targetOffset, ref.offset + position, length),
                close: async () => { },
            };
        case 'bytes':
            return {
                read: async (target, targetOffset, position, length) => {
                    target.set(ref.bytes.subarray(position, position + length), targetOffset);
                },
                close: async () => { },
            };
    }
};
/**
 * Assembles a whole segment in one buffer: its records with their data, and the archive's trailer when it
 * is the last segment. Every segment's bytes are whole newc entries, so each compressed member ends on an
 * entry boundary. `into` (at least `segment.size` bytes, any content) is used when given, else a new
 * buffer; every byte of the result is written here, padding included, so its old content never shows.
 */
const assembleSegment = async (segment, into) => {
    if (into !== undefined && into.length < segment.size)
        throw new Error(`archive: a ${into.length}-byte buffer for a ${segment.size}-byte segment`);
    const buf = (into ?? Buffer.allocUnsafeSlow(segment.size)).subarray(0, segment.size);
    let at = 0;
    for (const record of segment.records) {
        const header = (0,newc/* encodeHeader */.YS)(record.entry); // name, NUL and padding included
        header.copy(buf, at);
        at += header.length;
        const { data, entry } = record;
        if (data.kind === 'target')
            data.bytes.copy(buf, at);
        if (data.kind === 'file') {
            const reader = await openData(entry.name, data.ref, entry.filesize);
            try {
                await reader.read(buf, at, 0, entry.filesize);
            }
            finally {
                await reader.close();
            }
        }
        at += entry.filesize;
        // Zero padding: the bytes must not depend on what the buffer held before.
        const pad = (0,newc/* pad4 */.ib)(entry.filesize);
        buf.fill(0, at, at + pad);
        at += pad;
    }
    if (segment.last) {
        const trailer = (0,newc/* encodeTrailer */.CH)();
        trailer.copy(buf, at);
        at += trailer.length;
    }
    if (at !== segment.size)
        throw new Error(`archive: segment assembled to ${at} bytes, planned ${segment.size}`);
    return buf;
};
/** Tags the preimage of segment keys: a change to what the key covers must change it. */
const SEGMENT_KEY_FORMAT = 'initramfs-action segment key/1';
/**
 * The segment cache's key for a segment: the sha256 of everything that decides its bytes, with the file
 * data named instead of read where its name is as good as its bytes. Headers (with their padding) and
 * symlink targets go in as they are encoded; spooled data as its layer's verified digest, the spool
 * layout and its offset there (a function of that digest, see spool.ts); injected host files and
 * generated files by their content. A warm build thus finds a segment's compressed bytes without reading
 * or hashing the megabytes it holds, and two segments with the same key have the same bytes.
 */
const segmentKey = async (segment) => {
    const hash = (0,external_node_crypto_.createHash)('sha256').update(`${SEGMENT_KEY_FORMAT}\0${image_spool/* SPOOL_LAYOUT */.d}\0`);
    const field = (text) => {
        hash.update(`${text.length}:${text}`);
    };
    for (const { entry, data } of segment.records) {
        hash.update((0,newc/* encodeHeader */.YS)(entry));
        if (data.kind === 'target')
            hash.update(data.bytes);
        if (data.kind !== 'file')
            continue;
        const { ref } = data;
        if (ref.kind === 'spool') {
            field(`spool ${ref.spool.source} ${ref.offset} ${entry.filesize}`);
        }
        else {
            // A host file or generated bytes: by content, read in pieces (an injected file may be large).
            field(`content ${entry.filesize}`);
            const reader = await openData(entry.name, ref, entry.filesize);
            try {
                const chunk = Buffer.allocUnsafe(Math.min(STREAM_CHUNK, entry.filesize));
                for (let pos = 0; pos < entry.filesize; pos += chunk.length) {
                    const n = Math.min(chunk.length, entry.filesize - pos);
                    await reader.read(chunk, 0, pos, n);
                    hash.update(chunk.subarray(0, n));
                }
            }
            finally {
                await reader.close();
            }
        }
    }
    if (segment.last)
        field('trailer');
    return hash.digest('hex');
};
/** The bytes of one record in fixed-size pieces, for streamed segments. */
async function* recordChunks(record) {
    const { entry, data } = record;
    yield (0,newc/* encodeHeader */.YS)(entry);
    if (data.kind === 'target')
        yield data.bytes;
    if (data.kind === 'file') {
        const reader = await openData(entry.name, data.ref, entry.filesize);
        try {
            for (let pos = 0; pos < entry.filesize; pos += STREAM_CHUNK) {
                const chunk = Buffer.alloc(Math.min(STREAM_CHUNK, entry.filesize - pos));
                await reader.read(chunk, 0, pos, chunk.length);
                yield chunk;
            }
        }
        finally {
            await reader.close();
        }
    }
    const pad = (0,newc/* pad4 */.ib)(entry.filesize);
    if (pad > 0)
        yield ZERO_PAD.subarray(0, pad);
}
async function* segmentChunks(segment) {
    for (const record of segment.records)
        yield* recordChunks(record);
    if (segment.last)
        yield (0,newc/* encodeTrailer */.CH)();
}
/** The output: appends in order, hashing and counting what it writes. */
class Sink {
    #target;
    #hash = (0,external_node_crypto_.createHash)('sha256');
    size = 0;
    constructor(target) {
        this.#target = target;
    }
    async write(buf) {
        this.#hash.update(buf);
        await this.#target.write(buf);
        this.size += buf.length;
    }
    digest() {
        return `sha256:${this.#hash.digest('hex')}`;
    }
}
/**
 * Joins small pieces (headers, padding, small files) into writes of about `size` bytes: fewer round trips
 * to the threadpool. The compressed bytes do not depend on how the input is split, so this is free.
 */
async function* coalesce(chunks, size) {
    let parts = [];
    let held = 0;
    for await (const chunk of chunks) {
        parts.push(chunk);
        held += chunk.length;
        if (held >= size) {
            yield parts.length === 1 ? parts[0] : Buffer.concat(parts, held);
            parts = [];
            held = 0;
        }
    }
    if (held > 0)
        yield Buffer.concat(parts, held);
}
/** Streams one oversized segment through its compressor straight into the sink, reporting input fed. */
const streamSegment = async (segment, compression, level, sink, onInput) => {
    async function* input() {
        for await (const chunk of coalesce(segmentChunks(segment), STREAM_CHUNK)) {
            yield chunk;
            onInput(chunk.length);
        }
    }
    if (compression === 'none') {
        for await (const chunk of input())
            await sink.write(chunk);
        return;
    }
    await (0,compress/* compressStream */.fR)(input(), compression, level, segment.size, (chunk) => sink.write(chunk));
};
/**
 * Writes the initramfs for `root` to `options.output` and returns its digest and sizes. The bytes depend
 * only on the tree and the options that shape them (compression, level, sourceDateEpoch, segmentTarget).
 */
const writeArchive = async (root, options) => {
    const { compression, reporter } = options;
    const level = (0,compress/* resolveLevel */.XC)(compression, options.level);
    const segmentTarget = options.segmentTarget ?? SEGMENT_TARGET;
    const concurrency = options.concurrency ?? (0,external_node_os_.availableParallelism)() + 1;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
        throw new errors/* InitramfsError */.sp('USAGE', `concurrency must be a positive integer, got ${concurrency}`);
    }
    const plan = planArchive(root, { sourceDateEpoch: options.sourceDateEpoch, segmentTarget });
    const inMemoryLimit = IN_MEMORY_FACTOR * segmentTarget;
    reporter?.stage('archive', `writing ${plan.entries} entries in ${plan.segments.length} segment(s), ${compression}${compression === 'none' ? '' : ` level ${level}`}`, plan.uncompressedSize);
    let target;
    try {
        target = await (0,output/* openOutput */.c1)(options.output);
        const sink = new Sink(target);
        const cache = compression === 'none' || options.cacheDir === undefined ? undefined : new SegmentCache(options.cacheDir, compression, level);
        let reused = 0;
        let doneBytes = 0;
        // Segment buffers are reused once their segment is written: fresh memory costs a page fault per 4 KiB
        // on first touch, which on a virtual machine made filling new buffers take 25 times as long as
        // filling used ones (700 ms against 30 ms for the 240 MB of the benchmark image). At most `concurrency`
        // of them exist, each large enough for any segment held in memory.
        const spare = [];
        const assemble = (segment, job) => {
            job.buffer = spare.pop() ?? Buffer.allocUnsafeSlow(inMemoryLimit);
            return assembleSegment(segment, job.buffer);
        };
        const compressCached = async (segment, job, c) => {
            const key = await segmentKey(segment);
            const hit = await c.get(key);
            if (hit) {
                reused++;
                return hit;
            }
            const compressed = await (0,compress/* compressSegment */.qx)(await assemble(segment, job), compression, level);
            await c.put(key, compressed);
            return compressed;
        };
        const inflight = [];
        const writeOldest = async () => {
            const next = inflight.shift();
            await sink.write(await next.compressed);
            // Compressed (or, for 'none', written): the raw bytes are no longer needed.
            if (next.buffer)
                spare.push(next.buffer);
            doneBytes += next.rawSize;
            reporter?.progress('archive', doneBytes);
        };
        for (const segment of plan.segments) {
            if (segment.size > inMemoryLimit) {
                while (inflight.length > 0)
                    await writeOldest();
                await streamSegment(segment, compression, level, sink, (bytes) => {
                    doneBytes += bytes;
                    reporter?.progress('archive', doneBytes);
                });
                continue;
            }
            const job = { compressed: Promise.resolve(Buffer.alloc(0)), rawSize: segment.size };
            if (cache) {
                job.compressed = compressCached(segment, job, cache);
            }
            else {
                // Assembled here, one at a time: the main thread reads while earlier segments compress.
                const raw = await assemble(segment, job);
                job.compressed = (0,compress/* compressSegment */.qx)(raw, compression, level);
            }
            // Handled here so a failure is not "unhandled" while we wait on an older segment; awaited in order.
            job.compressed.catch(() => { });
            inflight.push(job);
            while (inflight.length >= concurrency)
                await writeOldest();
        }
        while (inflight.length > 0)
            await writeOldest();
        await target.commit();
        const result = {
            digest: sink.digest(),
            size: sink.size,
            level: compression === 'none' ? null : level,
            entries: plan.entries,
            uncompressedSize: plan.uncompressedSize,
        };
        const reuse = reused > 0 ? `, ${reused} of ${plan.segments.length} segment(s) reused from the cache` : '';
        reporter?.done('archive', `${target.display}: ${result.size} bytes (${plan.uncompressedSize} uncompressed)${reuse}, ${result.digest}`);
        return result;
    }
    catch (e) {
        await target?.abort();
        throw e;
    }
};

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./build/preflight.js
// Everything about a build that can be checked on this machine is checked before the first byte is pulled:
// a wrong level, a bad exclude, an output that cannot be written, an inject source that is missing or
// unreadable, or an --init the kernel cannot execute would otherwise surface only after a long pull and
// assembly. build() runs this first, so the CLI, the action and library callers all get it. Nothing here
// writes anything that stays, except the tool's own cache directory.











/** Runs every local check; throws the first failure as an InitramfsError (USAGE, IO or INJECT_SOURCE). */
async function preflight(opts) {
    // Malformed values first (USAGE), then what is on disk.
    const platform = (0,image_platform/* parsePlatform */.Y8)(opts.platform);
    (0,compress/* resolveLevel */.XC)(opts.compression, opts.level);
    compileExcludes(opts.exclude);
    await (0,output/* checkOutput */.yr)(opts.output, opts.stdout === undefined ? {} : { stdout: opts.stdout });
    // The same code that injects after the pull walks every source now, into a model that is thrown away:
    // each file is stat'ed and opened, each directory listed, so the errors are exactly the ones the build
    // would give. No file data is read.
    const scratch = (0,node/* newDir */.s9)();
    for (const spec of opts.inject)
        await (0,overlay/* injectPath */.bm)(scratch, spec);
    if (opts.init !== undefined) {
        await (0,overlay/* setInit */.Zg)(scratch, opts.init);
        await checkInitExecutable(opts.init, platform);
    }
    await checkCacheDir(opts.cacheDir);
}
async function checkCacheDir(cacheDir) {
    try {
        await (0,promises_.mkdir)(cacheDir, { recursive: true, mode: 0o700 });
        await (0,promises_.access)(cacheDir, external_node_fs_.constants.W_OK | external_node_fs_.constants.X_OK);
    }
    catch (e) {
        const code = e.code;
        throw new errors/* InitramfsError */.sp('IO', `cache directory ${(0,quote/* quote */.hD)(cacheDir)}: cannot be written (${code ?? e.message}); pass --cache-dir DIR`, { cause: e });
    }
}
/** The kernel reads this much of a file to decide how to run it (BINPRM_BUF_SIZE). */
const BINPRM_BUF_SIZE = 256;
// ELF e_machine values (elf.h) and how messages name them.
const MACHINE_NAMES = {
    3: 'x86 (i386)',
    8: 'MIPS',
    20: 'PowerPC',
    21: 'PowerPC 64-bit',
    22: 's390',
    40: 'ARM',
    62: 'x86-64',
    183: 'AArch64',
    243: 'RISC-V',
    258: 'LoongArch',
};
/** e_machine values a kernel for each OCI architecture runs (its own, and its 32-bit compat ABI). */
const MACHINES_FOR_ARCH = {
    amd64: [62, 3],
    '386': [3],
    arm64: [183, 40],
    arm: [40],
    riscv64: [243],
    ppc64le: [21],
    ppc64: [21],
    s390x: [22],
    loong64: [258],
    mips: [8],
    mipsle: [8],
    mips64: [8],
    mips64le: [8],
};
const ET_EXEC = 2;
const ET_DYN = 3;
/** The first bytes of a file for a message: printable text quoted, control characters escaped. */
const preview = (head) => (0,quote/* quote */.hD)(head.subarray(0, 16).toString('latin1'));
/**
 * Throws INJECT_SOURCE unless the kernel can execute `hostPath` as /init on `platform`: an ELF executable
 * (or PIE) for the platform's architecture, or a `#!` script whose interpreter line the kernel can read.
 * Anything else boots to "Failed to execute /init (error -8)" (ENOEXEC); a `#!/bin/sh\r` line boots to
 * error -2, the interpreter not found. Whether a script's interpreter exists is known only after the pull.
 */
async function checkInitExecutable(hostPath, platform) {
    const fail = (why) => new errors/* InitramfsError */.sp('INJECT_SOURCE', `--init ${(0,quote/* quote */.hD)(hostPath)}: the kernel cannot execute it: ${why}`);
    const expected = `expected an ELF executable for ${(0,types/* formatPlatform */.B)(platform)} or a script starting with #!`;
    let head;
    try {
        const fh = await (0,promises_.open)(hostPath, 'r');
        try {
            const buf = Buffer.alloc(BINPRM_BUF_SIZE);
            const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
            head = buf.subarray(0, bytesRead);
        }
        finally {
            await fh.close();
        }
    }
    catch (e) {
        throw new errors/* InitramfsError */.sp('INJECT_SOURCE', `--init ${(0,quote/* quote */.hD)(hostPath)}: cannot be read (${e.code ?? e.message})`, { cause: e });
    }
    if (head.length === 0)
        throw fail(`it is empty; ${expected}`);
    if (head[0] === 0x23 && head[1] === 0x21) {
        // binfmt_script: spaces and tabs after #!, then the interpreter up to a space, tab, NUL or newline.
        const newline = head.indexOf(0x0a);
        const line = head.subarray(2, newline < 0 ? head.length : newline).toString('latin1');
        const interpreter = /^[ \t]*([^ \t\0]*)/.exec(line)[1];
        if (interpreter === '')
            throw fail('its #! line names no interpreter');
        if (line.endsWith('\r')) {
            const part = interpreter.endsWith('\r') ? `the interpreter ${(0,quote/* quote */.hD)(interpreter)}` : 'the last argument';
            throw fail(`its #! line ends in a carriage return (Windows line endings), which the kernel keeps in ${part}; convert the file to LF line endings`);
        }
        if (newline < 0 && head.length === BINPRM_BUF_SIZE && /^[ \t]*[^ \t\0]*$/.test(line)) {
            throw fail(`its #! line is longer than the ${BINPRM_BUF_SIZE - 1} bytes the kernel reads`);
        }
        return;
    }
    if (head.length >= 4 && head.readUInt32BE(0) === 0x7f454c46) {
        if (head.length < 20 || (head[4] !== 1 && head[4] !== 2) || (head[5] !== 1 && head[5] !== 2)) {
            throw fail(`its ELF header is truncated or malformed; ${expected}`);
        }
        const le = head[5] === 1;
        const type = le ? head.readUInt16LE(16) : head.readUInt16BE(16);
        const machine = le ? head.readUInt16LE(18) : head.readUInt16BE(18);
        if (type !== ET_EXEC && type !== ET_DYN) {
            throw fail(`it is an ELF ${type === 1 ? 'object file (.o)' : type === 4 ? 'core dump' : `file of type ${type}`}, not an executable`);
        }
        const allowed = MACHINES_FOR_ARCH[platform.architecture];
        if (allowed !== undefined && !allowed.includes(machine)) {
            const name = MACHINE_NAMES[machine] ?? `machine ${machine}`;
            throw fail(`it is an ELF executable for ${name}, and the platform is ${(0,types/* formatPlatform */.B)(platform)}; build it for the platform or pass --platform`);
        }
        return;
    }
    if (head[0] === 0x4d && head[1] === 0x5a)
        throw fail(`it is a Windows (PE) executable; ${expected}`);
    const magic = head.length >= 4 ? head.readUInt32BE(0) : 0;
    if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) {
        throw fail(`it is a macOS (Mach-O) executable; ${expected}`);
    }
    throw fail(`${expected}, and it starts with ${preview(head)}`);
}

;// CONCATENATED MODULE: ./build/build.js
// The pipeline: image reference → resolved image → layers read (in parallel, bytes spooled) → rootfs model
// (layers applied oldest first) → overlay (excludes, injected files, /init, boot entries) → archive written
// atomically → report. Every local input is checked first (preflight.ts), before any byte is pulled. The
// shells (CLI, action) only turn their inputs into BuildOptions and render the Reporter's events. What the
// build keeps in the cache meanwhile is in this process's scratch directory (scratch.ts); the build first
// removes what dead builds left there.























/** Layers are read two at a time: decompression runs on the threadpool while the tar parses here. */
const LAYER_CONCURRENCY = 2;
async function build(opts) {
    const { reporter } = opts;
    await preflight(opts);
    // Local like the rest of preflight: a missing module is said before any byte is pulled.
    const modules = opts.modules && opts.modules.names.length > 0
        ? await selectModules(opts.modules.dir, opts.modules.names, (0,image_platform/* parsePlatform */.Y8)(opts.platform).architecture)
        : undefined;
    await (0,build_scratch/* sweepDeadScratch */.jz)(opts.cacheDir, (m) => reporter.info(m));
    reporter.stage('resolve', `resolving ${opts.image}`);
    const platform = (0,image_platform/* parsePlatform */.Y8)(opts.platform);
    const source = await (0,image_source/* openSource */.oD)(opts.image, { cacheDir: opts.cacheDir, reporter, client: opts.registry, sharedCache: opts.sharedCache });
    try {
        return await buildFrom(source, platform, opts, modules);
    }
    finally {
        await source.close?.();
    }
}
async function buildFrom(source, platform, opts, modules) {
    const { reporter } = opts;
    const image = await source.resolve(platform);
    const layerCount = `${image.layers.length} layer${image.layers.length === 1 ? '' : 's'}`;
    reporter.done('resolve', `${image.reference} ${(0,types/* formatPlatform */.B)(image.platform)}${image.digest ? ' ' + image.digest : ''}, ${layerCount}`);
    const scratch = (0,build_scratch/* acquireScratch */.xX)(opts.cacheDir);
    const work = await (0,promises_.mkdtemp)((0,external_node_path_.join)(scratch.dir, 'build-'));
    const spools = [];
    try {
        const root = (0,node/* newDir */.s9)();
        await readLayers(image, root, work, spools, reporter);
        reporter.stage('rootfs', 'assembling the rootfs');
        applyExcludes(root, opts.exclude);
        for (const spec of opts.inject)
            await (0,overlay/* injectPath */.bm)(root, spec);
        if (modules)
            installModules(root, modules);
        const init = await installInit(root, image, opts, modules, work);
        (0,overlay/* ensureBootEntries */.tm)(root);
        const largest = largestDirectories(root, { depth: 2, count: 8 });
        const space = measureSpace(root, spools, modules);
        reporter.done('rootfs', 'rootfs assembled');
        const written = await writeArchive(root, {
            output: opts.output,
            compression: opts.compression,
            level: opts.level,
            sourceDateEpoch: opts.sourceDateEpoch,
            cacheDir: opts.cacheDir,
            reporter,
        });
        return {
            digest: written.digest,
            size: written.size,
            output: opts.output,
            compression: opts.compression,
            level: written.level,
            image: { reference: image.reference, digest: image.digest ?? null, platform: (0,types/* formatPlatform */.B)(image.platform) },
            layers: image.layers.map((l) => ({ digest: l.digest, size: l.size })),
            entries: written.entries,
            uncompressedSize: written.uncompressedSize,
            largestDirectories: largest,
            space,
            init,
        };
    }
    finally {
        for (const s of spools)
            s.dispose();
        await (0,promises_.rm)(work, { recursive: true, force: true });
        await scratch.release();
    }
}
/**
 * Reads the layers into `root`, applying each as soon as it and every older one are read: a layer's
 * entries are let go once applied, so memory holds the tree and at most LAYER_CONCURRENCY layers' entry
 * lists, not every entry of every layer. A layer is not started before the one LAYER_CONCURRENCY places
 * older is applied, which bounds the lists a slow old layer makes the newer ones wait with.
 */
async function readLayers(image, root, work, spools, reporter) {
    const total = image.layers.reduce((n, l) => n + l.size, 0);
    const count = `${image.layers.length} layer${image.layers.length === 1 ? '' : 's'}`;
    reporter.stage('layers', `reading ${count}`, total);
    let done = 0;
    const reading = new Map();
    let next = 0;
    const start = (i) => {
        const layer = image.layers[i];
        const spool = new image_spool/* SpoolFile */.e((0,external_node_path_.join)(work, `layer-${i}.spool`), layer.digest);
        // In layer order: layers start oldest first, so a spool's index is its layer's (measureSpace).
        spools.push(spool);
        const entries = (0,read_layer/* readLayer */.w)(layer, spool, reporter).then((e) => {
            spool.flush();
            done += layer.size;
            reporter.progress('layers', done);
            return e;
        });
        // Awaited in layer order below; this keeps a later layer's failure from being "unhandled" meanwhile.
        entries.catch(() => { });
        reading.set(i, entries);
    };
    try {
        for (let i = 0; i < image.layers.length; i++) {
            while (next < image.layers.length && next < i + LAYER_CONCURRENCY)
                start(next++);
            const entries = await reading.get(i);
            reading.delete(i);
            // Oldest first, as the OCI spec applies them.
            (0,apply_layer/* applyLayer */.c)(root, entries, { layer: image.layers[i].digest, reporter });
        }
    }
    catch (e) {
        // Every read still going is waited for: the caller disposes the spools next, and a read still writing
        // would then write through a closed (perhaps reused) file descriptor.
        await Promise.allSettled(reading.values());
        throw e;
    }
    reporter.done('layers', `read ${count}`);
}
/**
 * The report's `space`: where the file data is, and which layer (by the spool its bytes are in; the same
 * digest can be two layers of one image, so by position) or which part of the build it came from. Kernel
 * modules are the host's even when the build decompressed them into memory: their DataRefs are the
 * module set's own objects, which installModules puts in the tree as they are.
 */
function measureSpace(root, spools, modules) {
    const layerOf = new Map(spools.map((spool, i) => [spool, i]));
    const fromModules = new Set(modules?.files.map((f) => f.data) ?? []);
    const origin = (inode) => {
        const data = inode.data;
        if (data?.kind === 'spool') {
            const layer = layerOf.get(data.spool);
            if (layer !== undefined)
                return layer;
        }
        if (data?.kind === 'host' || (data !== undefined && fromModules.has(data)))
            return 'injected';
        return 'generated';
    };
    const use = spaceUse(root, origin);
    return {
        fileBytes: use.fileBytes,
        directories: use.slices,
        layers: spools.map((_, i) => use.origins.get(i) ?? 0),
        injected: use.origins.get('injected') ?? 0,
        generated: use.origins.get('generated') ?? 0,
    };
}
/**
 * `/init`: the user's file, else the image's own, else one generated from the image config. The generated
 * one runs on a static busybox from the init-tools image, always (not only when the image lacks a shell):
 * the same init then behaves the same on every image, needs nothing from it, and stays out of its PATH.
 */
async function installInit(root, image, opts, modules, work) {
    const moduleReport = modules ? { version: modules.version, names: modules.names, builtin: modules.builtin } : null;
    const given = (kind) => {
        if (modules)
            opts.reporter.info(`kernel modules copied to /lib/modules/${modules.version}; the ${kind === 'given' ? '--init given' : "image's own /init"} loads them, not the tool`);
        return { kind, network: null, onExit: null, user: null, modules: moduleReport, tools: null };
    };
    if (opts.init !== undefined) {
        await (0,overlay/* setInit */.Zg)(root, opts.init);
        return given('given');
    }
    if ((0,tree/* lookup */.$I)(root, '/init', { follow: true })?.inode.type === 'file') {
        // Not --init-tools: it also comes from the environment, as a default for whichever builds need it.
        const options = [opts.network && '--network', opts.onExit && '--on-exit'].filter(Boolean);
        if (options.length > 0) {
            throw new errors/* InitramfsError */.sp('USAGE', `image ${image.reference} has its own /init, which ${options.join(' and ')} cannot reach (they shape a generated /init): ` +
                'drop them, or add --exclude /init to replace the image\'s /init with a generated one');
        }
        opts.reporter.info("using the image's own /init");
        return given('image');
    }
    const network = opts.network ?? 'cmdline';
    const onExit = opts.onExit ?? 'poweroff';
    const user = resolveUser(root, image.config.User, read_node/* readNodeBytes */.WM);
    const script = (0,init_script/* generateInit */.sj)(image.config, {
        hostname: init_script/* DEFAULT_HOSTNAME */.qN,
        network,
        onExit,
        modules: modules?.loadOrder ?? [],
        ...(user ? { user } : {}),
    });
    const { reporter } = opts;
    // The tools image reports what it pulls and warns like the main image, without a progress stage of its own.
    const quiet = { stage() { }, progress() { }, done() { }, warn: (m) => reporter.warn(m), info: (m) => reporter.info(m) };
    const tools = await (0,init_tools/* loadInitTools */.uD)(opts.initTools ?? init_tools/* DEFAULT_INIT_TOOLS */.zd, image.platform, {
        source: { cacheDir: opts.cacheDir, reporter: quiet, client: opts.registry, sharedCache: opts.sharedCache },
        work,
    });
    (0,overlay/* setGeneratedFile */.Qi)(root, init_script/* BUSYBOX_PATH */.VE, tools.busybox, 0o755);
    (0,overlay/* setGeneratedFile */.Qi)(root, init_script/* UDHCPC_SCRIPT_PATH */.Q$, Buffer.from((0,init_script/* udhcpcScript */.Hw)(), 'utf8'), 0o755);
    (0,overlay/* setGeneratedFile */.Qi)(root, '/init', Buffer.from(script, 'utf8'), 0o755);
    // Docker creates a missing WorkingDir before it starts the command; so does the archive.
    if (image.config.WorkingDir) {
        const wd = (0,path/* normalisePath */.q)((0,node/* toBytePath */.xe)(image.config.WorkingDir));
        if (wd.ok)
            (0,tree/* resolveDir */.m$)(root, wd.components, true);
    }
    // Short: a progress line on an 60-column terminal. The tools image and its digest are in the report.
    reporter.info(`generated /init: network ${network}, on exit ${onExit}`);
    return {
        kind: 'generated',
        network,
        onExit,
        user: user ? `${user.uid}:${user.gid}` : null,
        modules: moduleReport,
        tools: { reference: tools.reference, digest: tools.digest },
    };
}


/***/ }),

/***/ 5480:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JS: () => (/* binding */ writeChecksumFile)
/* harmony export */ });
/* unused harmony exports checksumPath, checksumLine */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var _host_path_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5670);
/* harmony import */ var _output_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3635);
// `<archive>.sha256` beside the archive, in the format `sha256sum` writes and `sha256sum -c` checks: the hex
// digest, two spaces (text mode, as GNU writes by default), the file's name. The name is the basename, so
// the pair can be downloaded together anywhere and checked there: `x.cpio.gz` for `C:\out\x.cpio.gz` on
// a Windows runner too, never the Windows path. Written atomically like the archive.



/** The checksum file's name for an archive path. */
const checksumPath = (archive) => `${archive}.sha256`;
/**
 * The `sha256sum` line for `file` (a path on `platform`) with `digest` (`sha256:<hex>`). GNU escapes a
 * name holding a backslash or a newline: the line then starts with a backslash, and those characters are
 * written `\\` and `\n` (a base name on Windows holds neither).
 */
function checksumLine(digest, file, platform = process.platform) {
    const hex = digest.replace(/^sha256:/, '');
    const name = (0,_host_path_js__WEBPACK_IMPORTED_MODULE_1__/* .pathFor */ .p0)(platform).basename(file);
    if (!/[\\\n]/.test(name))
        return `${hex}  ${name}\n`;
    return `\\${hex}  ${name.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}\n`;
}
/**
 * Writes `<archive>.sha256` for `archive` (whose sha256 is `digest`) and returns its path. `as` names the
 * archive as it will be downloaded when that is another name (an artifact carries the artifact's name):
 * the file is then `<dir>/<as>.sha256` and its line names `as`.
 */
async function writeChecksumFile(archive, digest, as) {
    const named = as === undefined ? archive : (0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(as.dir, as.name);
    const path = checksumPath(named);
    await (0,_output_js__WEBPACK_IMPORTED_MODULE_2__/* .writeOutputFile */ .BF)(path, checksumLine(digest, named), { label: 'checksums', text: true });
    return path;
}


/***/ }),

/***/ 4704:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lx: () => (/* binding */ exitOnSignals),
/* harmony export */   QF: () => (/* binding */ removeOnSignal),
/* harmony export */   v5: () => (/* binding */ sayOn)
/* harmony export */ });
/* unused harmony exports CLEANUP_SIGNALS, registeredPaths, removeRegisteredNow */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
// What this process removes when a signal ends it. The core registers each thing it creates on disk for a
// while (the output's temporary file, its scratch directory in the cache) for exactly as long as it
// exists; the shells (CLI, action) install the handlers. On SIGINT, SIGTERM or SIGHUP every registered path
// is removed, synchronously and on the main thread, and the process then dies of the same signal: its
// parent sees an interrupted command (a shell's `$?` is 128 + the signal's number: 130, 143, 129), and a
// shell script or loop around it stops, as it does for any command interrupted by Ctrl-C (bash waits to
// see whether the child died of SIGINT before it stops the loop itself; an ordinary exit 130 would let it
// go on to the next iteration).
//
// Removing on the main thread leaves no window: a JavaScript handler runs between two callbacks of the
// event loop, never inside one, so a path registered in the same callback that created it is always seen.
// What the threadpool may be doing meanwhile (a file being created inside the scratch directory) fails
// once the directory is gone, which is why everything a build keeps in the cache lives inside one.


/** The signals that end a build with its temporary files removed. */
const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Registered paths; one entry per registration, so a path registered twice stays until both are released. */
const registered = new Map();
/**
 * Registers `path` (a file or a directory, removed with its contents) to be removed if a signal ends the
 * process. Returns the function that unregisters it, to call once the path is gone or has become a
 * result (an output renamed into place).
 */
function removeOnSignal(path) {
    const token = Symbol(path);
    registered.set(token, path);
    return () => {
        registered.delete(token);
    };
}
/** The paths registered now (for tests). */
const registeredPaths = () => [...new Set(registered.values())];
/**
 * Removes every registered path, now, without throwing: a path that cannot be removed (gone already, a
 * file still open on Windows) is skipped. A directory that something on the threadpool is filling at
 * this very moment may refuse to go (ENOTEMPTY) once: it is tried again.
 */
function removeRegisteredNow() {
    for (const path of new Set(registered.values())) {
        for (let attempt = 0; attempt < 3; attempt++) {
            try {
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(path, { recursive: true, force: true });
                break;
            }
            catch {
                // ENOTEMPTY while a file appears in it: once more; anything else: nothing more can be done here.
            }
        }
    }
    registered.clear();
}
/**
 * Installs the handlers of SIGINT, SIGTERM and SIGHUP: remove every registered path, write `interrupted
 * by SIG…` through `say` (which must not throw), then die of the same signal. Where a process cannot
 * (Windows), or when another listener keeps the signal from being fatal, the exit status is 128 + the
 * signal's number instead, which is what a shell reports for a process killed by it.
 */
function exitOnSignals(say) {
    const handlers = new Map();
    for (const signal of CLEANUP_SIGNALS) {
        const handler = () => {
            removeRegisteredNow();
            say(`interrupted by ${signal}; temporary files removed`);
            const status = 128 + node_os__WEBPACK_IMPORTED_MODULE_1__.constants.signals[signal];
            for (const [s, h] of handlers)
                process.off(s, h);
            if (process.platform !== 'win32') {
                try {
                    // Without a listener, Node restores the default action, and the signal ends the process here.
                    process.kill(process.pid, signal);
                }
                catch {
                    // cannot signal ourselves: the exit below says the same
                }
            }
            process.exit(status);
        };
        handlers.set(signal, handler);
        process.on(signal, handler);
    }
}
/** A `say` for exitOnSignals: one line on descriptor `fd`, written before the process dies, errors ignored. */
const sayOn = (fd, before = '') => (line) => {
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeSync)(fd, `${before}${line}\n`);
    }
    catch {
        // a closed terminal (SIGHUP) or a full pipe: the exit status still says it
    }
};


/***/ }),

/***/ 7596:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  u_: () => (/* binding */ USAGE),
  RM: () => (/* binding */ parseCommand)
});

// UNUSED EXPORTS: defaultCacheDir

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./build/errors.js
var errors = __webpack_require__(9473);
// EXTERNAL MODULE: ./build/host-path.js
var host_path = __webpack_require__(5670);
// EXTERNAL MODULE: ./build/rootfs/overlay.js
var overlay = __webpack_require__(3682);
// EXTERNAL MODULE: ./build/initramfs/compress.js
var compress = __webpack_require__(1304);
// EXTERNAL MODULE: ./build/output.js
var build_output = __webpack_require__(3635);
// EXTERNAL MODULE: ./build/quote.js
var quote = __webpack_require__(9692);
;// CONCATENATED MODULE: ./build/source-date-epoch.js
// SOURCE_DATE_EPOCH (reproducible-builds.org): the environment variable that clamps every mtime in the
// archive. Read by both shells, so both reject the same bad values with the same message.

function parseSourceDateEpoch(value) {
    if (value === undefined || value === '')
        return undefined;
    if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
        throw new errors/* InitramfsError */.sp('USAGE', `SOURCE_DATE_EPOCH '${value}': expected whole seconds since 1970 (0 to 4294967295)`);
    }
    return Number(value);
}

// EXTERNAL MODULE: ./build/duration.js
var duration = __webpack_require__(3110);
// EXTERNAL MODULE: ./build/did-you-mean.js
var did_you_mean = __webpack_require__(1437);
// EXTERNAL MODULE: ./build/initramfs/init-tools.js
var init_tools = __webpack_require__(5652);
// EXTERNAL MODULE: ./build/cli/boot-args.js
var boot_args = __webpack_require__(1391);
;// CONCATENATED MODULE: ./build/cli/args.js
// argv → a typed command. Parsing is Node's own util.parseArgs; this file adds the meaning: defaults,
// the compression inferred from the output name, and messages that name the option and the form it takes.













const USAGE = `Usage:
  initramfs-action build IMAGE -o FILE [options]   turn a container image into an initramfs
  initramfs-action inspect IMAGE [--platform P]     show platforms, config and layers
  initramfs-action boot ARCHIVE --kernel FILE       boot an initramfs under QEMU (boot --help)
  initramfs-action --help | --version

IMAGE:
  NAME[:TAG][@DIGEST]        an image in a registry: alpine, python:3.12-alpine, ghcr.io/o/r@sha256:...
                             (docker://NAME as skopeo writes it is the same)
  oci:DIR[:REF]              an OCI image layout directory (skopeo copy ... oci:DIR:REF)
  oci-archive:FILE[:REF]     an OCI layout in a tar (buildx --output type=oci,dest=FILE,
                             skopeo copy ... oci-archive:FILE:REF); plain, gzip or zstd
  docker-archive:FILE[:REF]  a tar written by docker save; plain, gzip or zstd (docker save IMG | gzip)

Build options:
  -o, --output FILE          the archive to write: a file (written atomically; a symlink is followed and
                             kept; missing directories are created), - for standard output, or a FIFO or
                             device such as /dev/null (written into)
  -c, --compression C        gzip, zstd or none; FILE's .gz/.zst/.cpio suffix implies one (and must
                             agree with -c); for other names the default is gzip
  -l, --level N              compression level (gzip 1-9, default 6; zstd 1-19, default 3)
  -p, --platform OS/ARCH     platform to pick from a multi-platform image (default linux/amd64)
  -i, --inject SRC:DEST[:MODE]
                             copy a host file or directory into the image (MODE octal, default 0755)
      --init FILE            use FILE as /init (0755); default: the image's /init, else one generated
                             from the image's Entrypoint, Cmd, Env, WorkingDir and User
  -x, --exclude GLOB         drop rootfs paths matching GLOB (absolute, e.g. /usr/share/doc/**)
      --report FILE          write a JSON report (digest, size, image, layers, entries); - for
                             standard output
      --checksums            also write FILE.sha256 (the sha256sum format: sha256sum -c FILE.sha256)
      --cache-dir DIR        the tool's cache (default $XDG_CACHE_HOME/initramfs-action, else
                             ~/.cache/initramfs-action; on Windows %LOCALAPPDATA%\\initramfs-action)

Generated /init options (when neither --init nor the image gives an /init):
      --network MODE         cmdline (default): the kernel's ip= parameter (ip=dhcp, or Firecracker's
                             ip=CLIENT::GATEWAY:NETMASK:HOSTNAME:DEVICE:off), else loopback only;
                             dhcp: DHCP on every interface; none: loopback only
      --on-exit ACTION       after the command: poweroff (default), reboot (Firecracker stops a guest on
                             reboot: pass reboot=k), or shell (a shell on the console, then power off)
      --init-tools IMAGE     the image whose static /bin/busybox the init runs on (default
                             $INITRAMFS_ACTION_INIT_TOOLS, else ${init_tools/* DEFAULT_INIT_TOOLS */.zd})
      --modules-dir DIR      a /lib/modules/VERSION directory (with modules.dep) to take --module from
      --module NAME          a kernel module to copy with its dependencies and load before the network
                             (repeatable; e.g. --module virtio_net --module vsock)
  Kernel command line: initramfs.shell starts a shell on the console instead of the command.

Boot test (build):
      --boot-test            boot the archive under QEMU after the build; fail unless it boots
      --boot-kernel FILE, --boot-kernel-image REF, --boot-expect TEXT, --boot-timeout DURATION,
      --boot-memory MiB, --boot-append ARGS, --boot-network, --boot-arch A, --boot-accel A
                             as boot's --kernel, --kernel-image, --expect, ... (see boot --help)

Registry options (build and inspect):
  -u, --username USER        registry user; the password is read from standard input
      --password-stdin       read the registry password (or token) from standard input
      --insecure-registry HOST
                             allow plain HTTP to HOST[:PORT] (loopback registries always may)
      --timeout DURATION     give up on the registry DURATION after the start (90s, 10m, 1h30m;
                             default: no limit; a registry that stops sending fails in about a minute)
  Without --username, credentials come from $DOCKER_CONFIG/config.json (credential helpers, auths).

Environment:
  SOURCE_DATE_EPOCH          clamp every mtime in the archive to this time (seconds)
`;
const usage = (message) => new errors/* InitramfsError */.sp('USAGE', `${message} (see --help)`);
/**
 * The default cache: XDG's cache home when it is set, else where the platform keeps caches that are not
 * roamed: %LOCALAPPDATA% on Windows (as Go's os.UserCacheDir says), ~/.cache elsewhere (macOS included,
 * where command-line tools commonly keep theirs there rather than in ~/Library/Caches).
 */
function defaultCacheDir(env, platform = process.platform) {
    const { join } = (0,host_path/* pathFor */.p0)(platform);
    const base = env.XDG_CACHE_HOME || (platform === 'win32' && env.LOCALAPPDATA) || join((0,external_node_os_.homedir)(), '.cache');
    return join(base, 'initramfs-action');
}
/** --compression and the output's suffix: the suffix decides unless -c is given, and they must agree. */
function chooseCompression(output, given) {
    const implied = (0,build_output/* compressionFromName */.Oh)(output);
    if (given === undefined)
        return implied?.compression ?? 'gzip';
    let compression;
    try {
        compression = (0,compress/* parseCompression */.Gd)(given);
    }
    catch {
        throw usage(`--compression ${(0,quote/* quote */.hD)(given)}: expected gzip, zstd or none${(0,did_you_mean/* didYouMean */.a)(given, compress/* COMPRESSIONS */._7)}`);
    }
    if (implied !== undefined && implied.compression !== compression) {
        throw usage(`--compression ${compression} contradicts -o ${(0,quote/* quote */.hD)(output)} (${implied.suffix} means ${implied.compression}); ` +
            `drop --compression, or name a file ending in ${build_output/* SUFFIX_FOR */.IB[compression]}`);
    }
    return compression;
}
const OPTIONS = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'V' },
    output: { type: 'string', short: 'o' },
    compression: { type: 'string', short: 'c' },
    level: { type: 'string', short: 'l' },
    platform: { type: 'string', short: 'p' },
    inject: { type: 'string', short: 'i', multiple: true },
    init: { type: 'string' },
    network: { type: 'string' },
    'on-exit': { type: 'string' },
    'init-tools': { type: 'string' },
    'modules-dir': { type: 'string' },
    module: { type: 'string', multiple: true },
    exclude: { type: 'string', short: 'x', multiple: true },
    report: { type: 'string' },
    checksums: { type: 'boolean' },
    'cache-dir': { type: 'string' },
    username: { type: 'string', short: 'u' },
    'password-stdin': { type: 'boolean' },
    'insecure-registry': { type: 'string', multiple: true },
    timeout: { type: 'string' },
    'boot-test': { type: 'boolean' },
    ...Object.fromEntries(Object.entries(boot_args/* BOOT_OPTIONS */.iK)
        .filter(([name]) => name !== 'help' && name !== 'cache-dir')
        .map(([name, o]) => [`boot-${name}`, { type: o.type }])),
};
const COMMANDS = ['build', 'inspect', 'boot'];
const NETWORK_MODES = ['cmdline', 'dhcp', 'none'];
const ON_EXIT = ['poweroff', 'reboot', 'shell'];
/** One of `choices`, or a usage error naming the option, the choices and a likely fix. */
function choice(option, value, choices) {
    if (value === undefined)
        return undefined;
    if (choices.includes(value))
        return value;
    throw usage(`${option} ${(0,quote/* quote */.hD)(value)}: expected ${choices.join(', ')}${(0,did_you_mean/* didYouMean */.a)(value, choices)}`);
}
/** parseArgs' own messages, in this tool's words: the option, what is wrong, and a likely fix. */
const argsError = (e) => {
    const option = /'([^']+)'/.exec(e.message)?.[1] ?? '';
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
        const longNames = Object.keys(OPTIONS).map((n) => `--${n}`);
        return usage(`unknown option ${(0,quote/* quote */.hD)(option)}${option.startsWith('--') ? (0,did_you_mean/* didYouMean */.a)(option, longNames) : ''}`);
    }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
        const name = /--([\w-]+)/.exec(option)?.[1];
        return usage(`option ${name === undefined ? (0,quote/* quote */.hD)(option) : `--${name}`} needs a value`);
    }
    return usage(e.message);
};
/** The verb: the first word that is not an option (options come after it, as the usage shows). */
const verbOf = (argv) => {
    try {
        return (0,external_node_util_.parseArgs)({ args: argv, allowPositionals: true, strict: false, options: OPTIONS }).positionals[0];
    }
    catch {
        return undefined;
    }
};
/**
 * argv → a command. Paths are `host`'s (this process's by default): relative ones start at its cwd, and on
 * Windows `C:\out\x.gz`, `dist\x.gz` and `\\server\share\x` are paths as `/out/x.gz` is on Linux.
 */
function parseCommand(argv, env, host = (0,host_path/* thisHost */.vk)()) {
    const resolve = (p) => (0,host_path/* resolveOn */.iJ)(host, p);
    if (verbOf(argv) === 'boot')
        return (0,boot_args/* parseBootCommand */.tk)(argv, (dir) => resolve(dir ?? defaultCacheDir(env, host.platform)));
    let parsed;
    try {
        parsed = (0,external_node_util_.parseArgs)({
            args: argv,
            allowPositionals: true,
            strict: true,
            options: OPTIONS,
        });
    }
    catch (e) {
        throw argsError(e);
    }
    const { values: v, positionals } = parsed;
    if (v.help)
        return { kind: 'help' };
    if (v.version)
        return { kind: 'version' };
    const [verb, image, ...extra] = positionals;
    if (verb === undefined)
        throw usage('missing command: expected build, inspect or boot');
    if (verb !== 'build' && verb !== 'inspect')
        throw usage(`unknown command ${(0,quote/* quote */.hD)(verb)}: expected build, inspect or boot${(0,did_you_mean/* didYouMean */.a)(verb, COMMANDS)}`);
    if (image === undefined)
        throw usage(`${verb}: missing IMAGE (NAME[:TAG], oci:DIR[:REF], oci-archive:FILE[:REF] or docker-archive:FILE[:REF])`);
    if (extra.length > 0)
        throw usage(`${verb}: unexpected argument '${extra[0]}'`);
    if (v['password-stdin'] && !v.username)
        throw usage('--password-stdin needs --username');
    if (v.username !== undefined && !v['password-stdin'])
        throw usage('--username needs --password-stdin (the password is read from standard input)');
    const registry = {
        username: v.username,
        passwordStdin: v['password-stdin'] ?? false,
        insecureRegistries: v['insecure-registry'] ?? [],
    };
    if (v.timeout !== undefined) {
        const ms = (0,duration/* parseDuration */.E9)(v.timeout);
        if (ms === undefined)
            throw usage(`--timeout ${(0,quote/* quote */.hD)(v.timeout)}: expected a duration such as 90s, 10m or 1h30m (at most 7d)`);
        registry.timeoutMs = ms;
    }
    const cacheDir = resolve(v['cache-dir'] ?? defaultCacheDir(env, host.platform));
    if (verb === 'inspect')
        return { kind: 'inspect', image, platform: v.platform, cacheDir, registry };
    if (v.output === undefined || v.output === '')
        throw usage('build: missing -o/--output FILE (- for standard output)');
    const output = v.output === build_output/* STDOUT */.UU ? build_output/* STDOUT */.UU : resolve(v.output);
    const compression = chooseCompression(v.output, v.compression);
    let level;
    if (v.level !== undefined) {
        if (!/^\d+$/.test(v.level))
            throw usage(`--level ${(0,quote/* quote */.hD)(v.level)}: expected a whole number`);
        level = Number(v.level);
        try {
            (0,compress/* resolveLevel */.XC)(compression, level);
        }
        catch (e) {
            throw usage(`--level ${(0,quote/* quote */.hD)(v.level)}: ${e.message}`);
        }
    }
    if (v.init === '')
        throw usage('--init: expected a file (an ELF executable or a #! script)');
    if (v.report === '')
        throw usage('--report: expected a file name');
    const network = choice('--network', v.network, NETWORK_MODES);
    const onExit = choice('--on-exit', v['on-exit'], ON_EXIT);
    if (v['init-tools'] === '')
        throw usage('--init-tools: expected an image with a static /bin/busybox, such as busybox:musl');
    if (v.init !== undefined) {
        const shaping = [network && '--network', onExit && '--on-exit', v['init-tools'] !== undefined && '--init-tools'].filter(Boolean);
        if (shaping.length > 0)
            throw usage(`${shaping.join(' and ')} shape${shaping.length > 1 ? '' : 's'} the generated /init and cannot be used with --init FILE`);
    }
    const moduleNames = v.module ?? [];
    if (moduleNames.length > 0 && v['modules-dir'] === undefined) {
        throw usage('--module needs --modules-dir DIR (the /lib/modules/VERSION directory of the guest kernel, e.g. /lib/modules/$(uname -r))');
    }
    if (v['modules-dir'] !== undefined && moduleNames.length === 0)
        throw usage('--modules-dir: name the modules to copy with --module NAME');
    if (v['modules-dir'] === '')
        throw usage('--modules-dir: expected a /lib/modules/VERSION directory');
    if (moduleNames.includes(''))
        throw usage('--module: expected a module name such as virtio_net');
    const initTools = v['init-tools'] ?? (env[init_tools/* INIT_TOOLS_ENV */.Xg] || undefined);
    const bootValues = Object.fromEntries(Object.entries(v)
        .filter(([name]) => name.startsWith('boot-') && name !== 'boot-test')
        .map(([name, value]) => [name.slice('boot-'.length), value]));
    const bootTest = v['boot-test'] ? (0,boot_args/* bootSettings */.oF)(bootValues, '--boot-') : undefined;
    if (bootTest)
        (0,boot_args/* requireKernel */.de)(bootTest, '--boot-');
    else if (Object.keys(bootValues).length > 0)
        throw usage(`--boot-${Object.keys(bootValues)[0]} needs --boot-test`);
    if (bootTest && output === build_output/* STDOUT */.UU)
        throw usage('--boot-test needs the archive in a file: -o FILE, not -o -');
    if (v.checksums && output === build_output/* STDOUT */.UU)
        throw usage('--checksums needs the archive in a file: -o FILE, not -o - (pipe it through sha256sum instead)');
    return {
        kind: 'build',
        image,
        output,
        compression,
        level,
        platform: v.platform,
        inject: (v.inject ?? []).map((s) => (0,overlay/* parseInjectSpec */.Iq)(s, host.platform)),
        init: v.init,
        ...(network ? { network } : {}),
        ...(onExit ? { onExit } : {}),
        ...(initTools !== undefined && v.init === undefined ? { initTools } : {}),
        ...(v['modules-dir'] !== undefined ? { modules: { dir: resolve(v['modules-dir']), names: moduleNames } } : {}),
        exclude: v.exclude ?? [],
        report: v.report === undefined || v.report === build_output/* STDOUT */.UU ? v.report : resolve(v.report),
        cacheDir,
        sourceDateEpoch: parseSourceDateEpoch(env.SOURCE_DATE_EPOCH),
        registry,
        ...(bootTest ? { bootTest } : {}),
        ...(v.checksums ? { checksums: true } : {}),
    };
}


/***/ }),

/***/ 1391:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   de: () => (/* binding */ requireKernel),
/* harmony export */   fz: () => (/* binding */ BOOT_USAGE),
/* harmony export */   iK: () => (/* binding */ BOOT_OPTIONS),
/* harmony export */   oF: () => (/* binding */ bootSettings),
/* harmony export */   tk: () => (/* binding */ parseBootCommand)
/* harmony export */ });
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7975);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9473);
/* harmony import */ var _quote_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9692);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3110);
/* harmony import */ var _did_you_mean_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1437);
// argv of `initramfs-action boot ARCHIVE …` → a typed command, and the `--boot-*` options of `build
// --boot-test`. Its own option table: `--network` is a switch here (QEMU's user-mode network), while
// `build --network MODE` shapes the generated /init.






const BOOT_USAGE = `Usage:
  initramfs-action boot ARCHIVE (--kernel FILE | --kernel-image REF) [options]

Boots ARCHIVE under QEMU and succeeds when the expected line appears on the serial console.
  -k, --kernel FILE          the kernel: a bzImage (x86-64) or an Image (arm64), e.g. /boot/vmlinuz-$(uname -r)
      --kernel-image REF     an image holding a kernel at /kernel (LinuxKit) or /boot/vmlinuz*, pulled and
                             cached like any image
  -e, --expect TEXT          the line that means success (default: the generated /init's
                             "initramfs-action: command exited with status 0")
      --timeout DURATION     give up after DURATION (default 120s)
  -m, --memory MiB           guest memory (default: from the archive's uncompressed size)
      --append ARGS          more kernel command-line words (e.g. ip=dhcp, initramfs.shell)
      --network              a QEMU user-mode network card (the host's loopback is 10.0.2.2)
      --arch amd64|arm64     the guest architecture (default: from the archive's executables)
      --accel auto|kvm|tcg   auto: KVM when it boots, else TCG (default)
      --cache-dir DIR        the tool's cache, for --kernel-image
  Exit 0 when the line appeared, 1 when the boot failed (the reason and the console's last lines are
  printed), 2 when the command line is wrong.
`;
const usage = (message) => new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `${message} (see --help)`);
const BOOT_OPTIONS = {
    help: { type: 'boolean', short: 'h' },
    kernel: { type: 'string', short: 'k' },
    'kernel-image': { type: 'string' },
    expect: { type: 'string', short: 'e' },
    timeout: { type: 'string' },
    memory: { type: 'string', short: 'm' },
    append: { type: 'string' },
    network: { type: 'boolean' },
    arch: { type: 'string' },
    accel: { type: 'string' },
    'cache-dir': { type: 'string' },
};
const ARCHES = ['amd64', 'arm64'];
const ACCELS = ['auto', 'kvm', 'tcg'];
/** The boot settings from their option values (`prefix` is `--` for `boot`, `--boot-` for `build`). */
function bootSettings(v, prefix) {
    const name = (n) => `${prefix}${n}`;
    const text = (n) => {
        const x = v[n];
        if (x === '')
            throw usage(`${name(n)}: expected a value`);
        return typeof x === 'string' ? x : undefined;
    };
    const out = { kernel: {} };
    const file = text('kernel');
    const image = text('kernel-image');
    if (file !== undefined && image !== undefined)
        throw usage(`${name('kernel')} and ${name('kernel-image')}: give one kernel`);
    if (file !== undefined)
        out.kernel.file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(file);
    if (image !== undefined)
        out.kernel.image = image;
    const expect = text('expect');
    if (expect !== undefined)
        out.expect = expect;
    const timeout = text('timeout');
    if (timeout !== undefined) {
        const ms = (0,_duration_js__WEBPACK_IMPORTED_MODULE_4__/* .parseDuration */ .E9)(timeout);
        if (ms === undefined || ms === 0)
            throw usage(`${name('timeout')} ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .quote */ .hD)(timeout)}: expected a duration such as 90s, 10m or 1h30m`);
        out.timeoutMs = ms;
    }
    const memory = text('memory');
    if (memory !== undefined) {
        if (!/^\d+$/.test(memory) || Number(memory) < 64 || Number(memory) > 1 << 20)
            throw usage(`${name('memory')} ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .quote */ .hD)(memory)}: expected MiB, a whole number from 64`);
        out.memoryMiB = Number(memory);
    }
    const append = text('append');
    if (append !== undefined)
        out.append = append;
    if (v['network'] === true)
        out.network = true;
    const arch = text('arch');
    if (arch !== undefined) {
        if (!ARCHES.includes(arch))
            throw usage(`${name('arch')} ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .quote */ .hD)(arch)}: expected amd64 or arm64`);
        out.arch = arch;
    }
    const accel = text('accel');
    if (accel !== undefined) {
        if (!ACCELS.includes(accel))
            throw usage(`${name('accel')} ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .quote */ .hD)(accel)}: expected auto, kvm or tcg`);
        out.accel = accel;
    }
    return out;
}
/** `kernel` given one way or the other, or a usage error saying how. */
function requireKernel(b, prefix) {
    if (b.kernel.file === undefined && b.kernel.image === undefined) {
        throw usage(`missing ${prefix}kernel FILE or ${prefix}kernel-image REF: the kernel to boot (e.g. ${prefix}kernel /boot/vmlinuz-$(uname -r), ` +
            `or ${prefix}kernel-image with a LinuxKit kernel image)`);
    }
}
/** `boot ARCHIVE …`, parsed with its own table. */
function parseBootCommand(argv, cacheDir) {
    let parsed;
    try {
        parsed = (0,node_util__WEBPACK_IMPORTED_MODULE_0__.parseArgs)({ args: argv, allowPositionals: true, strict: true, options: BOOT_OPTIONS });
    }
    catch (e) {
        const err = e;
        const option = /'([^']+)'/.exec(err.message)?.[1] ?? '';
        if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
            const longNames = Object.keys(BOOT_OPTIONS).map((n) => `--${n}`);
            throw usage(`boot: unknown option ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .quote */ .hD)(option)}${option.startsWith('--') ? (0,_did_you_mean_js__WEBPACK_IMPORTED_MODULE_5__/* .didYouMean */ .a)(option, longNames) : ''}`);
        }
        if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
            throw usage(`boot: option ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .quote */ .hD)(option)} needs a value`);
        throw usage(`boot: ${err.message}`);
    }
    const { values: v, positionals } = parsed;
    if (v.help)
        return { kind: 'boot-help' };
    const [, archive, ...extra] = positionals;
    if (archive === undefined || archive === '')
        throw usage('boot: missing ARCHIVE (an initramfs: .cpio, .cpio.gz or .cpio.zst)');
    if (extra.length > 0)
        throw usage(`boot: unexpected argument ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .quote */ .hD)(extra[0])}`);
    const boot = bootSettings(v, '--');
    requireKernel(boot, '--');
    return { kind: 'boot', archive: (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(archive), cacheDir: cacheDir(v['cache-dir']), boot };
}


/***/ }),

/***/ 5472:
/***/ ((__webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.a(__webpack_module__, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _args_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7596);
/* harmony import */ var _registry_limits_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8644);
/* harmony import */ var _progress_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(902);
/* harmony import */ var _build_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3315);
/* harmony import */ var _inspect_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4836);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__(2200);
/* harmony import */ var _output_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3635);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9473);
/* harmony import */ var _cleanup_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4704);
/* harmony import */ var _version_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(5537);
/* harmony import */ var _checksums_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(5480);
/* harmony import */ var _boot_args_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(1391);
/* harmony import */ var _boot_boot_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(1327);
/* harmony import */ var _boot_kernel_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(5708);
// The CLI shell: argv → core → one line per outcome. Exit codes: 0 success, 1 the build or inspection
// failed for a reason the message names, 2 the command line is wrong, 70 a bug in this tool (the only case
// that prints a stack). SIGINT, SIGTERM and SIGHUP remove the build's temporary files and end the process
// by the same signal (cleanup.ts): a shell sees 130, 143 or 129.














async function main(argv, env) {
    try {
        const cmd = (0,_args_js__WEBPACK_IMPORTED_MODULE_0__/* .parseCommand */ .RM)(argv, env);
        switch (cmd.kind) {
            case 'help':
                process.stdout.write(_args_js__WEBPACK_IMPORTED_MODULE_0__/* .USAGE */ .u_);
                return 0;
            case 'version':
                process.stdout.write(`${(0,_version_js__WEBPACK_IMPORTED_MODULE_7__/* .packageVersion */ .T)()}\n`);
                return 0;
            case 'boot-help':
                process.stdout.write(_boot_args_js__WEBPACK_IMPORTED_MODULE_9__/* .BOOT_USAGE */ .fz);
                return 0;
            case 'boot': {
                const reporter = new _progress_js__WEBPACK_IMPORTED_MODULE_12__/* .PlainReporter */ .Wb(process.stderr);
                return (await bootAndSay(cmd.archive, cmd.boot, { cacheDir: cmd.cacheDir, env, reporter })) ? 0 : 1;
            }
            case 'inspect': {
                const info = await (0,_inspect_js__WEBPACK_IMPORTED_MODULE_3__/* .inspect */ .N)(cmd.image, cmd.platform, { cacheDir: cmd.cacheDir, client: await registryOptions(cmd.registry, env) });
                process.stdout.write((0,_inspect_js__WEBPACK_IMPORTED_MODULE_3__/* .formatInspection */ .a)(info));
                return 0;
            }
            case 'build': {
                const reporter = process.stderr.isTTY ? new _progress_js__WEBPACK_IMPORTED_MODULE_12__/* .TtyReporter */ .Tz(process.stderr) : new _progress_js__WEBPACK_IMPORTED_MODULE_12__/* .PlainReporter */ .Wb(process.stderr);
                // Decided before the build: once written, a renamed file is no longer the inode stdout was.
                const archiveOnStdout = await (0,_output_js__WEBPACK_IMPORTED_MODULE_4__/* .isStandardOutput */ .HT)(cmd.output);
                const reportOnStdout = cmd.report !== undefined && (await (0,_output_js__WEBPACK_IMPORTED_MODULE_4__/* .isStandardOutput */ .HT)(cmd.report));
                if (archiveOnStdout && reportOnStdout) {
                    throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InitramfsError */ .sp('USAGE', '--report: the archive already goes to standard output; name a file for the report (see --help)');
                }
                // Like the archive's own output, checked before anything is pulled.
                if (cmd.report !== undefined)
                    await (0,_output_js__WEBPACK_IMPORTED_MODULE_4__/* .checkOutput */ .yr)(cmd.report, { label: 'report', text: true });
                const report = await (0,_build_js__WEBPACK_IMPORTED_MODULE_2__/* .build */ .j)({ ...cmd, registry: await registryOptions(cmd.registry, env), reporter });
                if (cmd.report !== undefined)
                    await (0,_output_js__WEBPACK_IMPORTED_MODULE_4__/* .writeOutputFile */ .BF)(cmd.report, (0,_report_js__WEBPACK_IMPORTED_MODULE_13__/* .formatReport */ .C)(report), { label: 'report', text: true });
                // Standard output may carry the archive (-o -, /dev/stdout) or the report (--report -): then the
                // result lines go with the messages, so what is on stdout stays one clean stream.
                (archiveOnStdout || reportOnStdout ? process.stderr : process.stdout).write(`digest: ${report.digest}\nsize: ${report.size}\n`);
                if (cmd.checksums) {
                    const path = await (0,_checksums_js__WEBPACK_IMPORTED_MODULE_8__/* .writeChecksumFile */ .JS)(cmd.output, report.digest);
                    (reportOnStdout ? process.stderr : process.stdout).write(`checksums: ${path}\n`);
                }
                if (cmd.bootTest) {
                    const ok = await bootAndSay(cmd.output, cmd.bootTest, { cacheDir: cmd.cacheDir, env, reporter, arch: report.image.platform.split('/')[1] });
                    if (!ok)
                        return 1;
                }
                return 0;
            }
        }
    }
    catch (e) {
        if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .isInitramfsError */ ._e)(e)) {
            process.stderr.write(`error [${e.code}]: ${e.message}\n`);
            return e.code === 'USAGE' ? 2 : 1;
        }
        process.stderr.write(`internal error (please report): ${e?.stack ?? String(e)}\n`);
        return 70;
    }
}
/**
 * Boots `archive` and says how it went: `booted in N.N s (tcg)` on stdout, or the reason and the
 * console's last lines on stderr. True when the expected line appeared.
 */
async function bootAndSay(archive, b, o) {
    const arch = b.arch ?? (o.arch === 'amd64' || o.arch === 'arm64' ? o.arch : undefined);
    const kernel = await (0,_boot_kernel_js__WEBPACK_IMPORTED_MODULE_11__/* .resolveKernel */ .EO)(b.kernel, {
        cacheDir: o.cacheDir,
        platform: { os: 'linux', architecture: arch ?? 'amd64' },
        source: { cacheDir: o.cacheDir, reporter: o.reporter, client: { env: o.env } },
    });
    o.reporter.info(`booting ${archive} with ${kernel.from}`);
    const r = await (0,_boot_boot_js__WEBPACK_IMPORTED_MODULE_10__/* .bootArchive */ .jb)({
        archive,
        kernel: kernel.path,
        ...(b.expect !== undefined && { expect: b.expect }),
        ...(b.timeoutMs !== undefined && { timeoutMs: b.timeoutMs }),
        ...(b.memoryMiB !== undefined && { memoryMiB: b.memoryMiB }),
        ...(b.append !== undefined && { append: b.append }),
        ...(b.network !== undefined && { network: b.network }),
        ...(arch !== undefined && { arch }),
        ...(b.accel !== undefined && { accel: b.accel }),
    }, o.reporter);
    if (r.ok) {
        process.stdout.write(`booted in ${r.seconds.toFixed(1)} s (${r.accel}, ${r.arch})\n`);
        return true;
    }
    process.stderr.write(`error [BOOT]: ${r.message}\n`);
    if (r.tail.length > 0)
        process.stderr.write(`the console's last lines:\n${r.tail.map((l) => `  ${l}`).join('\n')}\n`);
    return false;
}
/**
 * The registry client's options; the password comes from standard input, never from argv. --timeout's
 * deadline starts here, as the command's work starts.
 */
async function registryOptions(args, env) {
    const opts = { env, insecureRegistries: args.insecureRegistries };
    if (args.username !== undefined && args.passwordStdin) {
        let password = '';
        for await (const chunk of process.stdin)
            password += chunk.toString('utf8');
        // `echo $TOKEN | …` adds a newline that is not part of the secret.
        password = password.replace(/\r?\n$/, '');
        if (password === '')
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .InitramfsError */ .sp('USAGE', '--password-stdin: standard input was empty (see --help)');
        opts.credentials = { username: args.username, password };
    }
    if (args.timeoutMs !== undefined)
        opts.deadline = (0,_registry_limits_js__WEBPACK_IMPORTED_MODULE_1__/* .deadlineIn */ ._5)(args.timeoutMs);
    return opts;
}
// On a terminal the line starts below the live progress line (and the ^C the terminal echoed).
(0,_cleanup_js__WEBPACK_IMPORTED_MODULE_6__/* .exitOnSignals */ .Lx)((0,_cleanup_js__WEBPACK_IMPORTED_MODULE_6__/* .sayOn */ .v5)(2, process.stderr.isTTY ? '\n' : ''));
process.exitCode = await main(process.argv.slice(2), process.env);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 902:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Tz: () => (/* binding */ TtyReporter),
/* harmony export */   Wb: () => (/* binding */ PlainReporter)
/* harmony export */ });
/* unused harmony exports fitLine, width */
const mib = (n) => `${(n / (1 << 20)).toFixed(1)} MiB`;
/** A duration as both reporters (and the action's log) print it: `1.2 s`. */
const seconds = (ms) => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
class PlainReporter {
    #out;
    #now;
    #started = new Map();
    constructor(out, now = () => performance.now()) {
        this.#out = out;
        this.#now = now;
    }
    stage(stage, message) {
        this.#started.set(stage, this.#now());
        this.#out.write(`[${stage}] ${message}\n`);
    }
    progress() { }
    done(stage, message) {
        const started = this.#started.get(stage);
        this.#started.delete(stage);
        this.#out.write(`[${stage}] ${message}${started === undefined ? '' : ` (${seconds(this.#now() - started)})`}\n`);
    }
    warn(message) {
        this.#out.write(`warning: ${message}\n`);
    }
    info(message) {
        this.#out.write(`${message}\n`);
    }
}
/** Columns assumed when the stream does not say (not a terminal after all). */
const DEFAULT_COLUMNS = 80;
class TtyReporter {
    #out;
    #stage;
    #message = '';
    #total;
    #started = new Map();
    #lastDraw = 0;
    #now;
    /** The live line as last drawn (before fitting), to redraw it at a new width; undefined when none is shown. */
    #live;
    constructor(out, now = () => performance.now()) {
        this.#out = out;
        this.#now = now;
        out.on?.('resize', () => {
            if (this.#live)
                this.#draw(this.#live.head, this.#live.tail);
        });
    }
    stage(stage, message, total) {
        this.#stage = stage;
        this.#message = message;
        this.#total = total;
        this.#started.set(stage, this.#now());
        this.#draw(`[${stage}] ${message}…`);
    }
    progress(stage, done) {
        if (stage !== this.#stage)
            return;
        const t = this.#now();
        if (t - this.#lastDraw < 100)
            return;
        this.#lastDraw = t;
        const pct = this.#total ? ` ${Math.min(100, Math.floor((done / this.#total) * 100))}%` : '';
        this.#draw(`[${stage}] ${this.#message}`, ` ${mib(done)}${this.#total ? ' / ' + mib(this.#total) : ''}${pct}`);
    }
    done(stage, message) {
        const started = this.#started.get(stage);
        this.#started.delete(stage);
        this.#draw(`[${stage}] ✓ ${message}`, started === undefined ? '' : ` (${seconds(this.#now() - started)})`);
        this.#out.write('\n');
        this.#live = undefined;
        if (stage === this.#stage)
            this.#stage = undefined;
    }
    warn(message) {
        this.#clear();
        this.#out.write(`warning: ${message}\n`);
        this.#redraw();
    }
    info(message) {
        this.#clear();
        this.#out.write(`${message}\n`);
        this.#redraw();
    }
    /**
     * Replaces the live line with `head` + `tail`, cut to the terminal's width so that it never wraps: a
     * wrapped line spans two rows, and `\r\x1b[2K` would then clear only the last one, leaving a stale copy
     * above at every redraw. The head (stage and message) gives way first, so the numbers in the tail stay.
     */
    #draw(head, tail = '') {
        this.#live = { head, tail };
        this.#out.write(`\r\x1b[2K${fitLine(head, tail, this.#out.columns || DEFAULT_COLUMNS)}`);
    }
    /** After a warning or a message printed over it, the live line comes back below. */
    #redraw() {
        if (this.#live)
            this.#draw(this.#live.head, this.#live.tail);
    }
    #clear() {
        if (this.#live)
            this.#out.write('\r\x1b[2K');
    }
}
/**
 * `head` + `tail` in at most `columns - 1` terminal cells (the last column is left free: some terminals wrap
 * as soon as it is written). Control characters become `?` so nothing in a message can move the cursor. When
 * the line is too long the head is cut and ends in `…`; when even the tail does not fit, the whole is cut.
 */
function fitLine(head, tail, columns) {
    const limit = Math.max(1, columns - 1);
    const h = sanitize(head);
    const t = sanitize(tail);
    if (width(h) + width(t) <= limit)
        return h + t;
    if (width(t) + 1 < limit)
        return cut(h, limit - width(t) - 1) + '…' + t;
    return cut(h + t, limit - 1) + '…';
}
const sanitize = (s) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
/** The longest prefix of `s` (whole code points) that fills at most `cells` cells. */
function cut(s, cells) {
    let used = 0;
    let out = '';
    for (const ch of s) {
        const w = charWidth(ch.codePointAt(0));
        if (used + w > cells)
            break;
        used += w;
        out += ch;
    }
    return out;
}
/** Terminal cells `s` takes. */
function width(s) {
    let n = 0;
    for (const ch of s)
        n += charWidth(ch.codePointAt(0));
    return n;
}
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;
/**
 * Cells one code point takes: 0 for combining marks and format characters, 2 for East Asian wide and
 * fullwidth characters and emoji (the ranges Node's own REPL uses), 1 for everything else. Erring wide only
 * shortens a line; erring narrow would wrap it.
 */
function charWidth(cp) {
    const ch = String.fromCodePoint(cp);
    if (ZERO_WIDTH.test(ch))
        return 0;
    if (EMOJI.test(ch))
        return 2;
    const wide = cp >= 0x1100 &&
        (cp <= 0x115f ||
            cp === 0x2329 ||
            cp === 0x232a ||
            (cp >= 0x2e80 && cp <= 0x3247 && cp !== 0x303f) ||
            (cp >= 0x3250 && cp <= 0x4dbf) ||
            (cp >= 0x4e00 && cp <= 0xa4c6) ||
            (cp >= 0xa960 && cp <= 0xa97c) ||
            (cp >= 0xac00 && cp <= 0xd7a3) ||
            (cp >= 0xf900 && cp <= 0xfaff) ||
            (cp >= 0xfe10 && cp <= 0xfe19) ||
            (cp >= 0xfe30 && cp <= 0xfe6b) ||
            (cp >= 0xff01 && cp <= 0xff60) ||
            (cp >= 0xffe0 && cp <= 0xffe6) ||
            (cp >= 0x1b000 && cp <= 0x1b001) ||
            (cp >= 0x1f200 && cp <= 0x1f251) ||
            (cp >= 0x1f300 && cp <= 0x1f64f) ||
            (cp >= 0x20000 && cp <= 0x3fffd));
    return wide ? 2 : 1;
}


/***/ }),

/***/ 5537:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ packageVersion)
/* harmony export */ });
/* unused harmony export PACKAGE_NAME */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3136);
// The package's version for --version, read from the package.json of initramfs-action itself: the first
// one above the running file whose name is ours. That is the repository's from src/cli/ and from dist/,
// and the installed package's under node_modules (dist/package.json, which only sets the module type, is
// skipped by its name). Read at run time rather than bundled, so dist/ does not change with the version.



const PACKAGE_NAME = 'initramfs-action';
/** The version of the package that `fileUrl` (default: this module) belongs to. */
function packageVersion(fileUrl = import.meta.url) {
    const start = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)((0,node_url__WEBPACK_IMPORTED_MODULE_2__.fileURLToPath)(fileUrl));
    for (let dir = start;; dir = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(dir)) {
        let pkg;
        try {
            pkg = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, 'package.json'), 'utf8'));
        }
        catch {
            // no package.json here (or not JSON): keep looking
        }
        if (pkg?.name === PACKAGE_NAME && typeof pkg.version === 'string')
            return pkg.version;
        if ((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(dir) === dir)
            throw new Error(`no package.json of ${PACKAGE_NAME} in ${start} or above`);
    }
}


/***/ }),

/***/ 1437:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ didYouMean)
/* harmony export */ });
// "Did you mean" for a mistyped command, option or value: the nearest candidate within two edits.
/** Edit distance (insertions, deletions, substitutions, adjacent swaps), for "did you mean". */
const distance = (a, b) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++)
        d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
};
/** `; did you mean X?` for the one candidate within two edits of `word` (the nearest), else ''. */
const didYouMean = (word, candidates) => {
    const scored = candidates.map((c) => ({ c, d: distance(word, c) })).filter((x) => x.d <= 2).sort((x, y) => x.d - y.d);
    return scored.length > 0 ? `; did you mean ${scored[0].c}?` : '';
};


/***/ }),

/***/ 3110:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   a3: () => (/* binding */ formatDuration)
/* harmony export */ });
/* unused harmony export MAX_DURATION_MS */
// Durations as people type them for timeouts (`90s`, `10m`, `1h30m`, `500ms`, or bare seconds: `90`),
// and back into the same short form for messages. Read by both shells and by the network bounds, so a
// duration means the same wherever it is given.
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/**
 * The longest duration accepted: a week, well past any CI job, and far below the 2^31 ms at which Node's
 * timers stop working (they fire at once).
 */
const MAX_DURATION_MS = 7 * 86_400_000;
/** Milliseconds from `90`, `90s`, `1h30m`, `500ms`…; undefined when malformed, zero or over a week. */
function parseDuration(text) {
    const t = text.trim();
    let ms;
    if (/^\d+$/.test(t))
        ms = Number(t) * 1000;
    else {
        if (!/^(?:\d+(?:ms|s|m|h|d))+$/.test(t))
            return undefined;
        ms = 0;
        for (const [, n, unit] of t.matchAll(/(\d+)(ms|s|m|h|d)/g))
            ms += Number(n) * UNIT_MS[unit];
    }
    return ms > 0 && ms <= MAX_DURATION_MS ? ms : undefined;
}
/** `500ms`, `1.5s`, `30s`, `1m30s`, `2h`, `3d4h`; past a year, `more than a year` (a Retry-After can say anything). */
function formatDuration(ms) {
    if (ms > 365 * 86_400_000)
        return 'more than a year';
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    if (ms < 10_000 && ms % 1000 !== 0)
        return `${Math.round(ms / 100) / 10}s`;
    let s = Math.round(ms / 1000);
    let out = '';
    for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]]) {
        if (s >= size) {
            out += `${Math.floor(s / size)}${unit}`;
            s %= size;
        }
    }
    return s > 0 || out === '' ? `${out}${s}s` : out;
}


/***/ }),

/***/ 9473:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _e: () => (/* binding */ isInitramfsError),
/* harmony export */   h: () => (/* binding */ DigestMismatchError),
/* harmony export */   sp: () => (/* binding */ InitramfsError)
/* harmony export */ });
// Typed errors with stable codes: the one thing every entry point (CLI, action, tests) relies on to tell
// a user mistake or a bad image apart from a bug in this tool.
/** An error the user can act on: printed as one line, no stack. */
class InitramfsError extends Error {
    code;
    constructor(code, message, options) {
        super(message, options);
        this.name = 'InitramfsError';
        this.code = code;
    }
}
/** A blob's content did not match what its descriptor promised. */
class DigestMismatchError extends InitramfsError {
    blob;
    constructor(blob, message) {
        super('DIGEST_MISMATCH', message);
        this.blob = blob;
    }
}
const isInitramfsError = (e) => e instanceof InitramfsError;


/***/ }),

/***/ 4579:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DU: () => (/* binding */ tempNameFor),
/* harmony export */   Gs: () => (/* binding */ isTempName),
/* harmony export */   hB: () => (/* binding */ renameOnto)
/* harmony export */ });
/* unused harmony export WINDOWS_RENAME_PAUSES */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8500);
// Atomic file output names: a file is written under a temporary name in the target's directory, fsynced
// and renamed (output.ts), so a reader (or a crashed build) never sees a half-written file under the
// final name.




/** A temporary name beside `target`, hidden, unique per call. */
const tempNameFor = (target) => (0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_0__.dirname)(target), `.${(0,node_path__WEBPACK_IMPORTED_MODULE_0__.basename)(target)}.tmp-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.randomBytes)(6).toString('hex')}`);
/**
 * Whether `name` (a base name) has the shape tempNameFor gives. A build killed before it renamed or removed
 * its temporary file leaves one; the sweep (scratch.ts) removes only names of this shape.
 */
const isTempName = (name) => /^\..+\.tmp-[0-9a-f]{12}$/s.test(name);
/** The errors Windows gives, for a while, when another program holds the file open (see renameOnto). */
const WINDOWS_BUSY = ['EPERM', 'EACCES', 'EBUSY'];
/**
 * The pauses between the tries of a rename that Windows refuses for a while: growing from 10 ms to 1 s,
 * some 10 s in all (a virus scanner looking at a freshly written file of a few hundred MB takes seconds).
 */
const WINDOWS_RENAME_PAUSES = [10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000];
/**
 * Renames `from` onto `to`, replacing the file there. POSIX replaces it atomically whatever holds it open.
 * Windows refuses (EPERM, EACCES or EBUSY) while another program has either file open without sharing its
 * deletion — an antivirus scanner or a search indexer reading the new file, an editor showing the old one —
 * which usually lasts a moment: there such a failure is tried again, pausing as WINDOWS_RENAME_PAUSES says,
 * as graceful-fs does for npm. Any other failure, and every failure elsewhere, is thrown at once.
 */
async function renameOnto(from, to, opts = {}) {
    const platform = opts.platform ?? process.platform;
    const doRename = opts.rename ?? node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename;
    const pause = opts.sleep ?? node_timers_promises__WEBPACK_IMPORTED_MODULE_3__.setTimeout;
    for (let attempt = 0;; attempt++) {
        try {
            await doRename(from, to);
            return;
        }
        catch (e) {
            const busy = platform === 'win32' && WINDOWS_BUSY.includes(e.code ?? '');
            if (!busy || attempt >= WINDOWS_RENAME_PAUSES.length)
                throw e;
            await pause(WINDOWS_RENAME_PAUSES[attempt]);
        }
    }
}


/***/ }),

/***/ 5670:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LZ: () => (/* binding */ separatorsFrom),
/* harmony export */   iJ: () => (/* binding */ resolveOn),
/* harmony export */   p0: () => (/* binding */ pathFor),
/* harmony export */   vk: () => (/* binding */ thisHost)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
// Host paths, as opposed to guest paths. A path on the machine the build runs on (an --inject source,
// --init, the output, a layout or archive named by oci:/oci-archive:/docker-archive:) is the host's kind of
// path: `C:\out\initrd.cpio.gz` and `\\server\share\f` on a Windows runner. A path in the image is always
// POSIX, whatever the host. Code that parses a host path out of a larger string, or resolves one, takes
// a Host, so that the Windows rules run in the tests on Linux (with path.win32); by default it is this
// process's.

/** This process's host. */
const thisHost = () => ({ platform: process.platform, cwd: process.cwd() });
/** Node's path functions with `platform`'s rules: win32 on Windows (both separators, drives, UNC), POSIX elsewhere. */
const pathFor = (platform) => (platform === 'win32' ? node_path__WEBPACK_IMPORTED_MODULE_0__.win32 : node_path__WEBPACK_IMPORTED_MODULE_0__.posix);
/** `p` made absolute on `host` (relative paths start at its cwd). */
const resolveOn = (host, p) => pathFor(host.platform).resolve(host.cwd, p);
/**
 * Where, in `text` that starts with a host path, a ':' can first be a separator between that path and
 * what follows it: after a Windows drive designator (`C:` of `C:\x` or `C:x`) on win32, whose colon is
 * part of the path; else 0. `oci:C:\layouts\app:latest` is a layout `C:\layouts\app` and a REF `latest`.
 */
const separatorsFrom = (text, platform) => platform === 'win32' && /^[A-Za-z]:/.test(text) ? 2 : 0;


/***/ }),

/***/ 407:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ openLayerTar),
/* harmony export */   t: () => (/* binding */ ZstdMultiFrameDecompress)
/* harmony export */ });
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7075);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8522);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9473);
/* harmony import */ var _digest_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5436);
/* harmony import */ var _zstd_frames_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9842);
// A layer's bytes as an uncompressed tar stream. The stored (compressed) stream is always read to its end,
// so the digest check in Layer.open() runs even when the tar ends early, and a digest mismatch is what gets
// reported whenever the stored bytes are wrong (a decode error on bytes that fail their digest says less).
// Decoding, though, may stop early (discardRest): once a reader has what it needs, or has refused the
// layer, the rest is only hashed, never decompressed, so a layer that would inflate into gigabytes costs
// the reading of its stored bytes and no more.





/**
 * Output buffer of the decoders. Node's 16 KiB default makes a round trip through the threadpool per
 * 16 KiB: measured on a 51 MB gzip layer, 1 MiB halves the CPU time (0.59 s → 0.27 s). Bytes unchanged.
 */
const DECODE_CHUNK = 1 << 20;
/**
 * Decodes a stream of concatenated zstd frames (skippable frames dropped), each frame by its own Node
 * decoder, in order, with backpressure: a paused reader pauses the frame decoder, which stops taking input.
 */
class ZstdMultiFrameDecompress extends node_stream__WEBPACK_IMPORTED_MODULE_0__.Duplex {
    #splitter = new _zstd_frames_js__WEBPACK_IMPORTED_MODULE_4__/* .ZstdFrameSplitter */ .w5();
    #frame = null;
    #frameDone = null;
    _read() {
        this.#frame?.resume();
    }
    _write(chunk, _encoding, callback) {
        this.#feed(chunk).then(() => callback(), callback);
    }
    _final(callback) {
        try {
            this.#splitter.end();
        }
        catch (e) {
            callback(e);
            return;
        }
        this.push(null);
        callback();
    }
    _destroy(error, callback) {
        this.#frame?.destroy();
        callback(error);
    }
    async #feed(chunk) {
        for (const ev of this.#splitter.push(chunk)) {
            if (ev.type === 'frame-start') {
                this.#startFrame();
            }
            else if (ev.type === 'data') {
                const frame = this.#frame;
                if (!frame.write(ev.bytes))
                    await this.#whenDrained(frame);
            }
            else {
                this.#frame.end();
                await this.#frameDone;
                this.#frame = null;
                this.#frameDone = null;
            }
        }
    }
    #startFrame() {
        const frame = (0,node_zlib__WEBPACK_IMPORTED_MODULE_1__.createZstdDecompress)({ chunkSize: DECODE_CHUNK });
        this.#frame = frame;
        frame.on('data', (out) => {
            if (!this.push(out))
                frame.pause();
        });
        this.#frameDone = new Promise((resolve, reject) => {
            frame.once('end', resolve);
            frame.once('error', reject);
        });
        // The rejection is observed by whoever awaits next (drain or frame end); keep it from being "unhandled".
        this.#frameDone.catch(() => { });
    }
    #whenDrained(frame) {
        return new Promise((resolve, reject) => {
            const done = (err) => {
                frame.off('drain', onDrain);
                frame.off('error', done);
                if (err)
                    reject(err);
                else
                    resolve();
            };
            const onDrain = () => done();
            frame.once('drain', onDrain);
            frame.once('error', done);
        });
    }
}
function decoderFor(compression) {
    switch (compression) {
        case 'gzip':
            return (0,node_zlib__WEBPACK_IMPORTED_MODULE_1__.createGunzip)({ chunkSize: DECODE_CHUNK });
        case 'zstd':
            return new ZstdMultiFrameDecompress();
        case 'none':
            return new node_stream__WEBPACK_IMPORTED_MODULE_0__.PassThrough();
    }
}
/**
 * The uncompressed tar of `layer`. The stream ends only after the stored bytes were read to their end and
 * verified; it errors with the layer's DigestMismatchError when they fail verification (even when decoding
 * failed first), else with BAD_LAYER naming the layer when they cannot be decoded.
 */
function openLayerTar(layer) {
    const src = layer.open();
    const decoder = decoderFor(layer.compression);
    const out = new node_stream__WEBPACK_IMPORTED_MODULE_0__.PassThrough();
    // decoding: bytes flow src → decoder → out; draining: src is read only for its digest check.
    let state = 'decoding';
    const fail = (err) => {
        if (state === 'failed')
            return;
        state = 'failed';
        decoder.destroy();
        out.destroy(err);
    };
    /** Reads the rest of the stored bytes without decoding them, then `then()`. */
    const drain = (then) => {
        if (state !== 'decoding')
            return;
        state = 'draining';
        src.unpipe(decoder);
        decoder.unpipe(out);
        decoder.destroy();
        if (src.readableEnded) {
            then();
            return;
        }
        src.on('end', then);
        src.resume();
    };
    src.on('error', (err) => {
        // The stored bytes are wrong or unreadable: that outranks whatever the decoder said about them.
        fail((0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .isInitramfsError */ ._e)(err) ? err : new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('IO', `layer ${layer.digest}: ${err.message}`, { cause: err }));
    });
    decoder.on('error', (err) => {
        if (state !== 'decoding')
            return;
        const bad = new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('BAD_LAYER', `layer ${(0,_digest_js__WEBPACK_IMPORTED_MODULE_3__/* .shortDigest */ .VK)(layer.digest)}: ${layer.compression} stream is corrupt or truncated (${err.message})`, { cause: err });
        // Keep reading the stored bytes to their end: if they fail their digest, that is the error to report.
        drain(() => fail(bad));
    });
    // A consumer that gives up early must not leave the blob's file open.
    out.once('close', () => {
        if (!src.readableEnded)
            src.destroy();
    });
    src.pipe(decoder);
    decoder.pipe(out);
    return Object.assign(out, {
        discardRest: () => drain(() => {
            if (state === 'draining')
                out.end();
        }),
    });
}


/***/ }),

/***/ 5436:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bc: () => (/* binding */ isDigest),
/* harmony export */   H2: () => (/* binding */ checkDigest),
/* harmony export */   VK: () => (/* binding */ shortDigest),
/* harmony export */   sI: () => (/* binding */ sha256Digest),
/* harmony export */   sU: () => (/* binding */ digestHex)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9473);
// Digest strings (`sha256:<64 lowercase hex>`): the only form this tool accepts, checked before a digest
// ever becomes part of a file path, so a hostile index.json cannot name a file outside the layout.


const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** True when `s` is `sha256:` followed by exactly 64 lowercase hex digits. */
const isDigest = (s) => typeof s === 'string' && DIGEST.test(s);
/**
 * Returns `value` when it is a valid digest; otherwise throws BAD_IMAGE naming `where` (e.g. "index.json
 * manifests[0]"), because a malformed digest means the image metadata is not what the spec allows.
 */
function checkDigest(value, where) {
    if (isDigest(value))
        return value;
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : String(value);
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InitramfsError */ .sp('BAD_IMAGE', `${where}: digest ${shown} is not sha256:<64 lowercase hex>`);
}
/** The hex part of a valid digest. */
const digestHex = (digest) => digest.slice('sha256:'.length);
/** `sha256:<hex>` of some bytes. */
const sha256Digest = (bytes) => `sha256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(bytes).digest('hex')}`;
/** A digest shortened for messages where the full value is given elsewhere (`sha256:0123456789ab…`). */
const shortDigest = (digest) => digest.length > 'sha256:'.length + 12 ? `${digest.slice(0, 'sha256:'.length + 12)}…` : digest;


/***/ }),

/***/ 3847:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J5: () => (/* binding */ platformMatches),
/* harmony export */   Rd: () => (/* binding */ listPlatforms),
/* harmony export */   Y8: () => (/* binding */ parsePlatform)
/* harmony export */ });
/* unused harmony exports DEFAULT_PLATFORM, normalizePlatform */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9473);
/* harmony import */ var _quote_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9692);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8107);
// Platforms as users write them (`os/arch[/variant]`) and as images declare them, normalised the way
// containerd does so that `linux/arm64` matches an image that says `arm64/v8` and `linux/arm` means v7.



/** Platforms named in a message; the count covers the rest. */
const LISTED_PLATFORMS = 20;
/** What a build targets when the user names no platform. */
const DEFAULT_PLATFORM = { os: 'linux', architecture: 'amd64' };
// Names other tools print for the same architecture (uname -m, Debian) → the OCI name.
const ARCH_ALIASES = {
    x86_64: 'amd64',
    'x86-64': 'amd64',
    aarch64: 'arm64',
    armhf: 'arm',
    armel: 'arm',
    i686: '386',
    i386: '386',
};
const PART = /^[a-z0-9_.-]+$/;
/**
 * Parses `os/arch[/variant]` (e.g. `linux/arm64`, `linux/arm/v6`); throws USAGE naming the input when it is
 * malformed. The result is normalised (see normalizePlatform). No text (undefined) → DEFAULT_PLATFORM.
 */
function parsePlatform(text) {
    if (text === undefined)
        return { ...DEFAULT_PLATFORM };
    const parts = text.trim().toLowerCase().split('/');
    if (parts.length < 2 || parts.length > 3 || !parts.every((p) => PART.test(p))) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InitramfsError */ .sp('USAGE', `platform "${text}": expected os/arch[/variant], e.g. linux/amd64`);
    }
    const [os, architecture, variant] = parts;
    return normalizePlatform(variant === undefined ? { os, architecture } : { os, architecture, variant });
}
/**
 * The canonical form: architecture aliases resolved, `arm64` without variant → `v8`, `arm` without variant
 * → `v7` (armel → v6), and an empty variant dropped.
 */
function normalizePlatform(p) {
    const os = p.os.toLowerCase();
    const raw = p.architecture.toLowerCase();
    const architecture = ARCH_ALIASES[raw] ?? raw;
    let variant = p.variant ? p.variant.toLowerCase() : undefined;
    if (variant === undefined) {
        if (architecture === 'arm64')
            variant = 'v8';
        else if (architecture === 'arm')
            variant = raw === 'armel' ? 'v6' : 'v7';
    }
    // arm64's "8" and arm's "7" are sometimes written without the v.
    if (variant !== undefined && /^\d+$/.test(variant) && (architecture === 'arm' || architecture === 'arm64')) {
        variant = `v${variant}`;
    }
    return variant === undefined ? { os, architecture } : { os, architecture, variant };
}
/** True when an image declaring `have` satisfies a request for `want` (both normalised first). */
function platformMatches(want, have) {
    const w = normalizePlatform(want);
    const h = normalizePlatform(have);
    return w.os === h.os && w.architecture === h.architecture && w.variant === h.variant;
}
/** Platforms as a sorted, de-duplicated list for messages (`linux/amd64, linux/arm64/v8`). */
function listPlatforms(platforms) {
    const names = [...new Set(platforms.map(_types_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .B))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (names.length === 0)
        return '(none)';
    // Platforms are the image's words: each shown escaped and short, and an index of thousands not listed whole.
    const listed = names.slice(0, LISTED_PLATFORMS).map((n) => (0,_quote_js__WEBPACK_IMPORTED_MODULE_1__/* .shown */ .SP)(n, 64));
    return names.length > LISTED_PLATFORMS ? `${listed.join(', ')} and ${names.length - LISTED_PLATFORMS} more` : listed.join(', ');
}


/***/ }),

/***/ 9206:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  w: () => (/* binding */ readLayer)
});

// EXTERNAL MODULE: ./build/errors.js
var errors = __webpack_require__(9473);
// EXTERNAL MODULE: ./build/quote.js
var quote = __webpack_require__(9692);
// EXTERNAL MODULE: ./build/image/decompress.js
var decompress = __webpack_require__(407);
// EXTERNAL MODULE: ./build/image/digest.js
var digest = __webpack_require__(5436);
// EXTERNAL MODULE: ./build/image/tar-header.js
var tar_header = __webpack_require__(9395);
// EXTERNAL MODULE: ./build/image/tar-entry.js
var tar_entry = __webpack_require__(5788);
;// CONCATENATED MODULE: ./build/image/tar-reader.js
// A tar read as its bytes arrive, in chunks of any size: each entry's header (meta entries applied,
// tar-entry.ts), then its data, up to the end-of-archive marker. The marker ends the archive: what follows
// it is not part of the tar — Go's archive/tar, GNU tar, bsdtar and umoci stop there — so it is only
// watched, to tell zeros (padding) from content someone hid there (an eStargz index, a second tar).



class TarReader {
    #visitor;
    #assembler = new tar_entry/* TarEntryAssembler */._v();
    #state = 'header';
    /** Bytes of the tar consumed so far. */
    #pos = 0;
    #block = Buffer.alloc(tar_header/* BLOCK */.IE);
    #filled = 0;
    /** Bytes still to come in the current state (meta, data, skip). */
    #remaining = 0;
    /** After data, the padding to skip. */
    #padAfter = 0;
    #meta;
    #endAt;
    #trailing = 0;
    #trailingNonZero = false;
    constructor(visitor) {
        this.#visitor = visitor;
    }
    /** Where the end-of-archive marker starts, once it was read. */
    get endOffset() {
        return this.#endAt;
    }
    /** Bytes seen after the marker's first block (its second block included), and whether any was not zero. */
    get trailing() {
        return { bytes: this.#trailing, nonZero: this.#trailingNonZero };
    }
    /** Reads the next bytes of the tar. Throws TarFormatError for bytes that are not a tar, or what the visitor threw. */
    push(chunk) {
        let at = 0;
        while (at < chunk.length) {
            const left = chunk.length - at;
            switch (this.#state) {
                case 'header': {
                    const n = Math.min(tar_header/* BLOCK */.IE - this.#filled, left);
                    chunk.copy(this.#block, this.#filled, at, at + n);
                    this.#filled += n;
                    at += n;
                    this.#pos += n;
                    if (this.#filled === tar_header/* BLOCK */.IE) {
                        this.#filled = 0;
                        this.#header(this.#pos - tar_header/* BLOCK */.IE);
                    }
                    break;
                }
                case 'meta': {
                    const meta = this.#meta;
                    const n = Math.min(this.#remaining, left);
                    chunk.copy(meta.data, meta.filled, at, at + n);
                    meta.filled += n;
                    this.#advance(n);
                    at += n;
                    if (this.#remaining === 0) {
                        this.#meta = undefined;
                        this.#assembler.meta(meta.header, meta.data);
                        this.#skip((0,tar_header/* padding */.Ms)(meta.data.length));
                    }
                    break;
                }
                case 'data': {
                    const n = Math.min(this.#remaining, left);
                    this.#advance(n);
                    this.#visitor.data(chunk.subarray(at, at + n));
                    at += n;
                    if (this.#remaining === 0)
                        this.#skip(this.#padAfter);
                    break;
                }
                case 'skip': {
                    const n = Math.min(this.#remaining, left);
                    this.#advance(n);
                    at += n;
                    if (this.#remaining === 0)
                        this.#state = 'header';
                    break;
                }
                case 'end': {
                    this.#trailing += left;
                    if (!this.#trailingNonZero) {
                        for (let i = at; i < chunk.length; i++) {
                            if (chunk[i] !== 0) {
                                this.#trailingNonZero = true;
                                break;
                            }
                        }
                    }
                    this.#pos += left;
                    at = chunk.length;
                    break;
                }
            }
        }
    }
    /**
     * The tar's bytes are over. A tar may lack its end-of-archive marker (Go accepts that too) but must not
     * stop inside an entry: TarFormatError says where it did.
     */
    end() {
        if (this.#state === 'end')
            return;
        if (this.#state === 'header' && this.#filled === 0 && !this.#assembler.pending)
            return;
        const where = this.#state === 'header' ? 'a header' : this.#state === 'meta' ? 'a meta entry' : "an entry's data";
        throw new tar_header/* TarFormatError */.ZV(`the tar ends inside ${where} (at byte ${this.#pos})`);
    }
    #advance(n) {
        this.#remaining -= n;
        this.#pos += n;
    }
    #skip(n) {
        this.#remaining = n;
        this.#state = n > 0 ? 'skip' : 'header';
    }
    #header(offset) {
        const header = (0,tar_header/* decodeHeader */.E2)(this.#block, offset);
        if (header === null) {
            this.#endAt = offset;
            this.#state = 'end';
            return;
        }
        if (tar_entry/* META_TYPES */.IQ.has(header.typeflag)) {
            const size = this.#assembler.metaSize(header);
            this.#meta = { header, data: Buffer.alloc(size), filled: 0 };
            this.#remaining = size;
            this.#state = 'meta';
            if (size === 0) {
                this.#meta = undefined;
                this.#assembler.meta(header, Buffer.alloc(0));
                this.#state = 'header';
            }
            return;
        }
        const entry = this.#assembler.entry(header);
        this.#visitor.entry(entry);
        this.#remaining = entry.size;
        this.#padAfter = (0,tar_header/* padding */.Ms)(entry.size);
        if (entry.size > 0)
            this.#state = 'data';
        else
            this.#skip(0);
    }
}

;// CONCATENATED MODULE: ./build/image/read-layer.js
// Reads one layer into LayerEntry records, in tar order, spooling regular files' bytes. Names and link
// targets stay byte strings. Entry types a rootfs cannot hold (GNU sparse files, volume labels, …) fail
// with UNSUPPORTED rather than being dropped: a silently missing file makes a broken initramfs.
//
// The layer is what its tar holds up to the end-of-archive marker, as umoci, Docker and every tar reader
// see it; anything after the marker is ignored (with a warning when it is not zeros). A file newc cannot
// hold is refused at its header, before a byte of it is decompressed or spooled.





const TYPES = {
    '0': 'file',
    '7': 'file', // contiguous file: a regular file everywhere but on a few old Unixes
    '1': 'hardlink',
    '2': 'symlink',
    '3': 'char',
    '4': 'block',
    '5': 'dir',
    '6': 'fifo',
};
/** newc stores a file's size in 32 bits: a file of 4 GiB or more can never be in the archive. */
const MAX_FILE_SIZE = 0xffff_ffff;
/**
 * Zeros after the end-of-archive marker that are decoded to make sure they are only padding (tar writers
 * pad to their record size, 10 KiB for GNU tar). Past this, or at the first byte that is not zero, the rest
 * is hashed but no longer decompressed: it is not part of the layer, and could inflate without end.
 */
const TRAILING_CHECKED = 1 << 20;
/** A name from a tar (byte string) in a message: as UTF-8, quoted, shortened. */
const named = (name) => (0,quote/* quote */.hD)(Buffer.from(name, 'latin1').toString('utf8'));
const PAX_NUMBER = /^-?\d+(\.\d*)?$/;
/** A pax numeric record (uid, gid, mtime) as an integer, fractions truncated toward zero. */
function paxInteger(value, key, name, layer) {
    const n = PAX_NUMBER.test(value) ? Number.parseInt(value, 10) : Number.NaN;
    if (!Number.isSafeInteger(n)) {
        throw new errors/* InitramfsError */.sp('BAD_LAYER', `layer ${(0,digest/* shortDigest */.VK)(layer.digest)}: entry ${named(name)} has pax ${key}=${(0,quote/* quote */.hD)(Buffer.from(value, 'latin1').toString('utf8'), 40)}, not a number`);
    }
    return Object.is(n, -0) ? 0 : n;
}
function toEntry(t, layer) {
    const type = TYPES[t.typeflag];
    if (type === undefined) {
        throw new errors/* InitramfsError */.sp('UNSUPPORTED', `layer ${(0,digest/* shortDigest */.VK)(layer.digest)}: entry ${named(t.name)} has a tar entry type this tool does not read (GNU sparse file, volume label or similar)`);
    }
    if (type === 'file' && t.size > MAX_FILE_SIZE) {
        throw new errors/* InitramfsError */.sp('ARCHIVE_LIMIT', `layer ${(0,digest/* shortDigest */.VK)(layer.digest)}: file ${named(t.name)} is ${t.size} bytes; newc cannot store a file of 4 GiB or more`);
    }
    const pax = t.pax;
    const paxValue = (key) => {
        const v = pax.get(key);
        return v === undefined || v === '' ? undefined : v;
    };
    const paxUid = paxValue('uid');
    const paxGid = paxValue('gid');
    const paxMtime = paxValue('mtime');
    const name = t.name;
    const mode = t.mode & 0o7777;
    const uid = paxUid !== undefined ? paxInteger(paxUid, 'uid', name, layer) : t.uid;
    const gid = paxGid !== undefined ? paxInteger(paxGid, 'gid', name, layer) : t.gid;
    const mtime = paxMtime !== undefined ? paxInteger(paxMtime, 'mtime', name, layer) : t.mtime;
    // One object literal per kind with every property it gets (a file's `data` comes with its bytes): a
    // property added later takes a second allocation, some 40 bytes for each entry of a big layer.
    let entry;
    if (type === 'file') {
        entry = { name, type, mode, uid, gid, mtime, size: t.size, data: undefined };
    }
    else if (type === 'symlink' || type === 'hardlink') {
        entry = { name, type, mode, uid, gid, mtime, size: 0, linkname: t.linkname };
    }
    else if (type === 'char' || type === 'block') {
        entry = { name, type, mode, uid, gid, mtime, size: 0, devMajor: t.devmajor, devMinor: t.devminor };
    }
    else {
        entry = { name, type, mode, uid, gid, mtime, size: 0 };
    }
    const xattrs = [...pax.keys()]
        .filter((k) => k.startsWith('SCHILY.xattr.') || k.startsWith('LIBARCHIVE.xattr.'))
        .map((k) => k.slice(k.indexOf('.xattr.') + '.xattr.'.length));
    if (xattrs.length > 0)
        entry.xattrs = [...new Set(xattrs)].sort();
    return entry;
}
const badLayer = (layer, err) => (0,errors/* isInitramfsError */._e)(err)
    ? err
    : new errors/* InitramfsError */.sp('BAD_LAYER', `layer ${(0,digest/* shortDigest */.VK)(layer.digest)}: tar is corrupt or truncated (${err.message})`, {
        cause: err,
    });
/**
 * All entries of `layer`'s tar up to its end-of-archive marker, in tar order (whiteouts included as
 * ordinary entries), with regular files' bytes appended to `spool`. Rejects with the layer's
 * DigestMismatchError when its bytes fail verification (that wins over any other error, since the stored
 * bytes are always read to their end first), ARCHIVE_LIMIT for a file of 4 GiB or more, BAD_LAYER for a
 * corrupt or truncated stream, UNSUPPORTED for an entry type outside LayerEntryType. Content after the
 * marker that is not zeros is warned about on `reporter`.
 */
async function readLayer(layer, spool, reporter) {
    const stream = (0,decompress/* openLayerTar */.M)(layer);
    const entries = [];
    let current;
    const reader = new TarReader({
        entry(t) {
            current = toEntry(t, layer);
            entries.push(current);
        },
        data(bytes) {
            // Only a regular file's bytes are content; other types a tar gives data to are refused in toEntry.
            const entry = current;
            const at = spool.append(bytes);
            entry.data ??= { kind: 'spool', spool, offset: at };
        },
    });
    let failure;
    let decoding = true;
    // A stream error (the digest check, or a decoder error after the stored bytes verified) ends the loop
    // by throwing: it is the error to report.
    for await (const chunk of stream) {
        if (!decoding)
            continue;
        try {
            reader.push(chunk);
        }
        catch (e) {
            failure = e;
        }
        const { bytes, nonZero } = reader.trailing;
        if (failure !== undefined || nonZero || bytes > TRAILING_CHECKED) {
            decoding = false;
            stream.discardRest();
        }
    }
    if (failure === undefined) {
        try {
            reader.end();
        }
        catch (e) {
            failure = e;
        }
    }
    if (failure !== undefined)
        throw badLayer(layer, failure);
    if (reader.trailing.nonZero) {
        reporter?.warn(`layer ${layer.digest}: its tar ends at byte ${reader.endOffset}, and the data after that is not part of the layer: ignored, as tar readers ignore it`);
    }
    return entries;
}


/***/ }),

/***/ 9128:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  oD: () => (/* binding */ openSource)
});

// UNUSED EXPORTS: isLocalReference, registryName

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/errors.js
var errors = __webpack_require__(9473);
// EXTERNAL MODULE: ./build/host-path.js
var host_path = __webpack_require__(5670);
// EXTERNAL MODULE: ./build/image/digest.js
var image_digest = __webpack_require__(5436);
;// CONCATENATED MODULE: ./build/image/document-limit.js
// The size limit of an image's JSON documents: index.json and oci-layout, manifests and indexes, configs,
// a docker save manifest.json. Each is read whole and parsed in memory, so each is refused above this size
// before any of it is read. 4 MiB is what registries must accept for a manifest (distribution spec) and
// what skopeo allows for manifests and configs; real documents are kilobytes. Parsing 4 MiB of the most
// expensive JSON costs about 250 MB and 2 s; a 300 MB document took 670 MB before it was refused.

const MAX_DOCUMENT = 4 << 20;
/**
 * BAD_IMAGE for a document over MAX_DOCUMENT; `what` names it with where it is (`oci:DIR: index.json`,
 * `config sha256:…`), `size` is its size when known (else it only grew past the limit).
 */
const documentTooLarge = (what, size) => new errors/* InitramfsError */.sp('BAD_IMAGE', `${what} is too large: ${size === undefined ? `more than ${MAX_DOCUMENT}` : size} bytes, where an image document may have at most 4 MiB (${MAX_DOCUMENT} bytes)`);

// EXTERNAL MODULE: ./build/quote.js
var quote = __webpack_require__(9692);
;// CONCATENATED MODULE: ./build/image/image-config.js
// The image config blob (OCI image-spec config.md; Docker's is the same shape for what we read): its
// platform, its `config` object, and its rootfs diff_ids, checked for the types the rest of the tool relies on.



const isStringArray = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
/** Reads a config blob's parsed JSON; throws BAD_IMAGE naming `what` for anything off-spec. */
function parseImageConfig(json, what) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: not a JSON object`);
    }
    const doc = json;
    const result = { config: {} };
    if (typeof doc.os === 'string' && typeof doc.architecture === 'string') {
        result.platform = { os: doc.os, architecture: doc.architecture };
        if (typeof doc.variant === 'string' && doc.variant !== '')
            result.platform.variant = doc.variant;
    }
    const c = doc.config;
    if (c !== undefined && c !== null) {
        if (typeof c !== 'object' || Array.isArray(c))
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: "config" is not an object`);
        const cfg = c;
        for (const key of ['Entrypoint', 'Cmd', 'Env']) {
            const v = cfg[key];
            if (v === undefined)
                continue;
            if (v !== null && !isStringArray(v)) {
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: config.${key} is not a list of strings`);
            }
            result.config[key] = v;
        }
        for (const key of ['WorkingDir', 'User']) {
            const v = cfg[key];
            if (v === undefined || v === null)
                continue;
            if (typeof v !== 'string')
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: config.${key} is not a string`);
            result.config[key] = v;
        }
    }
    const rootfs = doc.rootfs;
    if (rootfs !== undefined && rootfs !== null && typeof rootfs === 'object') {
        const ids = rootfs.diff_ids;
        if (ids !== undefined && ids !== null) {
            if (!Array.isArray(ids))
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: rootfs.diff_ids is not a list`);
            result.diffIds = ids.map((d, i) => (0,image_digest/* checkDigest */.H2)(d, `${what} rootfs.diff_ids[${i}]`));
        }
    }
    return result;
}
/**
 * JSON.parse with BAD_IMAGE naming the blob instead of a SyntaxError. V8's message quotes a piece of the
 * document itself, so it is escaped like any other image data.
 */
function parseJson(text, what) {
    try {
        return JSON.parse(text);
    }
    catch (e) {
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: not valid JSON (${(0,quote/* escaped */.Mk)(e.message)})`);
    }
}

;// CONCATENATED MODULE: ./build/image/media-types.js
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
const INDEX_TYPES = new Set([OCI_INDEX, DOCKER_MANIFEST_LIST]);
const MANIFEST_TYPES = new Set([OCI_MANIFEST, DOCKER_MANIFEST]);
const CONFIG_TYPES = new Set([OCI_CONFIG, DOCKER_CONFIG]);
const LAYER_COMPRESSION = new Map([
    ['application/vnd.oci.image.layer.v1.tar', 'none'],
    ['application/vnd.oci.image.layer.v1.tar+gzip', 'gzip'],
    ['application/vnd.oci.image.layer.v1.tar+zstd', 'zstd'],
    ['application/vnd.oci.image.layer.nondistributable.v1.tar', 'none'],
    ['application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', 'gzip'],
    ['application/vnd.oci.image.layer.nondistributable.v1.tar+zstd', 'zstd'],
    ['application/vnd.docker.image.rootfs.diff.tar', 'none'],
    ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'gzip'],
    ['application/vnd.docker.image.rootfs.diff.tar.zstd', 'zstd'],
    ['application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 'gzip'],
]);
/** The media type a source without media types (docker-archive) reports for a sniffed compression. */
const layerMediaType = (c) => c === 'none' ? 'application/vnd.oci.image.layer.v1.tar' : `application/vnd.oci.image.layer.v1.tar+${c}`;
/** Docker's image manifest schema 1 (signed or not): the format before schema 2, not read here. */
const SCHEMA1_TYPES = new Set([
    'application/vnd.docker.distribution.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

// EXTERNAL MODULE: ./build/image/platform.js
var image_platform = __webpack_require__(3847);
;// CONCATENATED MODULE: ./build/image/transport.js
// Which kind of source an image reference names, by its prefix, the way skopeo names its transports:
// `oci:DIR[:REF]`, `oci-archive:FILE[:REF]`, `docker-archive:FILE[:REF]`, and a registry reference with or
// without `docker://`. skopeo's other transports are named so the message can say what to do instead.


const LOCAL = ['oci', 'oci-archive', 'docker-archive'];
/** skopeo transports this tool does not read, and what to do instead. */
const OTHER_TRANSPORTS = {
    'docker-daemon': 'save the image first (docker save IMAGE -o image.tar) and use docker-archive:image.tar',
    'containers-storage': 'save the image first (podman save --format oci-archive IMAGE -o image.tar) and use oci-archive:image.tar',
    dir: 'copy it to an OCI layout first (skopeo copy dir:DIR oci:LAYOUT:TAG) and use oci:LAYOUT:TAG',
};
/** The transport `reference` names; a reference without a known prefix is a registry reference. */
function transportOf(reference) {
    for (const t of LOCAL)
        if (reference.startsWith(`${t}:`))
            return t;
    return 'registry';
}
/** True for references read from local files (no registry, no credentials). */
const isLocalReference = (reference) => transportOf(reference) !== 'registry';
/**
 * The registry reference in `reference`: `docker://NAME` (skopeo's spelling) is NAME. skopeo transports
 * this tool does not read (`docker-daemon:`, `containers-storage:`, `dir:`) are USAGE errors that say what
 * to use instead, rather than being misread as a registry host.
 */
function registryName(reference) {
    if (reference.startsWith('docker://'))
        return reference.slice('docker://'.length);
    const colon = reference.indexOf(':');
    const prefix = colon === -1 ? '' : reference.slice(0, colon);
    const instead = OTHER_TRANSPORTS[prefix];
    if (instead !== undefined) {
        throw new errors/* InitramfsError */.sp('USAGE', `image reference ${(0,quote/* quote */.hD)(reference)}: the ${prefix}: transport is not supported; ${instead}`);
    }
    return reference;
}

;// CONCATENATED MODULE: ./build/image/schema1.js
// Docker image manifest schema 1: superseded by schema 2 in Docker 1.10 (2016), still met in old registries and
// in layouts other tools wrote. Not read here; the message says how to convert the image with skopeo.




const SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+json';
/**
 * The schema 1 media type a document is, or undefined: by its descriptor's (or Content-Type's) media
 * type, or by `schemaVersion: 1` in the document whatever the type says.
 */
function schema1Type(mediaType, doc) {
    if (mediaType !== undefined && SCHEMA1_TYPES.has(mediaType))
        return mediaType;
    if (doc?.schemaVersion === 1)
        return SCHEMA1;
    return undefined;
}
/**
 * How to get the image that `reference` names in a form this tool reads. skopeo converts schema 1 when it
 * copies from a registry; it does not read schema 1 out of a layout, so a local copy is made again from
 * the registry it came from.
 */
function convertHint(reference) {
    if (transportOf(reference) !== 'registry') {
        return 'copy it again from its registry with skopeo, which converts it: skopeo copy docker://IMAGE oci:DIR:TAG, then build oci:DIR:TAG';
    }
    const name = reference.startsWith('docker://') ? reference : `docker://${reference}`;
    return `convert it, e.g. skopeo copy --format v2s2 ${name} docker://NEW-NAME and build NEW-NAME, or skopeo copy ${name} oci:DIR:TAG and build oci:DIR:TAG`;
}
/** UNSUPPORTED: `what` (e.g. `manifest sha256:…`) of `reference` is Docker schema 1. */
function schema1Error(reference, what, mediaType) {
    return new errors/* InitramfsError */.sp('UNSUPPORTED', `${reference}: ${what} is Docker schema 1 (${(0,quote/* shown */.SP)(mediaType, 100)}); Docker schema 1 manifests are deprecated and not supported: ` +
        convertHint(reference));
}

;// CONCATENATED MODULE: ./build/image/manifest-walk.js
// Walking from a top descriptor to one platform's image, the same for every source: an index (OCI index
// or Docker manifest list, possibly nested) lists platform manifests; a manifest names a config and
// layers. Where the documents come from (a layout's files, a registry's API) is the `DocumentStore`'s
// business; every document it returns is already verified against its descriptor.







/** Indexes may nest; content addressing rules out cycles, this rules out absurd depth. */
const MAX_INDEX_DEPTH = 8;
/** A JSON value from a document, for a message: as JSON, shortened. */
const manifest_walk_valueOf = (v) => (0,quote/* shown */.SP)(String(JSON.stringify(v)), 40);
function parseDescriptor(value, where) {
    if (typeof value !== 'object' || value === null)
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: not a descriptor object`);
    const d = value;
    const digest = (0,image_digest/* checkDigest */.H2)(d.digest, where);
    if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: size ${manifest_walk_valueOf(d.size)} is not a byte count`);
    }
    if (typeof d.mediaType !== 'string')
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: no mediaType`);
    const desc = { mediaType: d.mediaType, digest, size: d.size };
    const p = d.platform;
    if (p && typeof p === 'object' && typeof p.os === 'string' && typeof p.architecture === 'string') {
        desc.platform = { os: p.os, architecture: p.architecture };
        if (typeof p.variant === 'string' && p.variant !== '')
            desc.platform.variant = p.variant;
    }
    if (d.annotations && typeof d.annotations === 'object') {
        const ann = {};
        for (const [k, v] of Object.entries(d.annotations))
            if (typeof v === 'string')
                ann[k] = v;
        desc.annotations = ann;
    }
    return desc;
}
function descriptorList(doc, key, where) {
    const list = doc[key];
    if (!Array.isArray(list))
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: "${key}" is not a list`);
    return list.map((d, i) => parseDescriptor(d, `${where} ${key}[${i}]`));
}
/** Image manifests, including Docker schema 1 ones: candidates that fail with a clear message when used. */
const isManifestType = (mediaType) => MANIFEST_TYPES.has(mediaType) || SCHEMA1_TYPES.has(mediaType);
/** What a descriptor points at, by its media type. */
function kind(store, desc) {
    if (INDEX_TYPES.has(desc.mediaType))
        return 'index';
    if (isManifestType(desc.mediaType))
        return 'manifest';
    throw new errors/* InitramfsError */.sp('UNSUPPORTED', `${store.reference}: ${desc.digest} has media type ${(0,quote/* shown */.SP)(desc.mediaType, 100)}, which is neither an image manifest nor an index`);
}
/**
 * Every platform manifest under `top`, in index order. The walk recurses at most MAX_INDEX_DEPTH deep and
 * reads each index once: an index listed again (at any depth) adds nothing new, and without that an
 * index naming one nested index a hundred times, eight levels down, would be walked 100^8 times.
 */
async function collectCandidates(store, top) {
    const out = [];
    const walked = new Set();
    const visit = async (desc, depth) => {
        if (kind(store, desc) === 'manifest') {
            out.push({ platform: desc.platform ?? (await manifestPlatform(store, desc)), manifest: desc });
            return;
        }
        if (walked.has(desc.digest))
            return;
        walked.add(desc.digest);
        if (depth >= MAX_INDEX_DEPTH)
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${desc.digest}: indexes nest deeper than ${MAX_INDEX_DEPTH}`);
        const index = await store.manifest(desc);
        for (const child of descriptorList(index, 'manifests', `index ${desc.digest}`)) {
            // Indexes may also list non-image artifacts (attestations, signatures): not candidates.
            if (!INDEX_TYPES.has(child.mediaType) && !isManifestType(child.mediaType))
                continue;
            if (child.platform && child.platform.os === 'unknown')
                continue;
            await visit(child, depth + 1);
        }
    };
    for (const d of top)
        await visit(d, 0);
    return out;
}
/** The first candidate (index order) serving `platform`, or PLATFORM_NOT_FOUND listing those there are. */
function choosePlatform(store, candidates, platform) {
    const chosen = candidates.find((c) => (0,image_platform/* platformMatches */.J5)(platform, c.platform));
    if (chosen)
        return chosen;
    const want = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
    throw new errors/* InitramfsError */.sp('PLATFORM_NOT_FOUND', `${store.reference}: no image for platform ${want}; available: ${(0,image_platform/* listPlatforms */.Rd)(candidates.map((c) => c.platform))}`);
}
/** A manifest listed without a platform serves the one its config declares. */
async function manifestPlatform(store, desc) {
    const { config } = await readManifest(store, desc);
    const parsed = parseImageConfig(await store.config(config), `config ${config.digest}`);
    return parsed.platform ?? { os: 'unknown', architecture: 'unknown' };
}
async function readManifest(store, desc) {
    const m = await store.manifest(desc);
    const schema1 = schema1Type(desc.mediaType, m);
    if (schema1 !== undefined)
        throw schema1Error(store.reference, `manifest ${desc.digest}`, schema1);
    if (m.schemaVersion !== 2) {
        throw new errors/* InitramfsError */.sp('UNSUPPORTED', `manifest ${desc.digest}: schemaVersion ${manifest_walk_valueOf(m.schemaVersion)} (only 2 is read)`);
    }
    const config = parseDescriptor(m.config, `manifest ${desc.digest} config`);
    if (!CONFIG_TYPES.has(config.mediaType)) {
        throw new errors/* InitramfsError */.sp('UNSUPPORTED', `manifest ${desc.digest}: config media type ${(0,quote/* shown */.SP)(config.mediaType, 100)} is not a container image config`);
    }
    return { config, layers: descriptorList(m, 'layers', `manifest ${desc.digest}`) };
}
/** The chosen manifest's config and layers. */
async function resolveCandidate(store, chosen) {
    const { config, layers } = await readManifest(store, chosen.manifest);
    const parsed = parseImageConfig(await store.config(config), `config ${config.digest}`);
    if (parsed.diffIds !== undefined && parsed.diffIds.length !== layers.length) {
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `manifest ${chosen.manifest.digest}: ${layers.length} layers but the config lists ${parsed.diffIds.length} diff_ids`);
    }
    return {
        reference: store.reference,
        digest: chosen.manifest.digest,
        platform: parsed.platform ?? chosen.platform,
        config: parsed.config,
        layers: layers.map((d, i) => {
            const compression = LAYER_COMPRESSION.get(d.mediaType);
            if (compression === undefined) {
                throw new errors/* InitramfsError */.sp('UNSUPPORTED', `layer ${d.digest}: media type ${(0,quote/* shown */.SP)(d.mediaType, 100)} is not a layer type this tool reads`);
            }
            return store.layer(d, compression, parsed.diffIds?.[i]);
        }),
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./build/image/verify.js
// Verification of a blob as its bytes stream past: a Transform that counts and hashes, failing with
// DigestMismatchError as soon as more bytes than promised arrive, or at the end when size or digest differ.




const prefix = (what, digest) => `${what} ${digest}: expected`;
/**
 * A pass-through that checks the bytes against `digest` (sha256) and `size`. `what` names the blob kind for
 * the message ("layer", "config"). Bytes beyond `size` are never passed on.
 */
function verifyStream(digest, size, what) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let count = 0;
    return new external_node_stream_.Transform({
        transform(chunk, _encoding, callback) {
            count += chunk.length;
            if (count > size) {
                // Fail before passing anything beyond the promised size: an oversized blob is not to be trusted and
                // could be endless.
                callback(new errors/* DigestMismatchError */.h(digest, `${prefix(what, digest)} ${size} bytes, got more (blob too large)`));
                return;
            }
            hash.update(chunk);
            callback(null, chunk);
        },
        flush(callback) {
            if (count < size) {
                callback(new errors/* DigestMismatchError */.h(digest, `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${count} bytes (truncated)`));
                return;
            }
            const actual = `sha256:${hash.digest('hex')}`;
            if (actual !== digest) {
                callback(new errors/* DigestMismatchError */.h(digest, `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${count} bytes with digest ${actual}`));
                return;
            }
            callback();
        },
    });
}
/** The same check for a blob already in memory (manifests, configs); throws DigestMismatchError. */
function verifyBytes(bytes, digest, size, what) {
    if (bytes.length !== size) {
        const how = bytes.length < size ? 'truncated' : 'blob too large';
        throw new errors/* DigestMismatchError */.h(digest, `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${bytes.length} bytes (${how})`);
    }
    const actual = (0,image_digest/* sha256Digest */.sI)(bytes);
    if (actual !== digest) {
        throw new errors/* DigestMismatchError */.h(digest, `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${bytes.length} bytes with digest ${actual}`);
    }
}

;// CONCATENATED MODULE: ./build/image/layout-source.js








const REF_NAME = 'org.opencontainers.image.ref.name';
const sortedNames = (names) => {
    const list = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => (0,quote/* shown */.SP)(n, 128));
    return list.length > 0 ? list.join(', ') : '(none)';
};
const blobPath = (digest) => `blobs/sha256/${(0,image_digest/* digestHex */.sU)(digest)}`;
class LayoutSource {
    reference;
    ref;
    #files;
    #transport;
    #candidates;
    /** `transport` is `oci` or `oci-archive`: how a message spells the reference that names one image. */
    constructor(reference, transport, files, ref) {
        this.reference = reference;
        this.ref = ref;
        this.#files = files;
        this.#transport = transport;
    }
    async platforms() {
        return (await this.#resolveCandidates()).map((c) => c.platform);
    }
    async resolve(platform) {
        // Index order decides between equal matches, so the choice depends on nothing but the layout.
        return resolveCandidate(this, choosePlatform(this, await this.#resolveCandidates(), platform));
    }
    #resolveCandidates() {
        this.#candidates ??= Promise.resolve().then(() => collectCandidates(this, this.#topDescriptors()));
        return this.#candidates;
    }
    #readLayoutJson(path) {
        const f = this.#files;
        const size = f.size(path);
        if (size === undefined)
            return undefined;
        if (size > MAX_DOCUMENT)
            throw documentTooLarge(`${this.reference}: ${path}`, size);
        // One byte more than the limit: a file that grew since its size was taken is still caught.
        const bytes = f.read(path, MAX_DOCUMENT + 1);
        if (bytes.length > MAX_DOCUMENT)
            throw documentTooLarge(`${this.reference}: ${path}`);
        const json = parseJson(bytes.toString('utf8'), `${this.reference}: ${path}`);
        if (typeof json !== 'object' || json === null || Array.isArray(json)) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${path} is not a JSON object`);
        }
        return json;
    }
    /** The index.json descriptors the reference selects: all with the REF, or the single one there is. */
    #topDescriptors() {
        const f = this.#files;
        const layout = this.#readLayoutJson('oci-layout');
        if (layout === undefined) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${(0,quote/* quote */.hD)(f.where)} is not an OCI image layout (no oci-layout file)`);
        }
        if (typeof layout.imageLayoutVersion !== 'string') {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: oci-layout has no imageLayoutVersion`);
        }
        const index = this.#readLayoutJson('index.json');
        if (index === undefined)
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${f.noun} has no index.json`);
        const all = descriptorList(index, 'manifests', `${this.reference}: index.json`);
        const refs = all.map((d) => d.annotations?.[REF_NAME]).filter((r) => r !== undefined);
        if (this.ref === undefined) {
            if (all.length !== 1) {
                throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${this.reference}: ${f.noun} holds ${all.length} images; name one as ${(0,quote/* shown */.SP)(`${this.#transport}:${f.where}`)}:REF (refs: ${sortedNames(refs)})`);
            }
            return all;
        }
        const selected = all.filter((d) => d.annotations?.[REF_NAME] === this.ref);
        if (selected.length === 0) {
            throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${this.reference}: no image tagged ${(0,quote/* quote */.hD)(this.ref)}; refs: ${sortedNames(refs)}`);
        }
        return selected;
    }
    /** Reads, verifies and parses a JSON blob. */
    #readJson(desc, what) {
        if (desc.size > MAX_DOCUMENT)
            throw documentTooLarge(`${this.reference}: ${what} ${desc.digest}`, desc.size);
        const path = blobPath(desc.digest);
        if (this.#files.size(path) === undefined) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${what} blob ${desc.digest} is missing from ${this.#files.noun}`);
        }
        // One byte more than promised, so that a longer file fails its check as too large.
        const bytes = this.#files.read(path, desc.size + 1);
        verifyBytes(bytes, desc.digest, desc.size, what);
        const json = parseJson(bytes.toString('utf8'), `${what} ${desc.digest}`);
        if (typeof json !== 'object' || json === null || Array.isArray(json)) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what} ${desc.digest}: not a JSON object`);
        }
        return json;
    }
    async manifest(desc) {
        return this.#readJson(desc, INDEX_TYPES.has(desc.mediaType) ? 'index' : 'manifest');
    }
    async config(desc) {
        return this.#readJson(desc, 'config');
    }
    layer(desc, compression, diffId) {
        const path = blobPath(desc.digest);
        if (this.#files.size(path) === undefined) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: layer blob ${desc.digest} is missing from ${this.#files.noun}`);
        }
        const files = this.#files;
        const layer = {
            digest: desc.digest,
            size: desc.size,
            mediaType: desc.mediaType,
            compression,
            open: () => files.open(path, { digest: desc.digest, size: desc.size, what: 'layer' }),
        };
        if (diffId !== undefined)
            layer.diffId = diffId;
        return layer;
    }
}

;// CONCATENATED MODULE: ./build/image/regular-file.js
// The files of a layout directory are read only when they are regular files. A FIFO where a blob should be
// would block the build forever on its open or its read; a device might be read without end, and opening
// some (a tape, a watchdog) does something by itself. So the type is checked with stat before any open,
// and again on the descriptor (opened non-blocking and without taking a terminal), in case the file was
// swapped in between.



const kindOf = (st) => st.isDirectory()
    ? 'a directory'
    : st.isFIFO()
        ? 'a FIFO'
        : st.isSocket()
            ? 'a socket'
            : st.isCharacterDevice()
                ? 'a character device'
                : st.isBlockDevice()
                    ? 'a block device'
                    : 'not a regular file';
const notRegular = (path, what, st) => new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: ${(0,quote/* quote */.hD)(path)} is ${kindOf(st)}, where a regular file should be`);
/** Unreadable: the machine's doing (IO), or the layout's when its symlinks loop or run too long (BAD_IMAGE). */
const cannotRead = (path, what, e) => {
    const code = e.code;
    const theLayouts = code === 'ELOOP' || code === 'ENAMETOOLONG';
    return new errors/* InitramfsError */.sp(theLayouts ? 'BAD_IMAGE' : 'IO', `${what}: cannot read ${(0,quote/* quote */.hD)(path)} (${code ?? e.message})`, { cause: e });
};
/** Nothing is there: the caller says what is missing. */
const absent = (e) => ['ENOENT', 'ENOTDIR'].includes(e.code ?? '');
/**
 * The size of the regular file at `path` (symlinks followed), or undefined when nothing is there. Anything
 * else there is BAD_IMAGE, a file that cannot be stat'ed IO, both naming `what` (the layout).
 */
function regularFileSize(path, what) {
    let st;
    try {
        st = (0,external_node_fs_.statSync)(path);
    }
    catch (e) {
        if (absent(e))
            return undefined;
        throw cannotRead(path, what, e);
    }
    if (!st.isFile())
        throw notRegular(path, what, st);
    return st.size;
}
/** The regular file at `path` opened for reading (a descriptor to close), or undefined when nothing is there. */
function openRegularFile(path, what) {
    if (regularFileSize(path, what) === undefined)
        return undefined;
    let fd;
    try {
        // Windows has neither flag (nor FIFOs or terminals that they guard against): 0 there.
        fd = (0,external_node_fs_.openSync)(path, external_node_fs_.constants.O_RDONLY | (external_node_fs_.constants.O_NONBLOCK ?? 0) | (external_node_fs_.constants.O_NOCTTY ?? 0));
    }
    catch (e) {
        if (absent(e))
            return undefined;
        throw cannotRead(path, what, e);
    }
    const st = (0,external_node_fs_.fstatSync)(fd);
    if (!st.isFile()) {
        (0,external_node_fs_.closeSync)(fd);
        throw notRegular(path, what, st);
    }
    return fd;
}

;// CONCATENATED MODULE: ./build/image/oci-layout.js
// Images from an OCI image layout directory (`oci:DIR[:REF]`): the layout's files are the directory's.
// A file where the directory should be is most likely the same layout in a tar: the message says to use
// oci-archive:.








/**
 * Splits `oci:DIR[:REF]`. When everything after `oci:` is an existing directory it is the DIR (so a
 * directory whose name contains ':' works); otherwise the REF is what follows the last ':' — never the
 * colon of a Windows drive: `oci:C:\layouts\app` is the directory `C:\layouts\app`, with no REF.
 */
function parseOciReference(reference, platform = process.platform) {
    if (!reference.startsWith('oci:')) {
        throw new errors/* InitramfsError */.sp('USAGE', `image reference ${(0,quote/* quote */.hD)(reference)}: expected oci:DIR[:REF]`);
    }
    const rest = reference.slice('oci:'.length);
    if (rest === '')
        throw new errors/* InitramfsError */.sp('USAGE', `image reference ${(0,quote/* quote */.hD)(reference)}: no directory after oci:`);
    if (isDirectory(rest))
        return { dir: rest };
    const colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon < (0,host_path/* separatorsFrom */.LZ)(rest, platform) || colon === rest.length - 1)
        return { dir: rest };
    return { dir: rest.slice(0, colon), ref: rest.slice(colon + 1) };
}
function statOrUndefined(path) {
    try {
        return (0,external_node_fs_.statSync)(path);
    }
    catch {
        return undefined;
    }
}
const isDirectory = (path) => statOrUndefined(path)?.isDirectory() === true;
/** A layout's files in a directory; only regular files are read (regular-file.ts). */
class DirectoryFiles {
    noun = 'the layout';
    where;
    #what;
    constructor(dir) {
        this.where = dir;
        this.#what = `layout ${(0,quote/* quote */.hD)(dir)}`;
    }
    size(path) {
        return regularFileSize((0,external_node_path_.join)(this.where, path), this.#what);
    }
    read(path, max) {
        const fd = openRegularFile((0,external_node_path_.join)(this.where, path), this.#what);
        if (fd === undefined)
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.#what}: ${path} is gone`);
        try {
            const buf = Buffer.alloc(Math.min((0,external_node_fs_.fstatSync)(fd).size, max));
            let done = 0;
            for (let n = -1; n !== 0 && done < buf.length; done += n)
                n = (0,external_node_fs_.readSync)(fd, buf, done, buf.length - done, done);
            return buf.subarray(0, done);
        }
        finally {
            (0,external_node_fs_.closeSync)(fd);
        }
    }
    open(path, check) {
        const fd = openRegularFile((0,external_node_path_.join)(this.where, path), this.#what);
        if (fd === undefined)
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.#what}: ${path} is gone`);
        const verify = verifyStream(check.digest, check.size, check.what);
        const file = (0,external_node_fs_.createReadStream)('', { fd, highWaterMark: 1 << 20 });
        file.on('error', (err) => verify.destroy(err));
        return file.pipe(verify);
    }
}
class OciLayoutSource extends LayoutSource {
    dir;
    /** `reference` is `oci:DIR[:REF]` as the user wrote it. Nothing is read until platforms()/resolve(). */
    constructor(reference) {
        const { dir, ref } = parseOciReference(reference);
        super(reference, 'oci', new DirectoryFiles(dir), ref);
        this.dir = dir;
    }
    /** Opens `oci:DIR[:REF]` and reads its index, so a missing directory or unknown REF fails here. */
    static async open(reference) {
        const source = new OciLayoutSource(reference);
        const st = statOrUndefined(source.dir);
        if (st?.isFile()) {
            const archive = `oci-archive:${source.dir}${source.ref !== undefined ? `:${source.ref}` : ''}`;
            throw new errors/* InitramfsError */.sp('USAGE', `${reference}: ${(0,quote/* quote */.hD)(source.dir)} is a file, and oci: reads a layout directory; for a layout in a tar (docker buildx --output type=oci,dest=FILE, skopeo copy … oci-archive:FILE) use ${(0,quote/* shown */.SP)(archive)}`);
        }
        if (!st?.isDirectory()) {
            throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${reference}: directory ${(0,quote/* quote */.hD)(source.dir)} does not exist`);
        }
        await source.platforms();
        return source;
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./build/image/decompress.js
var decompress = __webpack_require__(407);
// EXTERNAL MODULE: ./build/image/tar-header.js
var tar_header = __webpack_require__(9395);
// EXTERNAL MODULE: ./build/image/tar-entry.js
var tar_entry = __webpack_require__(5788);
;// CONCATENATED MODULE: ./build/image/tar-index.js
// An index of an uncompressed tar file's members (name → data offset and size), built by reading only the
// 512-byte headers and seeking past the data, so a multi-gigabyte `docker save` archive is never copied.
// Headers are decoded (tar-header.ts) and meta entries applied (tar-entry.ts) exactly as a layer's are.




/** Reads the headers of the tar at `path` and returns its members in order (later duplicates included). */
function indexTar(path) {
    const fd = (0,external_node_fs_.openSync)(path, 'r');
    try {
        return indexTarFd(fd);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** `length` bytes at `position`, or undefined when the file ends first. */
function readAt(fd, length, position) {
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
        const n = (0,external_node_fs_.readSync)(fd, buf, done, length - done, position + done);
        if (n === 0)
            return undefined;
        done += n;
    }
    return buf;
}
function indexTarFd(fd) {
    const members = [];
    const assembler = new tar_entry/* TarEntryAssembler */._v();
    let pos = 0;
    for (;;) {
        const block = readAt(fd, tar_header/* BLOCK */.IE, pos);
        if (block === undefined) {
            // A tar without its end-of-archive marker is common enough (some writers omit it) to accept at an
            // entry boundary.
            if (pos > 0 && !assembler.pending)
                return members;
            throw new tar_header/* TarFormatError */.ZV(`tar truncated at byte ${pos}`);
        }
        // The end-of-archive marker: what follows is not part of the archive.
        const header = (0,tar_header/* decodeHeader */.E2)(block, pos);
        if (header === null)
            return members;
        const dataAt = pos + tar_header/* BLOCK */.IE;
        if (tar_entry/* META_TYPES */.IQ.has(header.typeflag)) {
            const size = assembler.metaSize(header);
            const data = readAt(fd, size, dataAt);
            if (data === undefined)
                throw new tar_header/* TarFormatError */.ZV(`tar truncated in the meta entry at byte ${pos}`);
            assembler.meta(header, data);
            pos = dataAt + size + (0,tar_header/* padding */.Ms)(size);
            continue;
        }
        const entry = assembler.entry(header);
        let name = entry.name;
        while (name.startsWith('./'))
            name = name.slice(2);
        members.push({ name, type: entry.typeflag, offset: dataAt, size: entry.size, linkname: entry.linkname });
        pos = dataAt + entry.size + (0,tar_header/* padding */.Ms)(entry.size);
    }
}

;// CONCATENATED MODULE: ./build/image/tar-archive.js
// An uncompressed tar file read as a set of named members, each by its byte range: what `docker save`
// archives and OCI archives are. The headers are indexed once (tar-index.ts); a member's data is read or
// streamed straight out of the file, never extracted. Links between members are followed inside the
// archive only, as docker save uses them to store a layer once.









/** Symlink hops followed when a member is a link to an identical one (docker save dedups that way). */
const MAX_LINK_HOPS = 16;
/** A member's name as a lookup key: normalised, no leading "./", no trailing "/". */
const key = (name) => external_node_path_.posix.normalize(name).replace(/^(\.\/)+/, '').replace(/\/+$/, '');
class TarArchive {
    /** The file read (a decompressed copy of the user's file, when that was compressed). */
    path;
    /** What messages call the archive: the reference as the user wrote it. */
    label;
    #members;
    constructor(path, label) {
        this.path = path;
        this.label = label;
    }
    /**
     * The members by name (later ones replace earlier ones of the same name, as when the tar is extracted).
     * Throws TarFormatError when the file is not a tar.
     */
    members() {
        this.#members ??= new Map(indexTar(this.path).map((m) => [key(m.name), m]));
        return this.#members;
    }
    /** Whether the archive has a member called `name` (links not followed). */
    has(name) {
        return this.members().has(key(name));
    }
    /**
     * The regular-file member `name` refers to, links followed; undefined when there is none. A link that
     * leaves the archive, loops, or ends at something that is not a file is BAD_IMAGE naming `what`.
     */
    find(name, what) {
        const members = this.members();
        let current = key(name);
        for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            const m = members.get(current);
            if (!m)
                return undefined;
            if (m.type === '0' || m.type === '7')
                return m;
            if (m.type !== '1' && m.type !== '2') {
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.label}: ${what} ${(0,quote/* quote */.hD)(name)} is not a regular file in the archive`);
            }
            // Symlink targets are relative to the link's directory; hardlink targets name a member.
            const target = m.type === '2' ? external_node_path_.posix.join(external_node_path_.posix.dirname(current), m.linkname) : m.linkname;
            current = key(target);
            if (current === '..' || current.startsWith('../') || target.startsWith('/')) {
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.label}: ${what} ${(0,quote/* quote */.hD)(name)} links outside the archive`);
            }
        }
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.label}: ${what} ${(0,quote/* quote */.hD)(name)}: too many links`);
    }
    /** Like find(), but a missing member is BAD_IMAGE saying so. */
    member(name, what) {
        const m = this.find(name, what);
        if (!m)
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.label}: ${what} ${(0,quote/* quote */.hD)(name)} is not in the archive`);
        return m;
    }
    /** A member's bytes, refused before any is read when larger than `max` (a document: document-limit.ts). */
    read(m, what, max) {
        if (m.size > max)
            throw documentTooLarge(`${this.label}: ${what}`, m.size);
        return this.readRange(m.offset, m.size);
    }
    /** Up to `length` bytes from the start of a member (to sniff a layer's compression). */
    head(m, length) {
        return this.readRange(m.offset, Math.min(length, m.size));
    }
    /**
     * A member's bytes as a stream checked against `check`: a member shorter or longer than the size
     * promised fails the check (truncated, too large) rather than reading into its neighbours.
     */
    open(m, check) {
        const verify = verifyStream(check.digest, check.size, check.what);
        if (m.size === 0)
            return external_node_stream_.Readable.from([]).pipe(verify);
        // fs ranges are inclusive.
        const file = (0,external_node_fs_.createReadStream)(this.path, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: 1 << 20 });
        file.on('error', (err) => verify.destroy(err));
        return file.pipe(verify);
    }
    /** `sha256:<hex>` of a member's bytes. */
    hash(m) {
        const hash = (0,external_node_crypto_.createHash)('sha256');
        this.#eachChunk(m.offset, m.size, (chunk) => hash.update(chunk));
        return `sha256:${hash.digest('hex')}`;
    }
    readRange(offset, length) {
        const buf = Buffer.alloc(length);
        let done = 0;
        this.#eachChunk(offset, length, (chunk) => {
            chunk.copy(buf, done);
            done += chunk.length;
        });
        return buf;
    }
    #eachChunk(offset, length, f) {
        const fd = (0,external_node_fs_.openSync)(this.path, 'r');
        try {
            const buf = Buffer.alloc(Math.min(length, 1 << 20));
            let done = 0;
            while (done < length) {
                const n = (0,external_node_fs_.readSync)(fd, buf, 0, Math.min(buf.length, length - done), offset + done);
                if (n === 0)
                    throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.label}: the archive is truncated (a member at byte ${offset} ends early)`);
                f(buf.subarray(0, n));
                done += n;
            }
        }
        finally {
            (0,external_node_fs_.closeSync)(fd);
        }
    }
}


// EXTERNAL MODULE: ./build/scratch.js + 1 modules
var build_scratch = __webpack_require__(5608);
;// CONCATENATED MODULE: ./build/image/archive-file.js
// An image archive file (`docker-archive:FILE`, `oci-archive:FILE`) made ready to be read by byte range:
// a plain tar is used where it is; a gzip or zstd one (`docker save img | gzip > img.tar.gz`) is
// decompressed once into this process's scratch directory in the cache (scratch.ts, which a signal or the
// next build after a kill removes) and removed when the source closes. What a file is comes from
// its first bytes, never from its name; formats this tool does not decompress get a message that says how
// to do it.












/** Compressions this tool decompresses itself. */
const READABLE = new Set(['none', 'gzip', 'zstd']);
const startsWith = (head, magic) => magic.every((b, i) => head[i] === b);
/**
 * The compression of a file that starts with `head` (512 bytes or all there are). A valid tar header wins
 * over every magic, since a member's name may begin with any bytes; zstd counts a leading skippable frame
 * (pzstd writes one) as zstd.
 */
function sniffArchiveCompression(head) {
    if ((0,tar_header/* isTarHeader */.FY)(head))
        return 'none';
    if (startsWith(head, [0x1f, 0x8b]))
        return 'gzip';
    if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd]))
        return 'zstd';
    if (head.length >= 4 && (head[0] & 0xf0) === 0x50 && startsWith(head.subarray(1), [0x2a, 0x4d, 0x18]))
        return 'zstd';
    if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))
        return 'xz';
    if (startsWith(head, [0x42, 0x5a, 0x68]) && head[3] >= 0x31 && head[3] <= 0x39)
        return 'bzip2';
    if (startsWith(head, [0x04, 0x22, 0x4d, 0x18]))
        return 'lz4';
    return 'none';
}
/** The command that writes `file` decompressed to image.tar, for formats the tool leaves to the user. */
const DECOMPRESS_COMMAND = { xz: 'xz -dc', bzip2: 'bzip2 -dc', lz4: 'lz4 -dc' };
/** `s` as one shell word (for commands shown in messages). */
const shellWord = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);
function exists(path) {
    try {
        (0,external_node_fs_.statSync)(path);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Splits `TRANSPORT:FILE[:REF]` (`docker-archive:`, `oci-archive:`). A REF may contain ':' itself
 * (`busybox:latest`), so the FILE is the whole rest when that exists, else the shortest prefix ending
 * before a ':' that exists; with none, the whole rest is the FILE (and its absence is reported later).
 * Anything that exists counts (a directory, a pipe), so the message can say what it is. The colon of a
 * Windows drive (`docker-archive:C:\images\app.tar:latest`) is part of the FILE, never a place to split.
 */
function archive_file_parseArchiveReference(transport, reference, platform = process.platform) {
    const prefix = `${transport}:`;
    if (!reference.startsWith(prefix)) {
        throw new errors/* InitramfsError */.sp('USAGE', `image reference ${(0,quote/* quote */.hD)(reference)}: expected ${prefix}FILE[:REF]`);
    }
    const rest = reference.slice(prefix.length);
    if (rest === '')
        throw new errors/* InitramfsError */.sp('USAGE', `image reference ${(0,quote/* quote */.hD)(reference)}: no file after ${prefix}`);
    if (exists(rest))
        return { file: rest };
    return archiveSplits(rest, platform).find((split) => exists(split.file)) ?? { file: rest };
}
/** The ways to read `FILE:REF` out of `rest` (what follows the transport), in the order they are tried. */
function archiveSplits(rest, platform = process.platform) {
    const splits = [];
    for (let i = rest.indexOf(':', (0,host_path/* separatorsFrom */.LZ)(rest, platform)); i > 0; i = rest.indexOf(':', i + 1)) {
        if (i < rest.length - 1)
            splits.push({ file: rest.slice(0, i), ref: rest.slice(i + 1) });
    }
    return splits;
}
function readHead(file, length) {
    const fd = (0,external_node_fs_.openSync)(file, 'r');
    try {
        const buf = Buffer.alloc(length);
        let done = 0;
        for (let n = -1; n !== 0 && done < length; done += n)
            n = (0,external_node_fs_.readSync)(fd, buf, done, length - done, done);
        return buf.subarray(0, done);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** A private directory in the scratch directory of `<cacheDir>` for one archive's copies. */
async function makeTmpDir(scratch, opts) {
    try {
        return await (0,promises_.mkdtemp)((0,external_node_path_.join)(scratch.dir, 'archive-'));
    }
    catch (e) {
        throw new errors/* InitramfsError */.sp('IO', `${opts.reference}: cannot create a directory in ${(0,quote/* quote */.hD)(scratch.dir)} (${e.message})`, { cause: e });
    }
}
/** A lease on the scratch directory of the cache, for an archive that must be copied. */
function leaseScratch(opts) {
    if (opts.cacheDir === undefined)
        throw new Error(`${opts.reference}: reading this archive needs a cache directory for its copy`);
    return (0,build_scratch/* acquireScratch */.xX)(opts.cacheDir);
}
/**
 * Copies `from` to `to` through `decoder` (none: as is). Which stream failed decides the error: the
 * user's file (IO), its compressed bytes (BAD_IMAGE), or the cache's disk (IO).
 */
async function copyThrough(from, to, decoder, compression, opts) {
    let failed;
    const mark = (stream, where) => {
        stream.once('error', () => (failed ??= where));
        return stream;
    };
    const input = mark((0,external_node_fs_.createReadStream)(from, { highWaterMark: 1 << 20 }), 'read');
    const output = mark((0,external_node_fs_.createWriteStream)(to, { flags: 'wx', mode: 0o600 }), 'write');
    try {
        if (decoder)
            await (0,external_node_stream_promises_.pipeline)(input, mark(decoder, 'decode'), output);
        else
            await (0,external_node_stream_promises_.pipeline)(input, output);
    }
    catch (e) {
        const why = e.code ?? e.message;
        if (failed === 'decode') {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${opts.reference}: the ${compression} stream is corrupt or truncated (${e.message})`, { cause: e });
        }
        if (failed === 'write') {
            throw new errors/* InitramfsError */.sp('IO', `${opts.reference}: cannot write a copy of the archive under ${(0,quote/* quote */.hD)(to)} (${why})`, { cause: e });
        }
        throw new errors/* InitramfsError */.sp('IO', `${opts.reference}: cannot read ${(0,quote/* quote */.hD)(from)} (${why})`, { cause: e });
    }
}
/**
 * `file` as a plain tar. A regular file that is a tar is used where it is. Anything else is copied into
 * `archive-*` in the scratch directory of the cache (`<cacheDir>/tmp/run-*`), removed by close(): gzip (members concatenated or not) and zstd (frames
 * concatenated, skippable frames between) decompressed, a pipe (`docker save img | … docker-archive:/dev/stdin`)
 * copied. xz, bzip2 and lz4 are UNSUPPORTED with the command that decompresses them. On failure nothing
 * is left behind.
 */
async function openPlainArchive(file, opts) {
    let scratch;
    let dir;
    const close = async () => {
        if (dir !== undefined)
            await (0,promises_.rm)(dir, { recursive: true, force: true });
        await scratch?.release();
    };
    try {
        let source = file;
        if (!(0,external_node_fs_.statSync)(file).isFile()) {
            // A pipe or device can be read once, from its start: keep a copy to read by range.
            scratch = leaseScratch(opts);
            dir = await makeTmpDir(scratch, opts);
            source = (0,external_node_path_.join)(dir, 'input');
            await copyThrough(file, source, undefined, 'none', opts);
        }
        let compression;
        try {
            compression = sniffArchiveCompression(readHead(source, 512));
        }
        catch (e) {
            throw new errors/* InitramfsError */.sp('IO', `${opts.reference}: cannot read ${(0,quote/* quote */.hD)(file)} (${e.code ?? e.message})`, { cause: e });
        }
        if (compression === 'none')
            return { path: source, compression, close };
        if (!READABLE.has(compression)) {
            const command = `${DECOMPRESS_COMMAND[compression]} ${shellWord(file)} > image.tar`;
            throw new errors/* InitramfsError */.sp('UNSUPPORTED', `${opts.reference}: ${(0,quote/* quote */.hD)(file)} is compressed with ${compression}, which this tool does not decompress; ` +
                `decompress it first (${command}) and use ${opts.transport}:image.tar, or compress it with gzip or zstd instead`);
        }
        scratch ??= leaseScratch(opts);
        dir ??= await makeTmpDir(scratch, opts);
        const path = (0,external_node_path_.join)(dir, 'archive.tar');
        opts.reporter?.info(`decompressing ${compression} archive ${(0,quote/* shown */.SP)(file)}`);
        const decoder = compression === 'gzip' ? (0,external_node_zlib_.createGunzip)({ chunkSize: 1 << 20 }) : new decompress/* ZstdMultiFrameDecompress */.t();
        await copyThrough(source, path, decoder, compression, opts);
        if (source !== file)
            await (0,promises_.rm)(source, { force: true });
        return { path, compression, close };
    }
    catch (e) {
        await close();
        throw e;
    }
}
/** How each archive transport's message names the transport that reads a directory instead. */
const DIRECTORY_HINT = {
    'oci-archive': 'oci-archive: reads a tar of an OCI layout; for the layout directory itself use',
    'docker-archive': 'docker-archive: reads the tar docker save writes; for an OCI layout directory use',
};
/**
 * Opens `TRANSPORT:FILE[:REF]` down to an indexed tar: a missing file is IMAGE_NOT_FOUND, a directory is
 * USAGE pointing at oci:, compression is dealt with by openPlainArchive, and bytes that are no tar are
 * BAD_IMAGE. On failure nothing is left in the cache.
 */
async function openArchive(reference, opts) {
    const { file, ref } = archive_file_parseArchiveReference(opts.transport, reference);
    let st;
    try {
        st = (0,external_node_fs_.statSync)(file);
    }
    catch {
        st = undefined;
    }
    if (st === undefined)
        throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${reference}: file ${(0,quote/* quote */.hD)(file)} does not exist`);
    if (st.isDirectory()) {
        const layout = `oci:${file}${ref !== undefined ? `:${ref}` : ''}`;
        throw new errors/* InitramfsError */.sp('USAGE', `${reference}: ${(0,quote/* quote */.hD)(file)} is a directory; ${DIRECTORY_HINT[opts.transport]} ${(0,quote/* shown */.SP)(layout)}`);
    }
    const plain = await openPlainArchive(file, { ...opts, reference });
    try {
        const tar = new TarArchive(plain.path, reference);
        try {
            tar.members();
        }
        catch (e) {
            if (!(e instanceof tar_header/* TarFormatError */.ZV))
                throw e;
            const what = plain.compression === 'none'
                ? `${(0,quote/* quote */.hD)(file)} is neither a tar archive nor gzip- or zstd-compressed`
                : `${(0,quote/* quote */.hD)(file)} decompressed (${plain.compression}) is not a tar archive`;
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${reference}: ${what} (${e.message})`);
        }
        const opened = { file, tar, close: plain.close };
        if (ref !== undefined)
            opened.ref = ref;
        return opened;
    }
    catch (e) {
        await plain.close();
        throw e;
    }
}

;// CONCATENATED MODULE: ./build/image/oci-archive.js




/** A layout's files as members of a tar. */
class ArchiveFiles {
    noun = 'the archive';
    where;
    #tar;
    constructor(tar, file) {
        this.#tar = tar;
        this.where = file;
    }
    size(path) {
        return this.#tar.find(path, 'file')?.size;
    }
    read(path, max) {
        const m = this.#tar.member(path, 'file');
        return this.#tar.readRange(m.offset, Math.min(m.size, max));
    }
    open(path, check) {
        return this.#tar.open(this.#tar.member(path, 'blob'), check);
    }
}
class OciArchiveSource extends LayoutSource {
    /** The archive as the user named it. */
    file;
    #archive;
    constructor(reference, archive) {
        super(reference, 'oci-archive', new ArchiveFiles(archive.tar, archive.file), archive.ref);
        this.file = archive.file;
        this.#archive = archive;
    }
    /**
     * Opens `oci-archive:FILE[:REF]` (decompressing it into the cache's tmp/ when it is gzip or zstd) and
     * reads its index, so a missing file, a docker save tar of Docker < 25, or an unknown REF fails here.
     */
    static async open(reference, opts = {}) {
        const archive = await openArchive(reference, { ...opts, transport: 'oci-archive' });
        try {
            const { tar } = archive;
            if (!tar.has('oci-layout') && tar.has('manifest.json')) {
                const docker = `docker-archive:${archive.file}${archive.ref !== undefined ? `:${archive.ref}` : ''}`;
                throw new errors/* InitramfsError */.sp('USAGE', `${reference}: ${(0,quote/* quote */.hD)(archive.file)} is a docker save archive (manifest.json, no oci-layout); use ${(0,quote/* shown */.SP)(docker)}`);
            }
            const source = new OciArchiveSource(reference, archive);
            await source.platforms();
            return source;
        }
        catch (e) {
            await archive.close();
            throw e;
        }
    }
    /** Removes the decompressed copy of the archive, if one was made. */
    async close() {
        await this.#archive.close();
    }
}

;// CONCATENATED MODULE: ./build/image/docker-archive.js
// Images from a `docker save` tar (`docker-archive:FILE[:REF]`): manifest.json names each image's config
// and layer tars inside the archive, either `<id>/layer.tar` (Docker < 25) or `blobs/sha256/<hex>` (Docker
// ≥ 25, OCI layout inside). Layers are streamed straight out of the archive by byte range, never copied;
// a gzip or zstd archive (`docker save img | gzip`) is decompressed once into the cache's tmp/ first.










const BLOB_NAME = /^blobs\/sha256\/([0-9a-f]{64})$/;
const CONFIG_NAME = /^([0-9a-f]{64})\.json$/;
/**
 * Splits `docker-archive:FILE[:REF]`. A RepoTag REF contains ':' itself (`busybox:latest`), so the FILE is
 * the shortest prefix ending before a ':' that is an existing file; with none, the whole rest is the FILE.
 */
const parseDockerArchiveReference = (reference) => parseArchiveReference('docker-archive', reference);
/**
 * A RepoTag in Docker's fully qualified form, so `box`, `box:latest` and `docker.io/library/box:latest`
 * (as skopeo writes it) are one name: a first component without '.' or ':' (and not localhost) is a Docker
 * Hub path, a one-component Hub path is under library/, and a missing tag is latest.
 */
function normalizeRepoTag(tag) {
    const slash = tag.indexOf('/');
    const first = slash === -1 ? '' : tag.slice(0, slash);
    let name = tag;
    if (slash === -1)
        name = `docker.io/library/${tag}`;
    else if (!first.includes('.') && !first.includes(':') && first !== 'localhost')
        name = `docker.io/${tag}`;
    if (name.startsWith('docker.io/') && name.split('/').length === 2)
        name = name.replace('docker.io/', 'docker.io/library/');
    const last = name.slice(name.lastIndexOf('/') + 1);
    return last.includes(':') || last.includes('@') ? name : `${name}:latest`;
}
const matchesTag = (tags, ref) => {
    const want = normalizeRepoTag(ref);
    return tags.some((t) => normalizeRepoTag(t) === want);
};
/**
 * Sniffs a layer's compression from its first bytes (docker-archive has no media types); a leading
 * skippable frame (pzstd writes one) is zstd.
 */
function sniffCompression(head) {
    if (head[0] === 0x1f && head[1] === 0x8b)
        return 'gzip';
    if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd)
        return 'zstd';
    if ((head[0] & 0xf0) === 0x50 && head[1] === 0x2a && head[2] === 0x4d && head[3] === 0x18)
        return 'zstd';
    return 'none';
}
class DockerArchiveSource {
    reference;
    /** The archive as the user named it. */
    file;
    ref;
    #archive;
    #tar;
    #item;
    #config;
    constructor(reference, archive) {
        this.reference = reference;
        this.file = archive.file;
        this.ref = archive.ref;
        this.#archive = archive;
        this.#tar = archive.tar;
    }
    /**
     * Opens the archive (decompressing it into the cache's tmp/ when it is gzip or zstd) and reads its
     * manifest and config, so a missing file, an OCI archive, or an unknown REF fails here.
     */
    static async open(reference, opts = {}) {
        const archive = await openArchive(reference, { ...opts, transport: 'docker-archive' });
        try {
            const source = new DockerArchiveSource(reference, archive);
            await source.platforms();
            return source;
        }
        catch (e) {
            await archive.close();
            throw e;
        }
    }
    /** Removes the decompressed copy of the archive, if one was made. */
    async close() {
        await this.#archive.close();
    }
    async platforms() {
        const { platform } = this.#imageConfig();
        return platform ? [platform] : [];
    }
    async resolve(platform) {
        const item = this.#chosenItem();
        const config = this.#imageConfig();
        // An archive's image serves one platform; one that does not say which is taken as asked for.
        if (config.platform && !(0,image_platform/* platformMatches */.J5)(platform, config.platform)) {
            const want = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
            throw new errors/* InitramfsError */.sp('PLATFORM_NOT_FOUND', `${this.reference}: no image for platform ${want}; available: ${(0,image_platform/* listPlatforms */.Rd)([config.platform])}`);
        }
        if (config.diffIds !== undefined && config.diffIds.length !== item.Layers.length) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: manifest.json lists ${item.Layers.length} layers but the config lists ${config.diffIds.length} diff_ids`);
        }
        return {
            reference: this.reference,
            platform: config.platform ?? platform,
            config: config.config,
            layers: item.Layers.map((name, i) => this.#layer(name, config.diffIds?.[i])),
        };
    }
    #read(name, what) {
        return this.#tar.read(this.#tar.member(name, what), what, MAX_DOCUMENT);
    }
    /** manifest.json, or a message that says what the archive is instead. */
    #manifestJson() {
        const tar = this.#tar;
        if (tar.find('manifest.json', 'manifest.json') !== undefined)
            return this.#read('manifest.json', 'manifest.json');
        const file = (0,quote/* quote */.hD)(this.file);
        if (tar.has('oci-layout') || tar.has('index.json')) {
            const oci = `oci-archive:${this.file}${this.ref !== undefined ? `:${this.ref}` : ''}`;
            throw new errors/* InitramfsError */.sp('USAGE', `${this.reference}: ${file} is an OCI archive (oci-layout, no manifest.json); use ${(0,quote/* shown */.SP)(oci)}`);
        }
        if (tar.has('repositories')) {
            throw new errors/* InitramfsError */.sp('UNSUPPORTED', `${this.reference}: ${file} has no manifest.json: it was written by docker save before Docker 1.10, which this tool does not read; save the image again with a current Docker`);
        }
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${file} is not a docker save archive (no manifest.json)`);
    }
    /** The manifest.json item the reference selects. */
    #chosenItem() {
        if (this.#item)
            return this.#item;
        const doc = parseJson(this.#manifestJson().toString('utf8'), `${this.reference} manifest.json`);
        if (!Array.isArray(doc))
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: manifest.json is not a list`);
        const items = doc.map((raw, i) => {
            const r = raw;
            const where = `${this.reference}: manifest.json[${i}]`;
            if (typeof r?.Config !== 'string')
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: no Config`);
            if (!Array.isArray(r.Layers) || !r.Layers.every((l) => typeof l === 'string')) {
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: Layers is not a list of names`);
            }
            const tags = Array.isArray(r.RepoTags) ? r.RepoTags.filter((t) => typeof t === 'string') : [];
            return { Config: r.Config, RepoTags: tags, Layers: r.Layers };
        });
        const allTags = [...new Set(items.flatMap((it) => it.RepoTags))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const tagList = allTags.length > 0 ? allTags.map((t) => (0,quote/* shown */.SP)(t, 128)).join(', ') : '(none)';
        let chosen;
        if (this.ref === undefined) {
            if (items.length !== 1) {
                throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${this.reference}: the archive holds ${items.length} images; name one as ${(0,quote/* shown */.SP)(`docker-archive:${this.file}`)}:TAG (tags: ${tagList})`);
            }
            chosen = items[0];
        }
        else {
            const ref = this.ref;
            chosen = items.find((it) => matchesTag(it.RepoTags, ref));
            if (!chosen)
                throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${this.reference}: no image tagged ${(0,quote/* quote */.hD)(ref)}; tags: ${tagList}`);
        }
        this.#item = chosen;
        return this.#item;
    }
    /** The chosen image's config, verified against the digest its name carries. */
    #imageConfig() {
        if (this.#config)
            return this.#config;
        const item = this.#chosenItem();
        const bytes = this.#read(item.Config, 'config');
        const base = external_node_path_.posix.normalize(item.Config);
        const named = BLOB_NAME.exec(base)?.[1] ?? CONFIG_NAME.exec(base)?.[1];
        // A hand-made archive may name its config freely; then there is no digest to check it against.
        if (named !== undefined)
            verifyBytes(bytes, `sha256:${named}`, bytes.length, 'config');
        this.#config = parseImageConfig(parseJson(bytes.toString('utf8'), `${this.reference} config`), `${this.reference} config`);
        return this.#config;
    }
    #layer(name, diffId) {
        const tar = this.#tar;
        const m = tar.member(name, 'layer');
        const compression = sniffCompression(tar.head(m, 4));
        // The blob's digest: its blobs/sha256 name; else, for a plain tar, its DiffID (the digest of the
        // uncompressed tar is the digest of the stored bytes); else hashed here, which verifies nothing but
        // keeps Layer.digest honest.
        const blobHex = BLOB_NAME.exec(external_node_path_.posix.normalize(name))?.[1] ?? BLOB_NAME.exec(m.name)?.[1];
        let digest;
        if (blobHex !== undefined)
            digest = `sha256:${blobHex}`;
        else if (compression === 'none' && diffId !== undefined && (0,image_digest/* isDigest */.Bc)(diffId))
            digest = diffId;
        else
            digest = tar.hash(m);
        const layer = {
            digest,
            size: m.size,
            mediaType: layerMediaType(compression),
            compression,
            open: () => tar.open(m, { digest, size: m.size, what: `layer ${(0,quote/* quote */.hD)(name)}` }),
        };
        if (diffId !== undefined)
            layer.diffId = diffId;
        return layer;
    }
}

;// CONCATENATED MODULE: ./build/registry/blob-cache.js
// The content-addressed blob cache under --cache-dir: `blobs/sha256/<hex>`, the same shape as an OCI
// layout's blob store. An entry appears only by rename after its bytes were checked against the digest
// and size, so a reader never sees a partial blob; every process writes its own temporary file, and
// rename is atomic, so two builds filling the same entry at once cannot corrupt it. The temporary file is in
// this process's scratch directory (scratch.ts), which a signal, or the next build after a kill, removes.
// An entry that no longer matches its digest (disk trouble, a hand edit, a restore cut short) is detected
// on lookup, removed, and fetched again.







class BlobCache {
    dir;
    #blobs;
    constructor(cacheDir) {
        this.dir = cacheDir;
        this.#blobs = (0,external_node_path_.join)(cacheDir, 'blobs', 'sha256');
    }
    /** Where `digest` lives in the cache. The digest is validated first: it becomes a path. */
    path(digest) {
        return (0,external_node_path_.join)(this.#blobs, (0,image_digest/* digestHex */.sU)((0,image_digest/* checkDigest */.H2)(digest, 'blob')));
    }
    /**
     * The path of a present, intact entry; undefined when absent. A corrupt entry (wrong size or digest) is
     * removed, and undefined returned, so the caller fetches it again.
     */
    async lookup(digest, size) {
        const path = this.path(digest);
        let st;
        try {
            st = await (0,promises_.stat)(path);
        }
        catch {
            return undefined;
        }
        if (st.isFile() && st.size === size && (await sha256File(path)) === digest)
            return path;
        await (0,promises_.rm)(path, { force: true });
        return undefined;
    }
    /**
     * Fills the entry for `digest`: `fill` writes the blob into the temporary path it is given and must
     * verify its digest while writing; the size is checked again and the file renamed into place. Returns the entry's path. On failure the
     * temporary file is removed and nothing enters the cache.
     */
    async put(digest, size, fill) {
        const path = this.path(digest);
        await (0,promises_.mkdir)(this.#blobs, { recursive: true, mode: 0o700 });
        const scratch = (0,build_scratch/* acquireScratch */.xX)(this.dir);
        const tmp = (0,external_node_path_.join)(scratch.dir, `blob-${(0,image_digest/* digestHex */.sU)(digest)}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`);
        try {
            await fill(tmp);
            // `fill` hashed the bytes as it wrote them; hashing them again here would only repeat that work.
            if ((await (0,promises_.stat)(tmp)).size !== size) {
                throw new errors/* InitramfsError */.sp('DIGEST_MISMATCH', `blob ${digest}: expected ${size} bytes in the cache, found another size`);
            }
            await (0,promises_.rename)(tmp, path);
            return path;
        }
        finally {
            await (0,promises_.rm)(tmp, { force: true });
            await scratch.release();
        }
    }
}
async function sha256File(path) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of (0,external_node_fs_.createReadStream)(path, { highWaterMark: 1 << 20 }))
        hash.update(chunk);
    return `sha256:${hash.digest('hex')}`;
}

;// CONCATENATED MODULE: ./build/registry/challenge.js
// WWW-Authenticate parsing (RFC 7235): a header holds one or more challenges, each a scheme and
// comma-separated auth-params whose quoted values may themselves contain commas (Docker's scope lists).
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const SPACE = /^[ \t]*/;
/**
 * Every challenge in the WWW-Authenticate header value(s), in order. Unparseable tails are dropped rather
 * than thrown: a registry's odd header should not hide the challenges before it.
 */
function parseChallenges(header) {
    if (header === undefined)
        return [];
    if (Array.isArray(header))
        return header.flatMap((h) => parseChallenges(h));
    const out = [];
    let s = header;
    const skip = (re) => {
        const m = re.exec(s);
        const text = m?.[0] ?? '';
        s = s.slice(text.length);
        return text;
    };
    let current;
    for (;;) {
        skip(/^[ \t,]*/);
        if (s === '')
            break;
        const name = skip(TOKEN);
        if (name === '')
            break;
        skip(SPACE);
        if (s.startsWith('=') && current !== undefined && !/^=+[ \t]*(,|$)/.test(s)) {
            // An auth-param of the current challenge.
            s = s.slice(1);
            skip(SPACE);
            current.params[name.toLowerCase()] = s.startsWith('"') ? quoted() : skip(TOKEN);
            continue;
        }
        // A new challenge: `Scheme` followed by params (or a token68, which registries do not use).
        current = { scheme: name.toLowerCase(), params: {} };
        out.push(current);
        skip(SPACE);
        if (/^[A-Za-z0-9._~+/-]+=*[ \t]*(,|$)/.test(s))
            skip(/^[A-Za-z0-9._~+/-]+=*/);
    }
    return out;
    function quoted() {
        let value = '';
        let i = 1;
        for (; i < s.length; i++) {
            const c = s[i];
            if (c === '\\' && i + 1 < s.length)
                value += s[++i];
            else if (c === '"')
                break;
            else
                value += c;
        }
        s = s.slice(i + 1);
        return value;
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./build/registry/reference.js
// Image references parsed the way Docker parses them (`alpine` → docker.io/library/alpine:latest), with
// USAGE errors that name the part that is wrong, plus the host facts the transport needs (API host, loopback).



const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';
// The grammar of github.com/distribution/reference, piece by piece.
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = new RegExp(`^${ALNUM}(?:${SEPARATOR}${ALNUM})*$`);
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[[a-fA-F0-9:]+\\]';
const DOMAIN = new RegExp(`^(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST_FORM = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const NAME_MAX = 255;
const usage = (ref, what) => new errors/* InitramfsError */.sp('USAGE', `invalid image reference ${JSON.stringify(ref)}: ${what}`);
/** Docker's rule: the first path component is a registry only when it looks like a host. */
function splitRegistry(name) {
    const slash = name.indexOf('/');
    const first = slash === -1 ? '' : name.slice(0, slash);
    const looksLikeHost = slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
    if (!looksLikeHost)
        return { registry: DOCKER_HUB, remote: name };
    return { registry: first === 'index.docker.io' ? DOCKER_HUB : first, remote: name.slice(slash + 1) };
}
/**
 * Parses `[registry/]repository[:tag][@digest]` as Docker does: no registry means Docker Hub, a single
 * Hub component gets `library/`, neither tag nor digest means `:latest`. Only sha256 digests are accepted.
 * Throws USAGE naming the malformed part.
 */
function parseReference(s) {
    if (s === '')
        throw usage(s, 'it is empty');
    if (s.includes('://'))
        throw usage(s, 'a reference has no scheme (write host[:port]/repository[:tag])');
    let rest = s;
    let digest;
    const at = rest.indexOf('@');
    if (at !== -1) {
        const d = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST_FORM.test(d))
            throw usage(s, `digest ${JSON.stringify(d)} is not ALGORITHM:HEX`);
        if (!d.startsWith('sha256:'))
            throw usage(s, `digest ${JSON.stringify(d)}: only sha256 digests are supported`);
        if (!(0,image_digest/* isDigest */.Bc)(d))
            throw usage(s, `digest ${JSON.stringify(d)} is not sha256:<64 lowercase hex>`);
        digest = d;
    }
    let tag;
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag)) {
            throw usage(s, `tag ${JSON.stringify(tag)} is invalid (1-128 of letters, digits, _ . -, not starting with . or -)`);
        }
    }
    if (rest === '')
        throw usage(s, 'the repository name is missing');
    const { registry, remote } = splitRegistry(rest);
    if (!DOMAIN.test(registry))
        throw usage(s, `registry ${JSON.stringify(registry)} is not a valid host[:port]`);
    const repository = registry === DOCKER_HUB && !remote.includes('/') ? `library/${remote}` : remote;
    if (repository.toLowerCase() !== repository) {
        throw usage(s, `repository name ${JSON.stringify(repository)} must be lowercase`);
    }
    if (repository === '' || !repository.split('/').every((c) => PATH_COMPONENT.test(c))) {
        throw usage(s, `repository name ${JSON.stringify(repository)} is invalid (slash-separated components of a-z 0-9 joined by . _ __ -)`);
    }
    if (registry.length + 1 + repository.length > NAME_MAX)
        throw usage(s, `the name is longer than ${NAME_MAX} characters`);
    if (tag === undefined && digest === undefined)
        tag = 'latest';
    const canonical = `${registry}/${repository}` + (tag !== undefined ? `:${tag}` : '') + (digest !== undefined ? `@${digest}` : '');
    const ref = { registry, repository, canonical };
    if (tag !== undefined)
        ref.tag = tag;
    if (digest !== undefined)
        ref.digest = digest;
    return ref;
}
/** The host[:port] that serves the registry API: Docker Hub's is registry-1.docker.io. */
const apiHost = (registry) => (registry === DOCKER_HUB ? DOCKER_HUB_API : registry);
/** The host of `host[:port]`, `[v6]:port`, `[v6]` or a bare IPv6 address, without brackets. */
function hostOnly(hostPort) {
    if (hostPort.startsWith('[')) {
        const end = hostPort.indexOf(']');
        return end === -1 ? hostPort : hostPort.slice(1, end);
    }
    const colons = hostPort.split(':').length - 1;
    return colons === 1 ? hostPort.slice(0, hostPort.indexOf(':')) : hostPort;
}
const LOOPBACK = new external_node_net_.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
/** True for localhost, 127.0.0.0/8 and ::1 (any spelling), with or without a port or brackets. */
function isLoopback(host) {
    const h = hostOnly(host).toLowerCase();
    if (h === 'localhost')
        return true;
    const family = (0,external_node_net_.isIP)(h);
    if (family === 0)
        return false;
    return LOOPBACK.check(h, family === 4 ? 'ipv4' : 'ipv6');
}

;// CONCATENATED MODULE: ./build/registry/credentials.js
// Where a registry's credentials come from, in the order Docker users expect: the command line, then
// docker's config.json (credential helper, then `auths`), then none (anonymous). Secrets never leave
// these objects except as an Authorization header for the registry or the realm its challenge names.






/** Docker Hub's keys in config.json, as different docker versions wrote them. */
const HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);
/** What Docker passes a credential helper for Docker Hub. */
const HUB_SERVER_URL = 'https://index.docker.io/v1/';
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HELPER_TIMEOUT_MS = 60_000;
/** A config.json key (`https://ghcr.io`, `ghcr.io/v2/`, `https://index.docker.io/v1/`) as a registry name. */
function configKeyRegistry(key) {
    const host = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0] ?? '';
    return HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}
/** The server URL a credential helper is asked about for `registry`. */
const helperServerUrl = (registry) => (registry === DOCKER_HUB ? HUB_SERVER_URL : registry);
/** The config.json path: $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
function dockerConfigPath(env) {
    const dir = env['DOCKER_CONFIG'] || (0,external_node_path_.join)(env['HOME'] || (0,external_node_os_.homedir)(), '.docker');
    return (0,external_node_path_.join)(dir, 'config.json');
}
async function readDockerConfig(path, warn) {
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (e) {
        if (e.code !== 'ENOENT')
            warn(`cannot read ${path}: ${e.message}`);
        return undefined;
    }
    try {
        const parsed = JSON.parse(text);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
            return parsed;
    }
    catch {
        // Reported below: the JSON error text could quote a secret from the file.
    }
    warn(`${path} is not a JSON object; ignoring it`);
    return undefined;
}
/** The entry of `map` whose key names `registry`, by Docker's key normalisation. */
function entryFor(map, registry) {
    if (typeof map !== 'object' || map === null)
        return undefined;
    if (Object.hasOwn(map, registry))
        return map[registry];
    for (const [key, value] of Object.entries(map))
        if (configKeyRegistry(key) === registry)
            return value;
    return undefined;
}
/**
 * Runs `docker-credential-<name> get` with the server URL on stdin. Undefined when the helper is not
 * installed or has no credentials for the server; AUTH when it fails otherwise.
 */
async function runCredentialHelper(name, registry, env) {
    const program = `docker-credential-${name}`;
    if (!HELPER_NAME.test(name)) {
        throw new errors/* InitramfsError */.sp('AUTH', `credential helper name ${JSON.stringify(name)} in docker config is not valid`);
    }
    const result = await new Promise((resolve) => {
        const child = (0,external_node_child_process_.execFile)(program, ['get'], { env, timeout: HELPER_TIMEOUT_MS, maxBuffer: 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => resolve({ error, stdout, stderr }));
        child.stdin?.on('error', () => { }); // a helper that exits without reading stdin must not crash us
        child.stdin?.end(helperServerUrl(registry));
    });
    if (result.error) {
        if (result.error.code === 'ENOENT')
            return undefined;
        const said = `${result.stdout}\n${result.stderr}`;
        if (/credentials not found/i.test(said))
            return undefined;
        // The first line of stderr only: helpers print reasons there, not secrets.
        const reason = result.stderr.trim().split('\n')[0] || result.error.message;
        throw new errors/* InitramfsError */.sp('AUTH', `credential helper ${program} failed for ${registry}: ${reason}`);
    }
    let out;
    try {
        out = JSON.parse(result.stdout);
    }
    catch {
        throw new errors/* InitramfsError */.sp('AUTH', `credential helper ${program} printed something other than JSON for ${registry}`);
    }
    if (typeof out !== 'object' || out === null || typeof out.Secret !== 'string' || out.Secret === '')
        return undefined;
    const username = typeof out.Username === 'string' ? out.Username : '';
    const source = `credential helper ${program}`;
    // Docker's convention: a helper that stores an identity token reports the user name "<token>".
    if (username === '<token>')
        return { kind: 'identityToken', username: '', token: out.Secret, source };
    return { kind: 'basic', username, password: out.Secret, source };
}
function fromAuthEntry(entry, path, registry) {
    if (typeof entry !== 'object' || entry === null)
        return undefined;
    const source = `${path} auths`;
    let username = typeof entry.username === 'string' ? entry.username : '';
    let password = typeof entry.password === 'string' ? entry.password : '';
    if (typeof entry.auth === 'string' && entry.auth !== '') {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon === -1) {
            throw new errors/* InitramfsError */.sp('AUTH', `${path}: the auth entry for ${registry} is not base64 of user:password`);
        }
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
    }
    if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
        return { kind: 'identityToken', username, token: entry.identitytoken, source };
    }
    if (username === '' && password === '')
        return undefined;
    return { kind: 'basic', username, password, source };
}
/**
 * The credentials to use for `registry` ('docker.io' or host[:port]), or undefined for anonymous access:
 * explicit ones, then config.json's credHelpers[registry] or credsStore, then auths[registry].
 */
async function lookupCredentials(registry, opts = {}) {
    if (opts.credentials)
        return { kind: 'basic', ...opts.credentials, source: '--username/--password-stdin' };
    const env = opts.env ?? process.env;
    const warn = opts.warn ?? (() => { });
    const path = dockerConfigPath(env);
    const config = await readDockerConfig(path, warn);
    const found = config && (await fromConfig(config, path, registry, env));
    if (found)
        return found;
    const fb = opts.fallback;
    return fb && fb.registry === registry ? { kind: 'basic', username: fb.username, password: fb.password, source: fb.source } : undefined;
}
async function fromConfig(config, path, registry, env) {
    const helper = entryFor(config.credHelpers, registry) ?? config.credsStore;
    if (typeof helper === 'string' && helper !== '') {
        const found = await runCredentialHelper(helper, registry, env);
        if (found)
            return found;
    }
    return fromAuthEntry(entryFor(config.auths, registry), path, registry);
}
/** Every secret in `creds`, for scrubbing text that is about to be shown. */
function secretsOf(creds) {
    if (!creds)
        return [];
    const secrets = creds.kind === 'basic' ? [creds.password] : [creds.token];
    return secrets.filter((s) => s.length >= 4);
}

;// CONCATENATED MODULE: ./build/registry/errors.js
// Registry failures as typed errors: the HTTP status and the registry's own error codes
// (`{"errors":[{"code","message"}]}`) travel with the error, and the message names the reference. What the
// registry wrote is shown only when printable, else quoted: its text must not split the one error line.


/** An InitramfsError raised from a registry answer (or the lack of one). */
class RegistryError extends errors/* InitramfsError */.sp {
    /** The HTTP status of the last answer, when there was one. */
    status;
    /** The registry's error codes, e.g. ['MANIFEST_UNKNOWN']. */
    registryCodes;
    /** How many attempts were made (1 for a permanent failure). */
    attempts;
    constructor(code, message, info = {}) {
        super(code, message, info.cause === undefined ? undefined : { cause: info.cause });
        this.name = 'RegistryError';
        this.status = info.status;
        this.registryCodes = info.registryCodes ?? [];
        this.attempts = info.attempts ?? 1;
    }
}
/** A failure that another attempt may cure: a dropped connection, a stall, 5xx, 429. Never leaves the client. */
class TransientError extends Error {
    retryAfterMs;
    status;
    registryCodes;
    /** The peer stopped delivering (no answer, no bytes, too slow): retried fewer times than a cut. */
    stalled;
    constructor(message, info = {}) {
        super(message, info.cause === undefined ? undefined : { cause: info.cause });
        this.name = 'TransientError';
        this.retryAfterMs = info.retryAfterMs;
        this.status = info.status;
        this.registryCodes = info.registryCodes ?? [];
        this.stalled = info.stalled ?? false;
    }
}
/**
 * A failure of the connection or the protocol that another attempt would not cure (an unknown host, TLS, an
 * answer that is not HTTP). Raised where the request is made; the retry loop names the operation it stopped.
 */
class TransportError extends RegistryError {
    constructor(message, cause) {
        super('NETWORK', message, cause === undefined ? {} : { cause });
        this.name = 'TransportError';
    }
}
/** The build's deadline (--timeout) passed while a request was under way or before the next one. */
class DeadlineError extends TransportError {
    constructor(message) {
        super(message);
        this.name = 'DeadlineError';
    }
}
const MAX_SHOWN = 200;
/**
 * The `errors` array of a registry's JSON error body; empty when the body is something else (an HTML
 * page from a proxy, nothing at all). Token servers' `{"details": …}` / `{"error": …}` are read too.
 */
function parseRegistryErrors(body) {
    let json;
    try {
        json = JSON.parse(body);
    }
    catch {
        return [];
    }
    if (typeof json !== 'object' || json === null)
        return [];
    const o = json;
    if (Array.isArray(o.errors)) {
        return o.errors.flatMap((e) => {
            if (typeof e !== 'object' || e === null)
                return [];
            const { code, message } = e;
            return [{ code: typeof code === 'string' ? code : 'UNKNOWN', message: typeof message === 'string' ? message : '' }];
        });
    }
    const text = [o.error, o.error_description, o.details].filter((v) => typeof v === 'string').join(': ');
    return text === '' ? [] : [{ code: typeof o.error === 'string' ? o.error : 'UNKNOWN', message: text }];
}
/** `HTTP 404 (MANIFEST_UNKNOWN: manifest unknown; …)`, each message shortened. */
function describeAnswer(status, details) {
    if (details.length === 0)
        return `HTTP ${status}`;
    const parts = details.map((d) => {
        const m = d.message.length > MAX_SHOWN ? `${d.message.slice(0, MAX_SHOWN)}…` : d.message;
        const code = (0,quote/* shown */.SP)(d.code, 64);
        return m === '' ? code : `${code}: ${(0,quote/* shown */.SP)(m, MAX_SHOWN + 1)}`;
    });
    return `HTTP ${status} (${parts.join('; ')})`;
}

// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./build/duration.js
var duration = __webpack_require__(3110);
// EXTERNAL MODULE: ./build/registry/limits.js
var registry_limits = __webpack_require__(8644);
;// CONCATENATED MODULE: ./build/registry/watchdog.js



/** How often a request is checked: a tenth of its shortest bound, between 10 ms and 1 s. */
const tickFor = (limits) => Math.min(1000, Math.max(10, Math.min(limits.idleMs, limits.lowSpeedWindowMs) / 10));
const bytes = (n) => (n < 10_000 ? `${n} bytes` : `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} MB`);
/** A rate for a message: `12 B/s`, `1024 B/s` (as the limit is set), `34.5 KB/s`. */
const rate = (bytesPerSecond) => bytesPerSecond < 10_000 ? `${Math.round(bytesPerSecond)} B/s` : `${(bytesPerSecond / 1000).toFixed(1)} KB/s`;
/** One request's clock. */
class Watch {
    limits;
    deadline;
    host;
    controller;
    timer;
    immediate;
    /** When the request went on the wire (connecting is undici's connect timeout's to bound). */
    sentAt = 0;
    /** When the final response head arrived; undefined before. */
    headAt;
    length;
    received = 0;
    lastByteAt = 0;
    /** (time, bytes received) once per tick over the last low-speed window, oldest first. */
    samples = [];
    constructor(limits, deadline, host) {
        this.limits = limits;
        this.deadline = deadline;
        this.host = host;
    }
    start(controller) {
        this.controller = controller;
        this.sentAt = performance.now();
        if (this.deadline !== undefined && performance.now() >= this.deadline.at) {
            controller.abort(new DeadlineError(`${(0,registry_limits/* describeDeadline */.IZ)(this.deadline)} ran out before a request to ${this.host}`));
            return;
        }
        this.timer ??= setInterval(() => {
            this.immediate ??= setImmediate(() => {
                this.immediate = undefined;
                this.check();
            });
        }, tickFor(this.limits));
        this.timer.unref();
    }
    head(status, headers) {
        if (status < 200)
            return; // interim answers (100, 102, 103) are not the response
        const now = performance.now();
        this.headAt = now;
        this.lastByteAt = now;
        this.samples = [{ t: now, n: 0 }];
        const cl = headers['content-length'];
        const n = Number(Array.isArray(cl) ? cl[0] : cl);
        if (Number.isSafeInteger(n) && n >= 0)
            this.length = n;
    }
    data(n) {
        this.received += n;
        this.lastByteAt = performance.now();
    }
    stop() {
        if (this.timer !== undefined)
            clearInterval(this.timer);
        if (this.immediate !== undefined)
            clearImmediate(this.immediate);
        this.timer = undefined;
        this.immediate = undefined;
    }
    fail(reason) {
        this.stop();
        this.controller?.abort(reason);
    }
    progress() {
        return this.length !== undefined ? `${bytes(this.received)} of ${bytes(this.length)}` : bytes(this.received);
    }
    check() {
        const c = this.controller;
        if (c === undefined || c.aborted)
            return this.stop();
        const now = performance.now();
        const { idleMs, lowSpeedBytesPerSecond: limit, lowSpeedWindowMs: window } = this.limits;
        if (this.deadline !== undefined && now >= this.deadline.at) {
            const waiting = this.headAt === undefined ? 'waiting for an answer from' : `receiving (${this.progress()}) from`;
            return this.fail(new DeadlineError(`${(0,registry_limits/* describeDeadline */.IZ)(this.deadline)} ran out ${waiting} ${this.host}`));
        }
        if (this.headAt === undefined) {
            if (now - this.sentAt >= idleMs) {
                return this.fail(new TransientError(`${this.host} sent no complete response within ${(0,duration/* formatDuration */.a3)(idleMs)} of the request (${registry_limits/* LIMIT_VARIABLES */.OZ.idleMs})`, { stalled: true }));
            }
            return;
        }
        if (c.paused) {
            // We are behind, not the registry: measure again from now.
            this.lastByteAt = now;
            this.samples = [{ t: now, n: this.received }];
            return;
        }
        if (now - this.lastByteAt >= idleMs) {
            return this.fail(new TransientError(`${this.host} sent nothing for ${(0,duration/* formatDuration */.a3)(idleMs)} in the middle of a body, ` +
                `after ${this.progress()} (${registry_limits/* LIMIT_VARIABLES */.OZ.idleMs})`, { stalled: true }));
        }
        if (limit === 0)
            return;
        this.samples.push({ t: now, n: this.received });
        // Keep one sample at or before the window's start: it is what the window is measured from.
        while (this.samples.length > 1 && this.samples[1].t <= now - window)
            this.samples.shift();
        const from = this.samples[0];
        if (now - from.t < window)
            return;
        const speed = ((this.received - from.n) * 1000) / (now - from.t);
        if (speed < limit) {
            this.fail(new TransientError(`${this.host} sent ${bytes(this.received - from.n)} in the last ${(0,duration/* formatDuration */.a3)(now - from.t)} (${rate(speed)}), ` +
                `below the minimum of ${rate(limit)} (${registry_limits/* LIMIT_VARIABLES */.OZ.lowSpeedBytesPerSecond}, ${registry_limits/* LIMIT_VARIABLES */.OZ.lowSpeedWindowMs}); ` +
                `${this.progress()} received`, { stalled: true }));
        }
    }
}
/** The interceptor that puts every request of an Agent under a Watch. */
function watchdog(limits, deadline) {
    return (dispatch) => (opts, handler) => {
        const watch = new Watch(limits, deadline, new URL(String(opts.origin)).host);
        const watched = {
            onRequestStart(controller, context) {
                watch.start(controller);
                handler.onRequestStart?.(controller, context);
            },
            onRequestUpgrade(controller, status, headers, socket) {
                watch.stop();
                handler.onRequestUpgrade?.(controller, status, headers, socket);
            },
            onResponseStart(controller, status, headers, statusMessage) {
                watch.head(status, headers);
                handler.onResponseStart?.(controller, status, headers, statusMessage);
            },
            onResponseData(controller, chunk) {
                watch.data(chunk.length);
                handler.onResponseData?.(controller, chunk);
            },
            onResponseEnd(controller, trailers) {
                watch.stop();
                handler.onResponseEnd?.(controller, trailers);
            },
            onResponseError(controller, error) {
                watch.stop();
                handler.onResponseError?.(controller, error);
            },
        };
        return dispatch(opts, watched);
    };
}

;// CONCATENATED MODULE: ./build/registry/http.js
// The registry transport: one undici Agent (keep-alive pools) whose every request runs under the
// watchdog (idle, low-speed and deadline bounds, see limits.ts), redirects followed by hand so
// Authorization reaches only the origin it was meant for, the scheme policy (HTTPS unless loopback or
// --insecure-registry), and bounded retries with exponential backoff, full jitter and Retry-After. Whatever
// undici throws leaves here as TransientError or NETWORK: a malformed answer is the registry's fault, never
// a crash of this tool.









const DEFAULT_RETRY = { attempts: 5, stalledAttempts: 2, baseDelayMs: 200, maxDelayMs: 10_000 };
const MAX_REDIRECTS = 10;
/** undici's default limit on a response head; a registry's is a few hundred bytes. */
const MAX_HEADER_BYTES = 16 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENETDOWN',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);
const BUG_CODES = new Set(['UND_ERR_INVALID_ARG', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_URL']);
function errorCode(e) {
    if (typeof e !== 'object' || e === null)
        return undefined;
    const { code, cause, errors } = e;
    if (typeof code === 'string')
        return code;
    // Happy-eyeballs connects fail as an AggregateError of one error per address.
    if (Array.isArray(errors) && errors.length > 0)
        return errorCode(errors[0]);
    return cause === undefined ? undefined : errorCode(cause);
}
/** `Invalid header value char near '\x01y"\r\n…'`: what llhttp objected to, and where. */
function parserComplaint(e) {
    const reason = /\(([^)]*)\)\s*$/.exec(e.message)?.[1] ?? e.message;
    return typeof e.data === 'string' && e.data !== '' ? `${reason} near ${(0,quote/* quote */.hD)(e.data, 40)}` : reason;
}
/**
 * A thrown value from undici or a body stream as this module's vocabulary: TransientError for what a retry
 * may cure, NETWORK for what it cannot (unknown host, TLS failure, an answer that is not HTTP); typed
 * errors pass through.
 */
function classifyFailure(e, host, connectMs) {
    if (e instanceof TransientError || e instanceof errors/* InitramfsError */.sp)
        return e;
    // undici's parser errors carry no code (it looks the numeric llhttp error up by name): told by class.
    if (e instanceof undici/* errors */.sO.HTTPParserError) {
        return new TransportError(`${host} answered with something that is not HTTP/1.1: ${parserComplaint(e)}`, e);
    }
    const code = errorCode(e);
    if (code === undefined)
        return e; // not a network failure: a bug, let it surface
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
        const within = connectMs === undefined ? '' : ` within ${(0,duration/* formatDuration */.a3)(connectMs)}`;
        return new TransientError(`${host} did not accept a connection${within} (${code}, ${registry_limits/* LIMIT_VARIABLES */.OZ.idleMs})`, {
            stalled: true,
            cause: e,
        });
    }
    const text = `${(0,quote/* shown */.SP)(e.message || code)} (${code}) talking to ${host}`;
    if (TRANSIENT_CODES.has(code))
        return new TransientError(text, { cause: e });
    if (code === 'ENOTFOUND') {
        return new TransportError(`cannot resolve host ${hostOnly(host)} (ENOTFOUND)`, e);
    }
    if (code === 'UND_ERR_HEADERS_OVERFLOW') {
        return new TransportError(`${host} answered with response headers larger than ${MAX_HEADER_BYTES / 1024} KiB (${code})`, e);
    }
    if (BUG_CODES.has(code))
        return e; // we called undici wrongly: a bug, not the network
    // TLS failures, unknown hosts' other errors: another attempt would fail the same way.
    return new TransportError(`cannot talk to ${host}: ${text}`, e);
}
/** Which hosts may be spoken to over plain HTTP: loopback ones, and those the user listed. */
class SchemePolicy {
    insecure;
    constructor(insecureRegistries = []) {
        this.insecure = new Set(insecureRegistries.map((h) => h.toLowerCase()));
    }
    /** True when `hostPort` may use http://. A listed host without a port covers every port. */
    plainHttpAllowed(hostPort) {
        const h = hostPort.toLowerCase();
        return isLoopback(h) || this.insecure.has(h) || this.insecure.has(hostOnly(h));
    }
}
/** A header's single value (the first, when repeated). */
function headerValue(headers, name) {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
}
/** One keep-alive Agent shared by every request of a client, every request under the watchdog. */
class Http {
    agent;
    dispatcher;
    scheme;
    deadline;
    connectMs;
    constructor(limits, scheme, deadline) {
        this.scheme = scheme;
        this.deadline = deadline;
        this.connectMs = limits.idleMs;
        this.agent = new undici/* Agent */.g6({
            // The watchdog owns the head and body bounds (its messages say what was awaited); only the connect
            // itself, before any request is on the wire, is undici's to time.
            connect: { timeout: this.connectMs },
            headersTimeout: 0,
            bodyTimeout: 0,
            maxHeaderSize: MAX_HEADER_BYTES,
            keepAliveTimeout: 30_000,
        });
        this.dispatcher = this.agent.compose(watchdog(limits, deadline));
    }
    /**
     * Sends a request and follows redirects itself (undici is never asked to), so `authorization` goes to
     * `url`'s origin only. A redirect that would downgrade to plain HTTP on a host not allowed it is refused.
     * Network failures come out classified (TransientError or NETWORK).
     */
    async send(url, opts = {}) {
        let current = url;
        let method = opts.method ?? 'GET';
        let body = opts.body;
        for (let hop = 0;; hop++) {
            const headers = { ...opts.headers };
            if (opts.authorization !== undefined && current.origin === url.origin)
                headers['authorization'] = opts.authorization;
            if (body === undefined)
                delete headers['content-type'];
            if (this.deadline !== undefined && performance.now() >= this.deadline.at) {
                throw new DeadlineError(`${(0,registry_limits/* describeDeadline */.IZ)(this.deadline)} ran out before a request to ${current.host}`);
            }
            opts.onRequest?.();
            let res;
            try {
                res = await (0,undici/* request */.Em)(current, { dispatcher: this.dispatcher, method, headers, body });
            }
            catch (e) {
                throw classifyFailure(e, current.host, this.connectMs);
            }
            if (!REDIRECTS.has(res.statusCode))
                return res;
            const location = headerValue(res.headers, 'location');
            await res.body.dump().catch(() => { });
            if (location === undefined) {
                throw new RegistryError('REGISTRY', `${current.host} answered HTTP ${res.statusCode} without a Location`, {
                    status: res.statusCode,
                });
            }
            if (hop >= MAX_REDIRECTS) {
                throw new RegistryError('REGISTRY', `more than ${MAX_REDIRECTS} redirects starting at ${url.host}`, {
                    status: res.statusCode,
                });
            }
            let next;
            try {
                next = new URL(location, current);
            }
            catch {
                throw new RegistryError('REGISTRY', `${current.host} redirected to an invalid URL`, { status: res.statusCode });
            }
            // Only the host is named: redirect URLs to object storage carry signatures in their query.
            if (next.protocol !== 'https:' && !(next.protocol === 'http:' && this.scheme.plainHttpAllowed(next.host))) {
                throw new RegistryError('REGISTRY', `${current.host} redirected to ${next.protocol}//${next.host}, which is not HTTPS ` +
                    `(allow it with --insecure-registry ${next.host})`, { status: res.statusCode });
            }
            if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
                method = 'GET';
                body = undefined;
            }
            current = next;
        }
    }
    async close() {
        await this.agent.close();
    }
}
/**
 * Reads a whole body, at most `limit` bytes (a registry must not make us buffer without bound). A body
 * cut short is a TransientError.
 */
async function readBody(body, limit, what, host) {
    const chunks = [];
    let n = 0;
    try {
        for await (const chunk of body) {
            n += chunk.length;
            if (n > limit) {
                body.destroy();
                throw new RegistryError('REGISTRY', `${what}: the registry's answer is larger than ${limit} bytes`);
            }
            chunks.push(chunk);
        }
    }
    catch (e) {
        throw classifyFailure(e, host);
    }
    return Buffer.concat(chunks);
}
/** Milliseconds to wait from a Retry-After value (delta-seconds or an HTTP date); undefined when absent or bad. */
function parseRetryAfter(value, nowMs) {
    if (value === undefined)
        return undefined;
    const v = value.trim();
    if (/^\d+$/.test(v))
        return Number(v) * 1000;
    const when = Date.parse(v);
    return Number.isNaN(when) ? undefined : Math.max(0, when - nowMs);
}
/** Full jitter: a uniform delay in [0, min(max, base·2^(attempt-1))]. */
function backoffDelay(attempt, policy, random = Math.random) {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling * random());
}
/**
 * Runs `fn` until it succeeds, fails with something other than a TransientError, or the attempts are spent
 * (`policy.attempts`, or `policy.stalledAttempts` of them ending in a stall); then NETWORK naming `what`, the
 * number of attempts and the last cause. A Retry-After longer than a build waits, or a wait that would
 * outlast the deadline, fails at once instead of waiting. Each retry is reported.
 */
async function withRetries(what, ctx, fn) {
    const { policy, limits, deadline } = ctx;
    let stalls = 0;
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (e) {
            if (e instanceof DeadlineError)
                throw new DeadlineError(`${what}: ${e.message}`);
            if (e instanceof TransportError)
                throw new TransportError(`${what}: ${e.message}`, e.cause);
            if (!(e instanceof TransientError))
                throw e;
            const info = {
                ...(e.status !== undefined && { status: e.status }),
                registryCodes: e.registryCodes,
                attempts: attempt,
                cause: e,
            };
            if (e.stalled)
                stalls++;
            if (attempt >= policy.attempts || stalls >= policy.stalledAttempts) {
                throw new RegistryError('NETWORK', `${what}: failed after ${attempt} attempt${attempt === 1 ? '' : 's'}; last: ${e.message}`, info);
            }
            if (e.retryAfterMs !== undefined && e.retryAfterMs > limits.maxRetryWaitMs) {
                throw new RegistryError('NETWORK', `${what}: ${e.message}, asking to retry in ${(0,duration/* formatDuration */.a3)(e.retryAfterMs)} (Retry-After); a build waits at most ` +
                    `${(0,duration/* formatDuration */.a3)(limits.maxRetryWaitMs)} (${registry_limits/* LIMIT_VARIABLES */.OZ.maxRetryWaitMs}): try again later`, info);
            }
            const delay = e.retryAfterMs ?? backoffDelay(attempt, policy);
            const left = deadline === undefined ? Infinity : deadline.at - performance.now();
            if (delay >= left) {
                const wait = e.retryAfterMs !== undefined ? `the ${(0,duration/* formatDuration */.a3)(delay)} it asks to wait (Retry-After)` : 'another attempt';
                throw new DeadlineError(`${what}: ${e.message}; ${(0,registry_limits/* describeDeadline */.IZ)(deadline)} leaves ${(0,duration/* formatDuration */.a3)(Math.max(0, left))}, not enough for ${wait}`);
            }
            // A stall costs a whole idle timeout, so stalls have their own, smaller budget: say when the next
            // attempt is the last one, or "attempt 2 of 5" reads as four more waits of 30 s to come.
            const lastIfStalls = stalls > 0 && stalls + 1 >= policy.stalledAttempts;
            ctx.reporter?.warn(`${what}: ${e.message}; retrying in ${delay} ms (attempt ${attempt + 1} of ${policy.attempts}` +
                `${lastIfStalls ? ', the last if it stalls too' : ''})`);
            await (0,external_node_timers_promises_.setTimeout)(delay);
        }
    }
}

;// CONCATENATED MODULE: ./build/registry/auth.js
// The registry auth flow: learn a registry's challenge from its first 401, then answer it — Basic with the
// credentials, or Bearer with a token fetched from the challenge's realm for `repository:NAME:pull`, cached
// per (registry, scope) until it expires or a request with it is refused. Credentials go to the registry
// and to that realm only.




/** The `expires_in` the token spec prescribes when a token server gives none. */
const DEFAULT_TOKEN_SECONDS = 60;
const TOKEN_BODY_LIMIT = 1024 * 1024;
const CLIENT_ID = 'initramfs-action';
/** `repository:NAME:pull`, the scope a pull needs. */
const pullScope = (repository) => `repository:${repository}:pull`;
const basicHeader = (username, password) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
/** Challenges, credentials and tokens of every registry a client talks to. */
class Authenticator {
    opts;
    now;
    challenges = new Map();
    credentials = new Map();
    tokens = new Map();
    /** Every secret seen (passwords, identity tokens, bearer tokens), to scrub from any text shown. */
    secrets = new Set();
    constructor(opts) {
        this.opts = opts;
        this.now = opts.now ?? (() => performance.now());
    }
    /** The credentials for `registry` (looked up once), or undefined for anonymous. */
    credentialsFor(registry) {
        let found = this.credentials.get(registry);
        if (!found) {
            found = lookupCredentials(registry, this.opts.lookup).then((c) => {
                for (const s of secretsOf(c))
                    this.secrets.add(s);
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
    async authorization(registry, scope) {
        const challenge = this.challenges.get(registry);
        if (!challenge)
            return undefined;
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
    async answer(registry, scope, wwwAuthenticate, used) {
        const all = parseChallenges(wwwAuthenticate);
        const challenge = all.find((c) => c.scheme === 'bearer') ?? all.find((c) => c.scheme === 'basic');
        if (!challenge) {
            const schemes = all.map((c) => c.scheme).join(', ') || 'none';
            throw new RegistryError('AUTH', `${registry} asked for authentication with no Bearer or Basic challenge (WWW-Authenticate schemes: ${schemes})`, { status: 401 });
        }
        this.challenges.set(registry, challenge);
        if (challenge.scheme === 'basic') {
            const creds = await this.credentialsFor(registry);
            if (!creds) {
                throw new RegistryError('AUTH', `${registry} requires credentials (Basic auth) and none were found: ` +
                    'pass --username with --password-stdin, or docker login', { status: 401 });
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
    async token(registry, scope, challenge, stale) {
        const key = `${registry} ${scope}`;
        const cached = this.tokens.get(key);
        if (cached) {
            const t = await cached.catch(() => undefined);
            if (t && t.header !== stale && this.now() < t.renewAt)
                return t.header;
            if (this.tokens.get(key) === cached)
                this.tokens.delete(key);
            else
                return this.token(registry, scope, challenge, stale); // another request renewed it meanwhile
        }
        const fresh = this.fetchToken(registry, scope, challenge);
        this.tokens.set(key, fresh);
        fresh.catch(() => {
            if (this.tokens.get(key) === fresh)
                this.tokens.delete(key);
        });
        return (await fresh).header;
    }
    async fetchToken(registry, scope, challenge) {
        const realm = challenge.params['realm'];
        if (realm === undefined || realm === '') {
            throw new RegistryError('REGISTRY', `${registry} sent a Bearer challenge without a realm`, { status: 401 });
        }
        let url;
        try {
            url = new URL(realm);
        }
        catch {
            throw new RegistryError('REGISTRY', `${registry} named a token realm that is not a URL`, { status: 401 });
        }
        if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.opts.scheme.plainHttpAllowed(url.host))) {
            throw new RegistryError('REGISTRY', `${registry} named a token realm at ${url.protocol}//${url.host}, which is not HTTPS ` +
                `(allow it with --insecure-registry ${url.host})`);
        }
        const scopes = [scope];
        for (const s of (challenge.params['scope'] ?? '').split(' '))
            if (s !== '' && !scopes.includes(s))
                scopes.push(s);
        const service = challenge.params['service'];
        const creds = await this.credentialsFor(registry);
        const where = `token server ${url.host} for ${registry}`;
        const started = this.now();
        let res;
        if (creds?.kind === 'identityToken') {
            // OAuth2 refresh-token grant: the identity token is the refresh token.
            const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.token, client_id: CLIENT_ID });
            if (service !== undefined)
                form.set('service', service);
            form.set('scope', scopes.join(' '));
            res = await this.opts.http.send(url, {
                method: 'POST',
                headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
                body: form.toString(),
                ...(this.opts.onTokenRequest && { onRequest: this.opts.onTokenRequest }),
            });
        }
        else {
            if (service !== undefined)
                url.searchParams.set('service', service);
            for (const s of scopes)
                url.searchParams.append('scope', s);
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
        let json;
        try {
            json = JSON.parse(body.toString('utf8'));
        }
        catch {
            throw new RegistryError('REGISTRY', `${where} answered something other than JSON`);
        }
        const token = typeof json.token === 'string' && json.token !== '' ? json.token : json.access_token;
        if (typeof token !== 'string' || token === '') {
            throw new RegistryError('REGISTRY', `${where} answered without a token`);
        }
        // It goes into an Authorization header, where undici would refuse a space or a control character as
        // a bug of ours; it is the token server's.
        if (!/^[\x21-\x7e]+$/.test(token)) {
            throw new RegistryError('REGISTRY', `${where} answered a token that an Authorization header cannot carry (a space, a control or a non-ASCII character)`);
        }
        this.secrets.add(token);
        const seconds = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : DEFAULT_TOKEN_SECONDS;
        const lifetime = seconds * 1000;
        // Renew a little early so a token does not expire between being chosen and being checked.
        return { header: `Bearer ${token}`, renewAt: started + lifetime - Math.min(10_000, lifetime / 10) };
    }
    /** `text` with every known secret replaced by `***`. */
    scrub(text) {
        let out = text;
        for (const s of this.secrets)
            if (s.length >= 4)
                out = out.split(s).join('***');
        return out;
    }
}
/** Replaces secrets in an error's message (in place) before it leaves the client. */
function scrubError(e, auth) {
    if (e instanceof Error)
        e.message = auth.scrub(e.message);
    return e;
}

;// CONCATENATED MODULE: ./build/registry/client.js
// The registry protocol client (OCI distribution spec, pull side): manifests by tag or digest, and blobs
// streamed to a file while hashing, resumed with Range after a cut, verified at the end. Auth, retries and
// redirects are handled here and below; typed errors name the reference and what the registry said.













/** What a manifest request accepts: OCI and Docker v2, single-platform and multi-platform. */
const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST].join(', ');
/** The distribution spec's limit (document-limit.ts); a bigger "manifest" is not one. */
const MANIFEST_LIMIT = MAX_DOCUMENT;
const ERROR_BODY_LIMIT = 64 * 1024;
/** Bytes gathered before one write to the blob file. */
const WRITE_BATCH = 1024 * 1024;
const NOT_FOUND_CODES = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN', 'BLOB_UNKNOWN']);
const client_TAG = /^[\w][\w.-]{0,127}$/;
/** A pull-only client for OCI / Docker registries. One per build: it pools connections and caches tokens. */
class RegistryClient {
    /** Number of HTTP requests made, per kind (retries and redirect hops included), for tests and the bench. */
    stats = { manifest: 0, blob: 0, token: 0 };
    http;
    scheme;
    auth;
    retry;
    reporter;
    constructor(opts = {}) {
        this.scheme = new SchemePolicy(opts.insecureRegistries);
        const limits = { ...registry_limits/* DEFAULT_LIMITS */.dR, ...(0,registry_limits/* limitsFromEnv */.E9)(opts.env ?? process.env), ...opts.limits };
        this.http = new Http(limits, this.scheme, opts.deadline);
        this.reporter = opts.reporter;
        this.retry = { policy: { ...DEFAULT_RETRY, ...opts.retry }, limits, deadline: opts.deadline, reporter: this.warner() };
        const reporter = opts.reporter;
        this.auth = new Authenticator({
            http: this.http,
            scheme: this.scheme,
            lookup: {
                ...(opts.credentials && { credentials: opts.credentials }),
                ...(opts.env && { env: opts.env }),
                ...(opts.fallbackCredentials && { fallback: opts.fallbackCredentials }),
                ...(reporter && { warn: (m) => reporter.warn(m) }),
            },
            onTokenRequest: () => this.stats.token++,
        });
    }
    /** The registry's API base URL: HTTPS, or HTTP for loopback and --insecure-registry hosts. */
    baseUrl(ref) {
        const host = apiHost(ref.registry);
        const plain = this.scheme.plainHttpAllowed(ref.registry) || this.scheme.plainHttpAllowed(host);
        return new URL(`${plain ? 'http' : 'https'}://${host}`);
    }
    /**
     * GET /v2/<repo>/manifests/<tagOrDigest>, accepting OCI and Docker v2 manifests and indexes. By digest,
     * the bytes are verified against it; by tag, against Docker-Content-Digest when the registry sends one.
     * Schema 1 → UNSUPPORTED; unknown repository or tag → IMAGE_NOT_FOUND with the registry's codes.
     */
    async getManifest(ref, tagOrDigest) {
        const byDigest = tagOrDigest.includes(':');
        if (byDigest)
            (0,image_digest/* checkDigest */.H2)(tagOrDigest, `manifest digest for ${ref.registry}/${ref.repository}`);
        else if (!client_TAG.test(tagOrDigest)) {
            throw new errors/* InitramfsError */.sp('USAGE', `tag ${JSON.stringify(tagOrDigest)} of ${ref.registry}/${ref.repository} is invalid`);
        }
        const name = `${ref.registry}/${ref.repository}${byDigest ? '@' : ':'}${tagOrDigest}`;
        const what = `manifest ${name}`;
        try {
            const { bytes, contentType, headerDigest } = await withRetries(what, this.retry, async () => {
                const url = new URL(`/v2/${ref.repository}/manifests/${tagOrDigest}`, this.baseUrl(ref));
                const res = await this.get(ref, url, { accept: MANIFEST_ACCEPT }, 'manifest', what);
                if (res.statusCode !== 200)
                    throw await this.statusError(res, url.host, what, `image ${name}`, ref);
                const length = Number(headerValue(res.headers, 'content-length') ?? Number.NaN);
                if (length > MANIFEST_LIMIT) {
                    res.body.destroy();
                    throw documentTooLarge(what, length);
                }
                return {
                    bytes: await readBody(res.body, MANIFEST_LIMIT, what, url.host),
                    contentType: (headerValue(res.headers, 'content-type') ?? '').split(';')[0].trim(),
                    headerDigest: headerValue(res.headers, 'docker-content-digest'),
                };
            });
            const mediaType = manifestMediaType(bytes, contentType);
            if (SCHEMA1_TYPES.has(mediaType))
                throw schema1Error(name, 'the manifest', mediaType);
            const digest = (0,image_digest/* sha256Digest */.sI)(bytes);
            if (byDigest) {
                try {
                    verifyBytes(bytes, tagOrDigest, bytes.length, 'manifest');
                }
                catch (e) {
                    const m = e;
                    throw new errors/* DigestMismatchError */.h(m.blob, `${ref.registry}/${ref.repository}: ${m.message}`);
                }
            }
            else if ((0,image_digest/* isDigest */.Bc)(headerDigest) && headerDigest !== digest) {
                throw new errors/* DigestMismatchError */.h(headerDigest, `manifest ${name}: the registry said its digest is ${headerDigest} (Docker-Content-Digest), the bytes have ${digest}`);
            }
            return { bytes, mediaType, digest };
        }
        catch (e) {
            throw scrubError(e, this.auth);
        }
    }
    /**
     * Downloads blob `digest` (`size` bytes) of ref's repository into `tmpPath` (created or truncated), hashing
     * while writing. A body cut short resumes with `Range: bytes=N-` (206 with the matching Content-Range goes
     * on; 200 starts over). Size and digest are verified at the end: DigestMismatchError, not retried, and the
     * caller deletes the file. Redirects are followed without Authorization to other hosts.
     */
    async downloadBlob(ref, digest, size, tmpPath, onProgress) {
        (0,image_digest/* checkDigest */.H2)(digest, `blob of ${ref.registry}/${ref.repository}`);
        if (!Number.isSafeInteger(size) || size < 0) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `blob ${digest} of ${ref.registry}/${ref.repository}: size ${size} is not a byte count`);
        }
        const what = `blob ${digest} of ${ref.registry}/${ref.repository}`;
        const file = await (0,promises_.open)(tmpPath, 'w').catch((e) => {
            throw new errors/* InitramfsError */.sp('IO', `cannot create ${tmpPath}: ${e.message}`);
        });
        const sink = new BlobSink(file, tmpPath, digest, size, onProgress);
        try {
            await withRetries(what, this.retry, async () => {
                // Everything arrived but the connection broke at the very end: nothing left to ask for.
                if (sink.written === size && sink.written > 0)
                    return;
                const url = new URL(`/v2/${ref.repository}/blobs/${digest}`, this.baseUrl(ref));
                const headers = {};
                if (sink.written > 0)
                    headers['range'] = `bytes=${sink.written}-`;
                const res = await this.get(ref, url, headers, 'blob', what);
                if (res.statusCode === 206 && sink.written > 0) {
                    const range = parseContentRange(headerValue(res.headers, 'content-range'));
                    if (!range || range.start !== sink.written || (range.total !== undefined && range.total !== size)) {
                        await res.body.dump().catch(() => { });
                        await sink.restart();
                        throw new TransientError(`${url.host} answered a Range request with a different range; starting over`);
                    }
                }
                else if (res.statusCode === 200) {
                    if (sink.written > 0) {
                        this.reporter?.warn(`${what}: the registry does not resume downloads; starting over`);
                        await sink.restart();
                    }
                }
                else if (res.statusCode === 416) {
                    await res.body.dump().catch(() => { });
                    await sink.restart();
                    throw new TransientError(`${url.host} refused the Range request (HTTP 416); starting over`);
                }
                else {
                    throw await this.statusError(res, url.host, what, what, ref);
                }
                await sink.consume(res.body, url.host);
                if (sink.written < size) {
                    throw new TransientError(`${url.host} ended the body after ${sink.written} of ${size} bytes`);
                }
            });
            await sink.finish();
        }
        catch (e) {
            if (e instanceof errors/* DigestMismatchError */.h) {
                throw scrubError(new errors/* DigestMismatchError */.h(e.blob, `${ref.registry}/${ref.repository}: ${e.message}`), this.auth);
            }
            throw scrubError(e, this.auth);
        }
        finally {
            sink.abandon();
            await file.close().catch(() => { });
        }
    }
    /** Closes the connection pools. */
    async close() {
        await this.http.close();
    }
    warner() {
        const reporter = this.reporter;
        return reporter && { warn: (m) => reporter.warn(this.auth.scrub(m)) };
    }
    /** A GET with auth: the known challenge answered up front; one more try after a 401 with a fresh answer. */
    async get(ref, url, headers, kind, what) {
        const scope = pullScope(ref.repository);
        // Auth failures (no credentials for Basic, a token server's refusal) are told with the request they stopped.
        // A new error each time: a failed token fetch is shared by every request that waited for it.
        const named = (e) => e instanceof RegistryError
            ? new RegistryError(e.code, `${what}: ${e.message}`, {
                ...(e.status !== undefined && { status: e.status }),
                registryCodes: e.registryCodes,
                attempts: e.attempts,
                cause: e,
            })
            : e;
        let authorization = await this.auth.authorization(ref.registry, scope).catch((e) => {
            throw named(e);
        });
        for (let tries = 0;; tries++) {
            const res = await this.http.send(url, {
                headers,
                ...(authorization !== undefined && { authorization }),
                onRequest: () => this.stats[kind]++,
            });
            if (res.statusCode !== 401 || tries >= 1)
                return res;
            await res.body.dump().catch(() => { });
            authorization = await this.auth
                .answer(ref.registry, scope, res.headers['www-authenticate'], authorization)
                .catch((e) => {
                throw named(e);
            });
        }
    }
    /** The error for a non-success answer: TransientError for 408/429/5xx, a typed error otherwise. */
    async statusError(res, host, what, missing, ref) {
        const status = res.statusCode;
        let text = '';
        try {
            text = (await readBody(res.body, ERROR_BODY_LIMIT, what, host)).toString('utf8');
        }
        catch {
            // An error body that is cut or huge does not change what the status says.
            res.body.destroy();
        }
        const details = parseRegistryErrors(text);
        const codes = details.map((d) => d.code);
        const answer = describeAnswer(status, details);
        const info = { status, registryCodes: codes };
        if (status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505)) {
            const retryAfterMs = parseRetryAfter(headerValue(res.headers, 'retry-after'), Date.now());
            return new TransientError(`${host} answered ${answer}`, { retryAfterMs, ...info });
        }
        if (status === 404 || codes.some((c) => NOT_FOUND_CODES.has(c))) {
            return new RegistryError('IMAGE_NOT_FOUND', `${missing} not found: ${ref.registry} answered ${answer}`, info);
        }
        if (status === 401 || status === 403) {
            const creds = await this.auth.credentialsFor(ref.registry).catch(() => undefined);
            const hint = status === 403
                ? 'access denied'
                : creds
                    ? `the credentials from ${creds.source} were refused`
                    : 'anonymous access was refused; the repository may not exist or may need credentials ' +
                        '(--username with --password-stdin, or docker login)';
            return new RegistryError('AUTH', `${what}: ${hint}: ${ref.registry} answered ${answer}`, info);
        }
        return new RegistryError('REGISTRY', `${what}: ${ref.registry} answered ${answer}`, info);
    }
}
/**
 * The media type of a manifest: its own `mediaType` field when it has one (part of the digested bytes),
 * else the Content-Type; a `schemaVersion: 1` document is schema 1 whatever the header says.
 */
function manifestMediaType(bytes, contentType) {
    let json;
    try {
        json = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        return contentType;
    }
    if (typeof json !== 'object' || json === null)
        return contentType;
    const { mediaType, schemaVersion } = json;
    if (schemaVersion === 1)
        return schema1Type(contentType, { schemaVersion });
    return typeof mediaType === 'string' && mediaType !== '' ? mediaType : contentType;
}
/** `bytes START-END/TOTAL` (TOTAL may be `*`). */
function parseContentRange(value) {
    const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
    if (!m)
        return undefined;
    const range = { start: Number(m[1]), end: Number(m[2]) };
    return m[3] === '*' ? range : { ...range, total: Number(m[3]) };
}
/**
 * The blob file being written: bytes go to disk in batches and into verify.ts's stream check in the same
 * order, so the hash always covers exactly the file's first `written` bytes — what a Range request resumes.
 */
class BlobSink {
    written = 0;
    verify;
    file;
    path;
    digest;
    size;
    onProgress;
    constructor(file, path, digest, size, onProgress) {
        this.file = file;
        this.path = path;
        this.digest = digest;
        this.size = size;
        this.onProgress = onProgress;
        this.verify = this.freshVerify();
    }
    freshVerify() {
        const v = verifyStream(this.digest, this.size, 'blob');
        v.on('error', () => { }); // read through finished() in finish()
        v.resume(); // the bytes are already on disk; only the check matters
        return v;
    }
    /** Streams a response body to the file; a cut body is a TransientError after what arrived is kept. */
    async consume(body, host) {
        let batch = [];
        let batched = 0;
        const flush = async () => {
            if (batched === 0)
                return;
            const chunks = batch;
            batch = [];
            batched = 0;
            try {
                await this.file.writev(chunks, this.written);
            }
            catch (e) {
                throw new errors/* InitramfsError */.sp('IO', `cannot write ${this.path}: ${e.message}`);
            }
            for (const c of chunks) {
                this.verify.write(c);
                this.written += c.length;
            }
            this.onProgress?.(this.written);
        };
        try {
            for await (const chunk of body) {
                const c = chunk;
                batch.push(c);
                batched += c.length;
                if (this.written + batched > this.size) {
                    // Too large: let the stream check say so (it stops before the excess).
                    await flush();
                    break;
                }
                if (batched >= WRITE_BATCH)
                    await flush();
            }
        }
        catch (e) {
            await flush();
            throw classifyFailure(e, host);
        }
        await flush();
        if (this.written > this.size)
            await this.finish(); // throws the check's DigestMismatchError
    }
    /** Throws away what was written: the server sent the whole blob again. */
    async restart() {
        await this.file.truncate(0);
        this.written = 0;
        this.verify.destroy();
        this.verify = this.freshVerify();
    }
    /** The size and digest check over everything written. */
    async finish() {
        if (!this.verify.destroyed)
            this.verify.end();
        await (0,external_node_stream_promises_.finished)(this.verify);
    }
    abandon() {
        if (!this.verify.destroyed)
            this.verify.destroy();
    }
}

;// CONCATENATED MODULE: ./build/registry/source.js
// Images from a registry (`python:3.12-alpine`, `ghcr.io/o/r@sha256:…`): the third ImageSource. Manifests,
// configs and layers go through the blob cache, so a warm cache makes no blob request, and an image pulled
// by digest no manifest request either (tags move, so a tag is always asked for). Layer downloads start as
// soon as the image is resolved, a few at a time, while earlier layers are already being read.












/** Parallel blob downloads: enough to fill a link, few enough to be polite to the registry. */
const DOWNLOAD_CONCURRENCY = 3;
/** Limits how many async jobs run at once, in the order they were asked for. */
class Limiter {
    #running = 0;
    #queue = [];
    #max;
    constructor(max) {
        this.#max = max;
    }
    async run(job) {
        if (this.#running >= this.#max)
            await new Promise((r) => this.#queue.push(r));
        this.#running++;
        try {
            return await job();
        }
        finally {
            this.#running--;
            this.#queue.shift()?.();
        }
    }
}
const mediaTypeOf = (doc) => {
    if (typeof doc.mediaType === 'string')
        return doc.mediaType;
    // OCI documents may omit mediaType; the shape tells an index from a manifest.
    return Array.isArray(doc.manifests) ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json';
};
class RegistrySource {
    reference;
    ref;
    client;
    #cache;
    #reporter;
    #shared;
    #documents = new Map();
    #blobs = new Map();
    #downloads = new Limiter(DOWNLOAD_CONCURRENCY);
    #candidates;
    constructor(reference, opts) {
        this.reference = reference;
        this.ref = parseReference(reference);
        this.client = new RegistryClient({ ...opts.client, reporter: opts.reporter });
        this.#cache = new BlobCache(opts.cacheDir);
        this.#reporter = opts.reporter;
        this.#shared = opts.sharedCache;
    }
    /** Opens the reference and fetches its top manifest, so an unknown image fails here. */
    static async open(reference, opts) {
        const source = new RegistrySource(reference, opts);
        try {
            await source.platforms();
        }
        catch (e) {
            await source.close();
            throw e;
        }
        return source;
    }
    async platforms() {
        return (await this.#resolveCandidates()).map((c) => c.platform);
    }
    async resolve(platform) {
        return resolveCandidate(this, choosePlatform(this, await this.#resolveCandidates(), platform));
    }
    async close() {
        // Downloads still running (a failed build) are left to fail on their own; their errors are handled.
        await this.client.close();
    }
    #resolveCandidates() {
        this.#candidates ??= this.#top().then((top) => collectCandidates(this, [top]));
        return this.#candidates;
    }
    /** The descriptor of what the reference names: by digest from the cache if it is there, else asked. */
    async #top() {
        const { digest } = this.ref;
        if (digest !== undefined) {
            const cached = await this.#cachedDocument(digest);
            if (cached)
                return { digest, size: cached.size, mediaType: mediaTypeOf(cached.doc) };
            const fetched = await this.client.getManifest(this.ref, digest);
            return this.#remember(fetched.bytes, fetched.digest, fetched.mediaType);
        }
        const fetched = await this.client.getManifest(this.ref, this.ref.tag ?? 'latest');
        return this.#remember(fetched.bytes, fetched.digest, fetched.mediaType);
    }
    async #remember(bytes, digest, mediaType) {
        const doc = this.#parse(bytes, digest);
        this.#documents.set(digest, doc);
        await this.#cache.put(digest, bytes.length, (tmp) => (0,promises_.writeFile)(tmp, bytes));
        // The registry's Content-Type, else the document's own field.
        const type = INDEX_TYPES.has(mediaType) || MANIFEST_TYPES.has(mediaType) ? mediaType : mediaTypeOf(doc);
        return { digest, size: bytes.length, mediaType: type };
    }
    #parse(bytes, digest) {
        const json = parseJson(bytes.toString('utf8'), `${this.ref.canonical} ${digest}`);
        if (typeof json !== 'object' || json === null || Array.isArray(json)) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${digest} is not a JSON object`);
        }
        return json;
    }
    async #cachedDocument(digest, size) {
        const memo = this.#documents.get(digest);
        if (memo && size !== undefined)
            return { doc: memo, size };
        const path = size === undefined ? await this.#lookupAnySize(digest) : await this.#cache.lookup(digest, size);
        if (!path)
            return undefined;
        const bytes = await (0,promises_.readFile)(path);
        const doc = this.#parse(bytes, digest);
        this.#documents.set(digest, doc);
        return { doc, size: bytes.length };
    }
    /** A by-digest reference carries no size: the digest alone proves the cached bytes. */
    async #lookupAnySize(digest) {
        try {
            const st = await (0,promises_.stat)(this.#cache.path(digest));
            // Documents are cached no larger than this; a larger blob (a layer's digest as the reference) is none.
            if (st.size > MAX_DOCUMENT)
                return undefined;
            return this.#cache.lookup(digest, st.size);
        }
        catch {
            return undefined;
        }
    }
    async manifest(desc) {
        if (desc.size > MAX_DOCUMENT)
            throw documentTooLarge(`${this.reference}: manifest ${desc.digest}`, desc.size);
        const cached = await this.#cachedDocument(desc.digest, desc.size);
        if (cached)
            return cached.doc;
        const fetched = await this.client.getManifest(this.ref, desc.digest);
        verifyBytes(fetched.bytes, desc.digest, desc.size, 'manifest');
        await this.#remember(fetched.bytes, desc.digest, fetched.mediaType);
        return this.#documents.get(desc.digest);
    }
    async config(desc) {
        // Refused on the manifest's word, before a byte is downloaded: a config is read whole into memory.
        if (desc.size > MAX_DOCUMENT)
            throw documentTooLarge(`${this.reference}: config ${desc.digest}`, desc.size);
        const path = await this.#blob(desc);
        const bytes = await (0,promises_.readFile)(path);
        verifyBytes(bytes, desc.digest, desc.size, 'config');
        return this.#parse(bytes, desc.digest);
    }
    layer(desc, compression, diffId) {
        const ready = this.#blob(desc);
        // Started now, awaited when the layer is opened; until then a failure must not go unhandled.
        ready.catch(() => { });
        const layer = {
            digest: desc.digest,
            size: desc.size,
            mediaType: desc.mediaType,
            compression,
            open: () => {
                const out = new external_node_stream_.PassThrough();
                // #blob() only yields bytes this process has just verified (lookup hashed them, or the download
                // did while writing), and the cache is private to the user: hashing them a second time here would
                // cost a full pass over every layer on each warm build and prove nothing new.
                ready.then((path) => (0,external_node_stream_.pipeline)((0,external_node_fs_.createReadStream)(path, { highWaterMark: 1 << 20 }), out, () => { }), (e) => out.destroy(e));
                return out;
            },
        };
        if (diffId !== undefined)
            layer.diffId = diffId;
        return layer;
    }
    /** The cache path of a blob, downloading it (once per build, a few at a time) when absent. */
    #blob(desc) {
        let p = this.#blobs.get(desc.digest);
        if (!p) {
            p = this.#downloads.run(async () => {
                const hit = await this.#cache.lookup(desc.digest, desc.size);
                if (hit)
                    return hit;
                if (this.#shared && (await this.#shared.restore(desc.digest, desc.size, this.#cache.path(desc.digest)))) {
                    // lookup verifies the restored bytes and removes them when they do not match.
                    const restored = await this.#cache.lookup(desc.digest, desc.size);
                    if (restored)
                        return restored;
                    this.#reporter?.warn(`shared cache entry for ${desc.digest} did not match its digest; downloading it`);
                }
                const started = performance.now();
                const path = await this.#cache.put(desc.digest, desc.size, (tmp) => this.client.downloadBlob(this.ref, desc.digest, desc.size, tmp));
                this.#shared?.downloaded(desc.digest, path);
                const secs = ((performance.now() - started) / 1000).toFixed(1);
                this.#reporter?.info(`pulled ${desc.digest.slice(0, 19)} (${(desc.size / 1e6).toFixed(1)} MB) in ${secs}s`);
                return path;
            });
            this.#blobs.set(desc.digest, p);
        }
        return p;
    }
}

;// CONCATENATED MODULE: ./build/image/source.js
// Chooses the ImageSource for a reference by its transport prefix, the way skopeo names them: `oci:`,
// `oci-archive:` and `docker-archive:` read local files; anything else is a registry reference
// (`alpine`, `ghcr.io/o/r:tag`, or skopeo's `docker://alpine`).






async function openSource(reference, opts) {
    const archive = { cacheDir: opts.cacheDir, ...(opts.reporter && { reporter: opts.reporter }) };
    switch (transportOf(reference)) {
        case 'oci':
            return OciLayoutSource.open(reference);
        case 'oci-archive':
            return OciArchiveSource.open(reference, archive);
        case 'docker-archive':
            return DockerArchiveSource.open(reference, archive);
        case 'registry':
            return RegistrySource.open(registryName(reference), opts);
    }
}


/***/ }),

/***/ 9437:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ SPOOL_LAYOUT),
/* harmony export */   e: () => (/* binding */ SpoolFile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
// A spool file holds the bytes of one layer's regular files, appended in tar order, so the archive writer
// can read them back in any order without decompressing the layer twice. It lives in the tool's cache
// (a private temporary directory) and is deleted when the build ends.
//
// What a spool holds is a function of its layer's verified digest: every regular file's data, in tar
// order, each exactly its header's size (read-layer.ts). So `source` (that digest) and an offset name the
// same bytes in every build, and the segment cache keys compressed segments by them instead of hashing the
// bytes (write.ts). Whoever changes what is appended, or in which order, must change SPOOL_LAYOUT.

const FLUSH_AT = 4 << 20;
/** The most buffers one writev takes (Linux's UIO_MAXIOV). */
const IOV_MAX = 1024;
/**
 * The version of the rule above; part of every segment cache key that names spooled bytes. 2: layers are
 * read by tar-reader.ts, which stops at the end-of-archive marker and gives data to regular files only.
 */
const SPOOL_LAYOUT = 'regular-file-data-in-tar-order/2';
class SpoolFile {
    path;
    /** The verified digest of the layer whose file data this spool holds (see the top of this file). */
    source;
    #fd;
    #size = 0;
    #pending = [];
    #pendingBytes = 0;
    #closed = false;
    constructor(path, source) {
        this.path = path;
        this.source = source;
        // 0o600: the spool holds image content; nobody else on the machine needs to read it.
        this.#fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(path, 'wx+', 0o600);
    }
    /** Total bytes appended so far; the offset the next append starts at. */
    get size() {
        return this.#size;
    }
    /** Appends bytes and returns the offset they start at. */
    append(chunk) {
        const at = this.#size;
        this.#pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        this.#pendingBytes += chunk.byteLength;
        this.#size += chunk.byteLength;
        // Also at IOV_MAX pieces: each piece is a view that keeps its whole decompressed chunk (1 MiB) alive,
        // so a million small files pinned hundreds of MiB before 4 MiB of their bytes had gathered.
        if (this.#pendingBytes >= FLUSH_AT || this.#pending.length >= IOV_MAX)
            this.flush();
        return at;
    }
    flush() {
        // One gathering write of the pieces as they are: concatenating them first would copy every byte into
        // fresh memory, which costs more than the write itself.
        let parts = this.#pending;
        while (parts.length > 0) {
            let written = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writevSync)(this.#fd, parts.slice(0, IOV_MAX));
            let whole = 0;
            while (whole < parts.length && written >= parts[whole].length)
                written -= parts[whole++].length;
            parts = parts.slice(whole);
            if (written > 0)
                parts[0] = parts[0].subarray(written);
        }
        this.#pending = [];
        this.#pendingBytes = 0;
    }
    /** Reads exactly `length` bytes at `offset` into `target` (at `targetOffset`). */
    readInto(target, targetOffset, offset, length) {
        this.flush();
        let done = 0;
        while (done < length) {
            const n = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(this.#fd, target, targetOffset + done, length - done, offset + done);
            if (n === 0)
                throw new Error(`spool ${this.path}: short read at ${offset + done}`);
            done += n;
        }
    }
    /** Closes and deletes the spool. Safe to call twice. */
    dispose() {
        if (this.#closed)
            return;
        this.#closed = true;
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(this.#fd);
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.unlinkSync)(this.path);
        }
        catch {
            // already gone with its directory
        }
    }
}


/***/ }),

/***/ 5788:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IQ: () => (/* binding */ META_TYPES),
/* harmony export */   _v: () => (/* binding */ TarEntryAssembler)
/* harmony export */ });
/* unused harmony exports MAX_META, decodePaxRecords */
/* harmony import */ var _quote_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9692);
/* harmony import */ var _tar_header_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9395);
// What one tar entry is once the meta entries before it are applied: pax 'x' records (for the next entry),
// pax 'g' records (for every later one), GNU 'L'/'K' long names and link names. The layer reader (a
// stream) and the archive index (a file) both assemble entries here, so a name means the same to both.
// Precedence and limits follow Go's archive/tar, which Docker, containerd and umoci read layers with: pax
// records over the header's fields (an empty value keeps the field), GNU long names over both, meta data
// of at most 1 MiB, and no data for links, devices, directories and FIFOs whatever their size says.


/** Typeflags of meta entries, whose data describes the next entry. */
const META_TYPES = new Set(['x', 'g', 'L', 'K']);
/** The most data a meta entry may have (Go's maxSpecialFileSize): names and records, never file content. */
const MAX_META = 1 << 20;
/** Typeflags whose entries carry no data (Go's isHeaderOnlyType). */
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);
/** The pax records of an 'x'/'g' entry's data (`<len> key=value\n` …), values as byte strings. */
function decodePaxRecords(data) {
    const out = new Map();
    let i = 0;
    while (i < data.length) {
        let sp = i;
        while (sp < data.length && sp - i < 20 && data[sp] !== 0x20)
            sp++;
        const digits = Buffer.from(data.subarray(i, sp)).toString('latin1');
        const len = /^[0-9]+$/.test(digits) ? Number(digits) : Number.NaN;
        // The smallest record is "5 k=\n"; its length counts itself, the key, the value and the newline.
        if (data[sp] !== 0x20 || !Number.isSafeInteger(len) || len < 5 || i + len > data.length || data[i + len - 1] !== 0x0a) {
            throw new _tar_header_js__WEBPACK_IMPORTED_MODULE_1__/* .TarFormatError */ .ZV(`malformed pax record at byte ${i} of its header`);
        }
        const record = Buffer.from(data.subarray(sp + 1, i + len - 1)).toString('latin1');
        const eq = record.indexOf('=');
        if (eq <= 0)
            throw new _tar_header_js__WEBPACK_IMPORTED_MODULE_1__/* .TarFormatError */ .ZV(`malformed pax record at byte ${i} of its header (no key=value)`);
        out.set(record.slice(0, eq), record.slice(eq + 1));
        i += len;
    }
    return out;
}
/** Collects meta entries and applies them to the entry they precede. */
class TarEntryAssembler {
    #pax = new Map();
    #global = new Map();
    #longName;
    #longLink;
    /** Whether meta entries are waiting for the entry they describe (a tar must not end here). */
    get pending() {
        return this.#pax.size > 0 || this.#longName !== undefined || this.#longLink !== undefined;
    }
    /**
     * How many bytes of data follow the meta entry `h`: refused above MAX_META, since a meta entry is held
     * in memory.
     */
    metaSize(h) {
        if (h.size > MAX_META)
            throw new _tar_header_js__WEBPACK_IMPORTED_MODULE_1__/* .TarFormatError */ .ZV(`a '${h.typeflag}' meta entry of ${h.size} bytes (at most ${MAX_META})`);
        return h.size;
    }
    /** Takes in a meta entry's data. */
    meta(h, data) {
        switch (h.typeflag) {
            case 'x':
                this.#pax = decodePaxRecords(data);
                break;
            case 'g':
                this.#global = new Map([...this.#global, ...decodePaxRecords(data)]);
                break;
            case 'L':
                this.#longName = cstringOf(data);
                break;
            case 'K':
                this.#longLink = cstringOf(data);
                break;
        }
    }
    /** The entry `h` describes, with the meta entries before it applied (they are used up). */
    entry(h) {
        const pax = this.#merged();
        const value = (key) => {
            const v = pax.get(key);
            return v === undefined || v === '' ? undefined : v;
        };
        const name = this.#longName ?? value('path') ?? h.name;
        const linkname = this.#longLink ?? value('linkpath') ?? h.linkname;
        let typeflag = h.typeflag;
        if (typeflag === '\0')
            typeflag = name.endsWith('/') ? '5' : '0';
        const size = this.#entrySize({ ...h, typeflag }, pax);
        this.#pax = new Map();
        this.#longName = undefined;
        this.#longLink = undefined;
        return { name, typeflag, mode: h.mode, uid: h.uid, gid: h.gid, mtime: h.mtime, size, linkname, devmajor: h.devmajor, devminor: h.devminor, pax };
    }
    #merged() {
        return this.#global.size === 0 ? this.#pax : new Map([...this.#global, ...this.#pax]);
    }
    #entrySize(h, pax) {
        if (HEADER_ONLY.has(h.typeflag))
            return 0;
        const size = pax.get('size');
        if (size === undefined || size === '')
            return h.size;
        if (!/^[0-9]+$/.test(size) || !Number.isSafeInteger(Number(size))) {
            throw new _tar_header_js__WEBPACK_IMPORTED_MODULE_1__/* .TarFormatError */ .ZV(`pax size ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_0__/* .quoteBytes */ .K7)(size, 24)} is not a byte count`);
        }
        return Number(size);
    }
}
const cstringOf = (data) => {
    const nul = data.indexOf(0);
    return Buffer.from(nul === -1 ? data : data.subarray(0, nul)).toString('latin1');
};


/***/ }),

/***/ 9395:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E2: () => (/* binding */ decodeHeader),
/* harmony export */   FY: () => (/* binding */ isTarHeader),
/* harmony export */   IE: () => (/* binding */ BLOCK),
/* harmony export */   Ms: () => (/* binding */ padding),
/* harmony export */   ZV: () => (/* binding */ TarFormatError)
/* harmony export */ });
/* unused harmony exports cstring, decodeNumber, isZeroBlock */
// One 512-byte tar header block, decoded: ustar (POSIX.1-1988), GNU and pre-POSIX (v7) headers, numbers in
// octal or GNU base-256. Pure, and strict where Go's archive/tar is strict (a bad checksum, a number that
// is not one), since Go is what Docker, containerd and umoci read layers with: a header they refuse is one
// this tool refuses too, rather than a second reading of the same bytes.
const BLOCK = 512;
// Header field offsets and lengths (POSIX.1-1988 ustar; v7 stops at 257).
const NAME = 0;
const NAME_LEN = 100;
const MODE = 100;
const UID = 108;
const GID = 116;
const ID_LEN = 8;
const SIZE = 124;
const SIZE_LEN = 12;
const MTIME = 136;
const MTIME_LEN = 12;
const CHKSUM = 148;
const CHKSUM_LEN = 8;
const TYPEFLAG = 156;
const LINKNAME = 157;
const LINKNAME_LEN = 100;
const MAGIC = 257;
const DEVMAJOR = 329;
const DEVMINOR = 337;
const DEV_LEN = 8;
const PREFIX = 345;
const PREFIX_LEN = 155;
/** Bytes that are not a tar where a tar was expected; callers turn it into their own error code. */
class TarFormatError extends Error {
    name = 'TarFormatError';
}
/** A NUL-terminated field as a byte string (one char per byte). */
const cstring = (b, at, len) => {
    const field = b.subarray(at, at + len);
    const nul = field.indexOf(0);
    return Buffer.from(nul === -1 ? field : field.subarray(0, nul)).toString('latin1');
};
/** Printable form of a field's bytes for a message: at most 16, others as \xNN. */
const shownField = (field) => [...field.subarray(0, 16)].map((c) => (c >= 0x20 && c < 0x7f && c !== 0x27 && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`)).join('');
/**
 * A numeric header field: octal text (leading and trailing spaces and NULs ignored, as Go does), or GNU
 * base-256 when the high bit of the first byte is set (two's complement when the next bit is set, so it
 * may be negative). Throws TarFormatError for anything else, or a value beyond 2^53.
 */
function decodeNumber(b, at, len) {
    const field = b.subarray(at, at + len);
    if ((field[0] & 0x80) !== 0) {
        const negative = (field[0] & 0x40) !== 0;
        const inv = negative ? 0xff : 0;
        let n = 0;
        for (let i = 0; i < field.length; i++) {
            let c = field[i] ^ inv;
            if (i === 0)
                c &= 0x7f;
            n = n * 256 + c;
            if (!Number.isSafeInteger(n))
                throw new TarFormatError('tar header number too large');
        }
        return negative ? -n - 1 : n;
    }
    let start = 0;
    let end = field.length;
    while (start < end && (field[start] === 0x20 || field[start] === 0))
        start++;
    while (end > start && (field[end - 1] === 0x20 || field[end - 1] === 0))
        end--;
    const nul = field.subarray(start, end).indexOf(0);
    if (nul !== -1)
        end = start + nul;
    if (start === end)
        return 0;
    let n = 0;
    for (let i = start; i < end; i++) {
        const c = field[i];
        if (c < 0x30 || c > 0x37)
            throw new TarFormatError(`bad number '${shownField(field)}' in tar header`);
        n = n * 8 + (c - 0x30);
    }
    return n;
}
/** True for an all-zero block: the end-of-archive marker. */
const isZeroBlock = (b) => {
    for (let i = 0; i < BLOCK; i++)
        if (b[i] !== 0)
            return false;
    return true;
};
function checksumOk(h) {
    let unsigned = 0;
    let signed = 0;
    for (let i = 0; i < BLOCK; i++) {
        const v = i >= CHKSUM && i < CHKSUM + CHKSUM_LEN ? 0x20 : h[i];
        unsigned += v;
        signed += v > 127 ? v - 256 : v;
    }
    const want = decodeNumber(h, CHKSUM, CHKSUM_LEN);
    // Some historic tars summed signed bytes; both are accepted, as GNU tar and Go do.
    return want === unsigned || want === signed;
}
/**
 * True when `block` is a tar header whose checksum is right: how a plain tar is told from a compressed one
 * before any other magic is trusted (a member's name may begin with any bytes).
 */
function isTarHeader(block) {
    if (block.length < BLOCK || isZeroBlock(block))
        return false;
    try {
        return checksumOk(block.subarray(0, BLOCK));
    }
    catch {
        return false;
    }
}
/**
 * Decodes the header block at `block[0..512)`; null for an all-zero block (the end-of-archive marker).
 * `offset` (the block's place in the tar) only names it in messages.
 */
function decodeHeader(block, offset) {
    if (isZeroBlock(block))
        return null;
    let ok;
    try {
        ok = checksumOk(block);
    }
    catch {
        ok = false;
    }
    if (!ok)
        throw new TarFormatError(`bad tar header checksum at byte ${offset}`);
    const field = (what, at, len) => {
        try {
            return decodeNumber(block, at, len);
        }
        catch (e) {
            throw new TarFormatError(`${e.message} (${what} of the header at byte ${offset})`);
        }
    };
    // The format, as Go tells it: ustar (and pax) by magic and version, GNU by its own; anything else with
    // a right checksum is v7, whose header ends at 257 (no prefix, no device numbers).
    const magic = Buffer.from(block.subarray(MAGIC, MAGIC + 8)).toString('latin1');
    const ustar = magic === 'ustar\x0000';
    const hasDevices = ustar || magic === 'ustar  \0';
    let name = cstring(block, NAME, NAME_LEN);
    if (ustar && block[PREFIX] !== 0)
        name = `${cstring(block, PREFIX, PREFIX_LEN)}/${name}`;
    const size = field('size', SIZE, SIZE_LEN);
    if (size < 0)
        throw new TarFormatError(`negative size ${size} in the header at byte ${offset}`);
    return {
        name,
        typeflag: String.fromCharCode(block[TYPEFLAG]),
        mode: field('mode', MODE, ID_LEN),
        uid: field('uid', UID, ID_LEN),
        gid: field('gid', GID, ID_LEN),
        size,
        mtime: field('mtime', MTIME, MTIME_LEN),
        linkname: cstring(block, LINKNAME, LINKNAME_LEN),
        devmajor: hasDevices ? field('devmajor', DEVMAJOR, DEV_LEN) : 0,
        devminor: hasDevices ? field('devminor', DEVMINOR, DEV_LEN) : 0,
    };
}
/** Bytes of padding after `size` bytes of data, up to the next block boundary. */
const padding = (size) => (BLOCK - (size % BLOCK)) % BLOCK;


/***/ }),

/***/ 8107:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ formatPlatform)
/* harmony export */ });
const formatPlatform = (p) => p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;


/***/ }),

/***/ 9842:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kh: () => (/* binding */ ZSTD_MAGIC),
/* harmony export */   w5: () => (/* binding */ ZstdFrameSplitter)
/* harmony export */ });
/* unused harmony export ZstdFormatError */
// A streaming splitter for the zstd frame format (RFC 8878 §3.1): finds where each frame starts and ends
// so every frame can go to its own decoder, and drops skippable frames. Whether Node's decoder goes on past
// the first frame differs between releases (24.22 does, earlier 24.x stopped), so nothing relies on it.
// It only walks headers and block sizes; it never decodes block contents.
/** Little-endian magic of a zstd frame (bytes 28 b5 2f fd). */
const ZSTD_MAGIC = 0xfd2fb528;
/** Skippable frames use any magic 0x184D2A50..0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
// Frame_Header_Descriptor bits.
const FHD_FCS_FLAG_SHIFT = 6;
const FHD_SINGLE_SEGMENT = 0x20;
const FHD_RESERVED = 0x08;
const FHD_CHECKSUM = 0x04;
const FHD_DICT_ID_FLAG = 0x03;
const DICT_ID_SIZES = [0, 1, 2, 4];
const FCS_SIZES = [0, 2, 4, 8];
const BLOCK_HEADER_SIZE = 3;
const BLOCK_TYPE_RAW = 0;
const BLOCK_TYPE_RLE = 1;
const BLOCK_TYPE_COMPRESSED = 2;
const CHECKSUM_SIZE = 4;
/** The largest block the format allows (Block_Maximum_Size ≤ 128 KiB). */
const BLOCK_MAX = 128 << 10;
/** Thrown for bytes that are not a sequence of zstd frames; `offset` is where in the stream. */
class ZstdFormatError extends Error {
    offset;
    constructor(message, offset) {
        super(`${message} at byte ${offset}`);
        this.name = 'ZstdFormatError';
        this.offset = offset;
    }
}
/**
 * Incremental splitter: push() chunks as they arrive, get back the events they complete; end() when the
 * input ends (throws if it ends inside a frame). Data events reference the pushed chunk where possible.
 */
class ZstdFrameSplitter {
    #state = { s: 'magic' };
    /** Bytes of a fixed-size field collected across chunk boundaries. */
    #field = new Uint8Array(16);
    #fieldHave = 0;
    #fieldNeed = 4;
    #checksum = false;
    #offset = 0;
    push(chunk) {
        const events = [];
        let i = 0;
        while (i < chunk.length) {
            const st = this.#state;
            if (st.s === 'skip-payload' || st.s === 'block-body') {
                const n = Math.min(st.left, chunk.length - i);
                if (st.s === 'block-body')
                    events.push({ type: 'data', bytes: chunk.subarray(i, i + n) });
                i += n;
                this.#offset += n;
                st.left -= n;
                if (st.left === 0)
                    this.#afterBody(st, events);
                continue;
            }
            const n = Math.min(this.#fieldNeed - this.#fieldHave, chunk.length - i);
            this.#field.set(chunk.subarray(i, i + n), this.#fieldHave);
            this.#fieldHave += n;
            i += n;
            this.#offset += n;
            if (this.#fieldHave === this.#fieldNeed)
                this.#onField(events);
        }
        return events;
    }
    /** The input ended: throws ZstdFormatError unless it ended between frames. */
    end() {
        if (this.#state.s !== 'magic' || this.#fieldHave !== 0) {
            throw new ZstdFormatError('zstd stream truncated inside a frame', this.#offset);
        }
    }
    #expect(state, need) {
        this.#state = state;
        this.#fieldHave = 0;
        this.#fieldNeed = need;
    }
    #fieldBytes() {
        return this.#field.slice(0, this.#fieldNeed);
    }
    #afterBody(st, events) {
        if (st.s === 'skip-payload')
            this.#expect({ s: 'magic' }, 4);
        else
            this.#afterBlock(st.last, events);
    }
    #afterBlock(last, events) {
        if (!last)
            this.#expect({ s: 'block-header' }, BLOCK_HEADER_SIZE);
        else if (this.#checksum)
            this.#expect({ s: 'checksum' }, CHECKSUM_SIZE);
        else
            this.#endFrame(events);
    }
    #endFrame(events) {
        events.push({ type: 'frame-end' });
        this.#expect({ s: 'magic' }, 4);
    }
    #onField(events) {
        const f = this.#field;
        const st = this.#state;
        const at = this.#offset - this.#fieldNeed;
        switch (st.s) {
            case 'magic': {
                const magic = (f[0] | (f[1] << 8) | (f[2] << 16) | (f[3] << 24)) >>> 0;
                if (magic === ZSTD_MAGIC) {
                    events.push({ type: 'frame-start' }, { type: 'data', bytes: this.#fieldBytes() });
                    this.#expect({ s: 'fhd' }, 1);
                }
                else if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
                    this.#expect({ s: 'skip-size' }, 4);
                }
                else {
                    throw new ZstdFormatError(`not a zstd frame (magic 0x${magic.toString(16).padStart(8, '0')})`, at);
                }
                return;
            }
            case 'skip-size': {
                const size = (f[0] | (f[1] << 8) | (f[2] << 16) | (f[3] << 24)) >>> 0;
                if (size === 0)
                    this.#expect({ s: 'magic' }, 4);
                else
                    this.#expect({ s: 'skip-payload', left: size }, 0);
                return;
            }
            case 'fhd': {
                const fhd = f[0];
                if (fhd & FHD_RESERVED)
                    throw new ZstdFormatError('zstd frame header has the reserved bit set', at);
                events.push({ type: 'data', bytes: this.#fieldBytes() });
                this.#checksum = (fhd & FHD_CHECKSUM) !== 0;
                const single = (fhd & FHD_SINGLE_SEGMENT) !== 0;
                const fcsFlag = fhd >> FHD_FCS_FLAG_SHIFT;
                // With Single_Segment set and FCS flag 0 the content size still takes one byte.
                const fcsSize = fcsFlag === 0 && single ? 1 : FCS_SIZES[fcsFlag];
                const rest = (single ? 0 : 1) + DICT_ID_SIZES[fhd & FHD_DICT_ID_FLAG] + fcsSize;
                if (rest === 0)
                    this.#expect({ s: 'block-header' }, BLOCK_HEADER_SIZE);
                else
                    this.#expect({ s: 'header-rest', fhd }, rest);
                return;
            }
            case 'header-rest':
                events.push({ type: 'data', bytes: this.#fieldBytes() });
                this.#expect({ s: 'block-header' }, BLOCK_HEADER_SIZE);
                return;
            case 'block-header': {
                events.push({ type: 'data', bytes: this.#fieldBytes() });
                const header = f[0] | (f[1] << 8) | (f[2] << 16);
                const last = (header & 1) === 1;
                const type = (header >> 1) & 3;
                const size = header >>> 3;
                if (size > BLOCK_MAX)
                    throw new ZstdFormatError(`zstd block of ${size} bytes exceeds 128 KiB`, at);
                let body;
                if (type === BLOCK_TYPE_RAW || type === BLOCK_TYPE_COMPRESSED)
                    body = size;
                else if (type === BLOCK_TYPE_RLE)
                    body = 1;
                else
                    throw new ZstdFormatError('zstd block has the reserved block type', at);
                if (body === 0)
                    this.#afterBlock(last, events);
                else
                    this.#expect({ s: 'block-body', left: body, last }, 0);
                return;
            }
            case 'checksum':
                events.push({ type: 'data', bytes: this.#fieldBytes() });
                this.#endFrame(events);
                return;
            default:
                return;
        }
    }
}


/***/ }),

/***/ 1304:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Gd: () => (/* binding */ parseCompression),
/* harmony export */   XC: () => (/* binding */ resolveLevel),
/* harmony export */   _7: () => (/* binding */ COMPRESSIONS),
/* harmony export */   fR: () => (/* binding */ compressStream),
/* harmony export */   qx: () => (/* binding */ compressSegment)
/* harmony export */ });
/* unused harmony exports DEFAULT_LEVEL, LEVEL_RANGE, normalizeGzipHeader */
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8522);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7975);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9473);
/* harmony import */ var _did_you_mean_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1437);
// Compression of one archive segment into one self-contained gzip member or zstd frame (the kernel
// decompresses concatenated members/frames one after the other). Node's zlib work runs on the libuv
// threadpool, so segments compressed concurrently use every core with no worker threads. A segment held
// in memory and one streamed in pieces (too big for memory) compress to the same bytes: the bytes depend
// only on the input, the method and the level.




const COMPRESSIONS = ['gzip', 'zstd', 'none'];
/** Default level per method. */
const DEFAULT_LEVEL = { gzip: 6, zstd: 3, none: 0 };
/** Accepted levels per method, inclusive. */
const LEVEL_RANGE = {
    gzip: [1, 9],
    zstd: [1, 19],
    none: [0, 0],
};
/** Offset of the OS byte in a gzip member header (RFC 1952). */
const GZIP_OS_OFFSET = 9;
/** RFC 1952 OS code for Unix, forced so the bytes do not depend on the platform zlib was built for. */
const GZIP_OS_UNIX = 3;
const gzipAsync = (0,node_util__WEBPACK_IMPORTED_MODULE_1__.promisify)(node_zlib__WEBPACK_IMPORTED_MODULE_0__.gzip);
/** Largest output piece a streaming compressor hands back at once (see compressStream). */
const ENCODE_CHUNK = 1 << 20;
/** zlib's own minimum chunk size. */
const MIN_ENCODE_CHUNK = 64;
/** The output piece size for `inputSize` bytes: no larger than needed for a small input. */
const encodeChunk = (inputSize) => Math.max(MIN_ENCODE_CHUNK, Math.min(ENCODE_CHUNK, inputSize));
/** Parses a user-supplied compression name; InitramfsError('USAGE') for anything else. */
const parseCompression = (value) => {
    if (COMPRESSIONS.includes(value))
        return value;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `compression ${JSON.stringify(value)}: expected one of ${COMPRESSIONS.join(', ')}${(0,_did_you_mean_js__WEBPACK_IMPORTED_MODULE_3__/* .didYouMean */ .a)(value, COMPRESSIONS)}`);
};
/**
 * The level to use: `level` when given and in range, the method's default when undefined. For 'none'
 * any given level is ignored. InitramfsError('USAGE') for an out-of-range or non-integer level.
 */
const resolveLevel = (compression, level) => {
    if (!COMPRESSIONS.includes(compression))
        parseCompression(compression);
    if (compression === 'none')
        return 0;
    if (level === undefined)
        return DEFAULT_LEVEL[compression];
    const [min, max] = LEVEL_RANGE[compression];
    if (!Number.isInteger(level) || level < min || level > max) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `${compression} level must be an integer from ${min} to ${max}, got ${level}`);
    }
    return level;
};
const zlibOptions = (level) => ({ level });
const zstdOptions = (level, pledgedSrcSize) => ({
    // The one-shot call knows the input size; telling the streaming compressor the same size makes it pick
    // the same parameters and write the same frame header, so both paths give the same bytes.
    ...(pledgedSrcSize === undefined ? {} : { pledgedSrcSize }),
    // ZSTD_c_nbWorkers is deliberately not set: it crashes Node 24, and concurrency comes from segments.
    params: {
        [node_zlib__WEBPACK_IMPORTED_MODULE_0__.constants.ZSTD_c_compressionLevel]: level,
        [node_zlib__WEBPACK_IMPORTED_MODULE_0__.constants.ZSTD_c_checksumFlag]: 1,
    },
});
/** Makes a gzip member's header platform-independent (Node already writes mtime 0 and no name). */
const normalizeGzipHeader = (member) => {
    if (member.length > GZIP_OS_OFFSET)
        member[GZIP_OS_OFFSET] = GZIP_OS_UNIX;
    return member;
};
/** Compresses one whole segment into one gzip member / zstd frame ('none' returns the input). */
const compressSegment = async (raw, compression, level) => {
    switch (compression) {
        case 'none':
            return raw;
        case 'gzip':
            // Deflate's output does not depend on how its input was fed, so one-shot equals the streamed path.
            // One-shot gzip also runs as a stream inside Node: the same piece size as compressStream (a quarter
            // less time for the bench image's 242 MB), and the same bytes.
            return normalizeGzipHeader(await gzipAsync(raw, { ...zlibOptions(level), chunkSize: encodeChunk(raw.length) }));
        case 'zstd': {
            // Not zlib.zstdCompress: zstd's frame depends on whether the input arrives with the end-of-frame flag,
            // and oversized segments must stream; going through compressStream keeps both paths identical.
            const out = [];
            await compressStream([raw], compression, level, raw.length, async (chunk) => {
                out.push(chunk);
            });
            return Buffer.concat(out);
        }
    }
};
const writeChunk = (compressor, chunk) => new Promise((resolve, reject) => compressor.write(chunk, (err) => (err ? reject(err) : resolve())));
/**
 * Compresses `inputSize` bytes arriving in pieces into one gzip member / zstd frame, handing each output
 * chunk to `output` in order (awaited, so a slow consumer holds the input back). Every piece is fully
 * processed before the stream is ended, so the end-of-frame flag always comes with no input: Node would
 * otherwise set it on whichever piece happens to be pending at end(), and zstd's bytes would depend on
 * that timing. Fed this way, the output does not depend on how the input is split.
 */
const compressStream = async (input, compression, level, inputSize, output) => {
    // Output in pieces of up to ENCODE_CHUNK: each piece is one trip to the threadpool and back, and Node's
    // 16 KiB default made an 8 MiB segment hundreds of them (the main thread's largest cost in a zstd build).
    // The compressed bytes do not depend on the piece size.
    const chunkSize = encodeChunk(inputSize);
    const compressor = compression === 'gzip'
        ? (0,node_zlib__WEBPACK_IMPORTED_MODULE_0__.createGzip)({ ...zlibOptions(level), chunkSize })
        : (0,node_zlib__WEBPACK_IMPORTED_MODULE_0__.createZstdCompress)({ ...zstdOptions(level, inputSize), chunkSize });
    let at = 0;
    const consumed = (async () => {
        for await (const chunk of compressor) {
            if (compression === 'gzip' && at <= GZIP_OS_OFFSET && GZIP_OS_OFFSET < at + chunk.length) {
                chunk[GZIP_OS_OFFSET - at] = GZIP_OS_UNIX;
            }
            at += chunk.length;
            await output(chunk);
        }
    })();
    // Awaited below; handled here so a failure while input is still being fed is not reported as unhandled.
    consumed.catch(() => { });
    try {
        for await (const chunk of input)
            if (chunk.length > 0)
                await writeChunk(compressor, chunk);
        compressor.end();
    }
    catch (e) {
        compressor.destroy(e);
        throw e;
    }
    await consumed;
};


/***/ }),

/***/ 9119:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BO: () => (/* binding */ elfTargetForPlatform),
/* harmony export */   Cm: () => (/* binding */ ET_DYN),
/* harmony export */   Fz: () => (/* binding */ elfMatches),
/* harmony export */   Rg: () => (/* binding */ describeElf),
/* harmony export */   aW: () => (/* binding */ ET_EXEC),
/* harmony export */   c9: () => (/* binding */ ET_REL),
/* harmony export */   oU: () => (/* binding */ readElf)
/* harmony export */ });
/* unused harmony exports machineForPlatform, machineName */
// ELF header reading, as pure functions over bytes: enough to tell whether a file can run (or be
// insmod'ed) on the target before it goes into an archive the kernel would refuse at boot. Every read is
// bounds-checked: a truncated or hostile file gives `undefined` ("not a usable ELF"), never an exception.
// Offsets are those of the System V gABI (elf.h): e_ident, then the header fields at the offsets below.
const ET_REL = 1;
const ET_EXEC = 2;
const ET_DYN = 3;
const PT_INTERP = 3;
/** e_phnum's escape: the real count is in section header 0's sh_info (gABI "Extended Program Header Numbering"). */
const PN_XNUM = 0xffff;
/** Header field offsets, per class. */
const LAYOUT = {
    32: { header: 52, phoff: 28, shoff: 32, phentsize: 42, phnum: 44, shentsize: 46, phent: 32, shInfo: 28, shent: 40 },
    64: { header: 64, phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, phent: 56, shInfo: 44, shent: 64 },
};
/**
 * The ELF header of `bytes` (the whole file, or at least through its program header table). Undefined
 * when the bytes are not ELF, or the header or program header table is cut short or malformed, since
 * then nothing can say whether the file is dynamically linked.
 */
function readElf(bytes) {
    if (bytes.length < 16 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46)
        return undefined;
    const bits = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : undefined; // EI_CLASS
    const littleEndian = bytes[5] === 1 ? true : bytes[5] === 2 ? false : undefined; // EI_DATA
    if (bits === undefined || littleEndian === undefined)
        return undefined;
    const l = LAYOUT[bits];
    if (bytes.length < l.header)
        return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const u16 = (at) => view.getUint16(at, littleEndian);
    const u32 = (at) => view.getUint32(at, littleEndian);
    // An offset, as a safe integer; 64-bit offsets past 2^53 are garbage for any file we could hold.
    const off = (at) => (bits === 32 ? u32(at) : Number(view.getBigUint64(at, littleEndian)));
    const type = u16(16);
    const machine = u16(18);
    let phnum = u16(l.phnum);
    if (phnum === PN_XNUM) {
        const shoff = off(l.shoff);
        if (u16(l.shentsize) < l.shent || shoff + l.shent > bytes.length)
            return undefined;
        phnum = u32(shoff + l.shInfo);
    }
    let interpreter = false;
    if (phnum > 0) {
        const phoff = off(l.phoff);
        const phentsize = u16(l.phentsize);
        // A smaller entry cannot be a program header of this class; the table must lie inside the file.
        if (phentsize < l.phent || phoff + phnum * phentsize > bytes.length)
            return undefined;
        for (let i = 0; i < phnum; i++) {
            if (u32(phoff + i * phentsize) === PT_INTERP) {
                interpreter = true;
                break;
            }
        }
    }
    return { bits, littleEndian, type, machine, interpreter };
}
// OCI architecture (GOARCH) → e_machine, class and byte order of its Linux binaries.
const TARGETS = {
    amd64: { machine: 62, bits: 64, littleEndian: true }, // EM_X86_64
    arm64: { machine: 183, bits: 64, littleEndian: true }, // EM_AARCH64
    '386': { machine: 3, bits: 32, littleEndian: true }, // EM_386
    arm: { machine: 40, bits: 32, littleEndian: true }, // EM_ARM
    ppc64le: { machine: 21, bits: 64, littleEndian: true }, // EM_PPC64
    s390x: { machine: 22, bits: 64, littleEndian: false }, // EM_S390
    riscv64: { machine: 243, bits: 64, littleEndian: true }, // EM_RISCV
};
/** e_machine of Linux binaries for an OCI architecture (`amd64` → 62); undefined for one not known here. */
const machineForPlatform = (arch) => elfTargetForPlatform(arch)?.machine;
/**
 * The full header signature for an OCI architecture: ppc64le and a big-endian ppc64 binary share
 * e_machine, as do 32- and 64-bit RISC-V, so a check on the machine alone would pass the wrong file.
 */
const elfTargetForPlatform = (arch) => Object.hasOwn(TARGETS, arch) ? TARGETS[arch] : undefined;
const MACHINE_NAMES = {
    2: 'SPARC',
    3: 'x86 (i386)',
    8: 'MIPS',
    20: 'PowerPC',
    21: 'PowerPC64',
    22: 'IBM S/390',
    40: 'ARM',
    43: 'SPARC V9',
    62: 'x86-64',
    183: 'AArch64',
    243: 'RISC-V',
    258: 'LoongArch',
};
/** A machine as `file(1)` names it (62 → 'x86-64'); an unknown one as `machine N`. */
const machineName = (machine) => MACHINE_NAMES[machine] ?? `machine ${machine}`;
/** `x86-64, 64-bit little-endian`: what a message shows of a header, so a byte-order mismatch is visible too. */
const describeElf = (e) => `${machineName(e.machine)}, ${e.bits}-bit ${e.littleEndian ? 'little' : 'big'}-endian`;
/** Whether a header matches what the target expects (machine, class and byte order). */
const elfMatches = (e, t) => e.machine === t.machine && e.bits === t.bits && e.littleEndian === t.littleEndian;


/***/ }),

/***/ 4956:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hw: () => (/* binding */ udhcpcScript),
/* harmony export */   Q$: () => (/* binding */ UDHCPC_SCRIPT_PATH),
/* harmony export */   U5: () => (/* binding */ STATUS_PREFIX),
/* harmony export */   VE: () => (/* binding */ BUSYBOX_PATH),
/* harmony export */   qN: () => (/* binding */ DEFAULT_HOSTNAME),
/* harmony export */   sj: () => (/* binding */ generateInit)
/* harmony export */ });
/* unused harmony exports TOOLS_DIR, SHELL_WORD, DEFAULT_PATH, shellQuote */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9473);
// The /init generated from an image config when the image has none and the user gave none: a POSIX sh
// script run as PID 1 by the static busybox the archive carries (/.initramfs-action/busybox). It mounts
// the kernel filesystems, sets the hostname, brings up loopback, loads kernel modules, configures the
// network, runs Entrypoint + Cmd as Docker would (Env, WorkingDir, User, every argument exact) or a
// console shell when the kernel command line asks for one, reports the exit status on the console, then
// powers off, reboots or opens a shell. Every tool is called as `"$BB" APPLET`, never through PATH, so an
// image without a shell boots and the command's PATH never sees busybox. Pure: text in, text out.

/** Where the archive carries init's own tools. */
const TOOLS_DIR = '/.initramfs-action';
/** The static busybox that runs /init and every tool it calls. */
const BUSYBOX_PATH = '/.initramfs-action/busybox';
/** udhcpc's event hook (udhcpcScript()), which applies a DHCP lease. */
const UDHCPC_SCRIPT_PATH = '/.initramfs-action/udhcpc.script';
/** The kernel command-line word that starts a console shell instead of the command. */
const SHELL_WORD = 'initramfs.shell';
/** Docker's PATH for containers whose image sets none. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The line the script prints (to /dev/console) when the command ends, followed by the status. */
const STATUS_PREFIX = 'initramfs-action: command exited with status ';
const DEFAULT_HOOKS = {
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
const shellQuote = (s) => `'${s.replaceAll("'", `'\\''`)}'`;
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
const DEFAULT_HOSTNAME = 'initramfs';
/**
 * The /init script for `config` run as `plan` says. Env entries whose name sh cannot export (not
 * `[A-Za-z_][A-Za-z0-9_]*`) or that have no "=" are skipped. The command is not exec'd by PID 1: the
 * script outlives it to report its status and power off. Throws NO_INIT when the config has no
 * Entrypoint and no Cmd, BAD_IMAGE for a NUL in an argument, Env entry or WorkingDir (exec cannot pass
 * one), USAGE for a plan that cannot be written (bad uid/gid, NUL in a module path or the hostname).
 * The text is meant to be written as UTF-8.
 */
function generateInit(config, plan, hooks = {}) {
    const h = { ...DEFAULT_HOOKS, ...hooks };
    const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    if (argv.length === 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InitramfsError */ .sp('NO_INIT', 'image config has no Entrypoint or Cmd; pass --init');
    for (const s of [...argv, ...(config.Env ?? []), config.WorkingDir ?? '']) {
        if (s.includes('\0'))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InitramfsError */ .sp('BAD_IMAGE', `image config has a NUL character in ${JSON.stringify(s)}`);
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
function checkPlan(plan) {
    for (const s of [plan.hostname, ...plan.modules]) {
        if (s.includes('\0'))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InitramfsError */ .sp('USAGE', `init plan has a NUL character in ${JSON.stringify(s)}`);
    }
    if (plan.user) {
        for (const [what, id] of [['uid', plan.user.uid], ['gid', plan.user.gid]]) {
            if (!Number.isInteger(id) || id < 0 || id > ID_MAX) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InitramfsError */ .sp('USAGE', `init plan: ${what} ${id} is not a number from 0 to ${ID_MAX}`);
            }
        }
    }
}
/** Env entries sh can export, in order. */
function exportable(env) {
    return env.filter((entry) => {
        const eq = entry.indexOf('=');
        return eq > 0 && SHELL_NAME.test(entry.slice(0, eq));
    });
}
/** The kernel's name for a module file: /sys/module/<name>, with '-' read as '_'. */
const moduleName = (path) => path
    .slice(path.lastIndexOf('/') + 1)
    .replace(/\.ko$/, '')
    .replaceAll('-', '_');
function networkLine(mode) {
    switch (mode) {
        case 'none':
            return '# --network none: loopback only.';
        case 'dhcp':
            return 'network_dhcp';
        case 'cmdline':
            return 'network_cmdline';
    }
}
function onExitLines(onExit) {
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
function udhcpcScript() {
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


/***/ }),

/***/ 5652:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Xg: () => (/* binding */ INIT_TOOLS_ENV),
/* harmony export */   uD: () => (/* binding */ loadInitTools),
/* harmony export */   zd: () => (/* binding */ DEFAULT_INIT_TOOLS)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9473);
/* harmony import */ var _log_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(6650);
/* harmony import */ var _quote_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9692);
/* harmony import */ var _image_source_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9128);
/* harmony import */ var _image_types_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(8107);
/* harmony import */ var _rootfs_image_tree_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8320);
/* harmony import */ var _rootfs_read_node_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2333);
/* harmony import */ var _rootfs_tree_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(8244);
/* harmony import */ var _elf_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(9119);
// The "init tools" image: where the generated /init's static busybox comes from (installed at
// /.initramfs-action/busybox), so an image without a shell (distroless, scratch + one binary) still boots.
// It is opened like the main image (same cache, credentials and progress), for the same platform, and
// only /bin/busybox is taken from it. That file is checked here, before any archive is written: it runs
// first in the guest, before any library of the image could be found, so it must be a static executable
// for the target machine — anything else is a kernel panic ("init failed") at boot, far from its cause.











/** A static musl busybox, published for every platform the tool builds for. */
const DEFAULT_INIT_TOOLS = 'docker.io/library/busybox:1.37.0-musl';
/** Overrides DEFAULT_INIT_TOOLS; --init-tools beats it. */
const INIT_TOOLS_ENV = 'INITRAMFS_ACTION_INIT_TOOLS';
const BUSYBOX = '/bin/busybox';
/** Busybox builds are one or two MiB; a file past this is not one, and is not read into memory. */
const MAX_BUSYBOX_SIZE = 64 << 20;
const KIND_NAMES = {
    file: 'a regular file',
    dir: 'a directory',
    symlink: 'a symlink',
    char: 'a character device',
    block: 'a block device',
    fifo: 'a FIFO',
};
const CHOOSE = `choose another with --init-tools IMAGE (or the environment variable ${INIT_TOOLS_ENV})`;
const STATIC_EXAMPLE = 'a static busybox is needed, e.g. the busybox:musl or busybox:uclibc images';
/**
 * Open `reference`, resolve `platform`, read its layers into a rootfs model (spools under `work`) and
 * return /bin/busybox's bytes, checked to be a static executable for the platform. Spools and source are
 * released before it returns, also when it fails.
 */
async function loadInitTools(reference, platform, opts) {
    let source;
    try {
        source = await (0,_image_source_js__WEBPACK_IMPORTED_MODULE_4__/* .openSource */ .oD)(reference, opts.source);
    }
    catch (e) {
        throw toolsError(reference, e);
    }
    try {
        return await loadFrom(source, reference, platform, opts);
    }
    finally {
        await source.close?.();
    }
}
async function loadFrom(source, reference, platform, opts) {
    const reporter = opts.source.reporter ?? new _log_js__WEBPACK_IMPORTED_MODULE_8__/* .CollectingReporter */ .M();
    const work = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(opts.work, 'init-tools-'));
    let tree;
    try {
        let formatted;
        let digest;
        try {
            const image = await source.resolve(platform);
            formatted = (0,_image_types_js__WEBPACK_IMPORTED_MODULE_9__/* .formatPlatform */ .B)(image.platform);
            digest = image.digest ?? null;
            tree = await (0,_rootfs_image_tree_js__WEBPACK_IMPORTED_MODULE_5__/* .readImageTree */ .w)(image.layers, work, reporter);
        }
        catch (e) {
            throw toolsError(reference, e);
        }
        const busybox = readBusybox(tree.root, `init-tools image ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .shown */ .SP)(reference)} (${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .shown */ .SP)(formatted)})`);
        checkBusybox(busybox, platform, formatted, reference);
        return { reference, digest, platform: formatted, busybox };
    }
    finally {
        tree?.dispose();
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(work, { recursive: true, force: true });
    }
}
/** /bin/busybox's bytes, symlinks followed inside the image. */
function readBusybox(root, image) {
    const fail = (why) => new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('INIT_TOOLS', `${image} ${why}; expected a static busybox at ${BUSYBOX}, such as ${DEFAULT_INIT_TOOLS} has; ${CHOOSE}`);
    const node = (0,_rootfs_tree_js__WEBPACK_IMPORTED_MODULE_10__/* .lookup */ .$I)(root, BUSYBOX, { follow: true });
    if (node === undefined) {
        const link = (0,_rootfs_tree_js__WEBPACK_IMPORTED_MODULE_10__/* .lookup */ .$I)(root, BUSYBOX, { follow: false });
        if (link?.inode.type === 'symlink')
            throw fail(`has ${BUSYBOX} as a symlink to ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .quoteBytes */ .K7)(link.inode.target ?? '')}, which names nothing in the image`);
        throw fail(`has no ${BUSYBOX}`);
    }
    const { inode } = node;
    if (inode.type !== 'file')
        throw fail(`has ${BUSYBOX} as ${KIND_NAMES[inode.type]}, not a regular file`);
    if (inode.size > MAX_BUSYBOX_SIZE)
        throw fail(`has a ${BUSYBOX} of ${inode.size} bytes, too large to be a busybox`);
    const bytes = Buffer.alloc(inode.size);
    (0,_rootfs_read_node_js__WEBPACK_IMPORTED_MODULE_6__/* .readNodeRange */ .CZ)(node, 0, bytes, inode.size);
    return bytes;
}
function checkBusybox(bytes, platform, formatted, reference) {
    const image = `init-tools image ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .shown */ .SP)(reference)} (${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .shown */ .SP)(formatted)})`;
    const fail = (why, expected) => new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('INIT_TOOLS', `${image}: ${BUSYBOX} ${why}; ${expected}; ${CHOOSE}`);
    const elf = (0,_elf_js__WEBPACK_IMPORTED_MODULE_7__/* .readElf */ .oU)(bytes);
    if (elf === undefined || (elf.type !== _elf_js__WEBPACK_IMPORTED_MODULE_7__/* .ET_EXEC */ .aW && elf.type !== _elf_js__WEBPACK_IMPORTED_MODULE_7__/* .ET_DYN */ .Cm)) {
        throw fail(elf === undefined ? 'is not an ELF executable (or is cut short)' : `is an ELF file of type ${elf.type}, not an executable`, STATIC_EXAMPLE);
    }
    if (elf.interpreter) {
        throw fail('is dynamically linked (it names a program interpreter, PT_INTERP), but it runs before anything of the image is there', STATIC_EXAMPLE);
    }
    const target = (0,_elf_js__WEBPACK_IMPORTED_MODULE_7__/* .elfTargetForPlatform */ .BO)(platform.architecture);
    // An architecture this tool has no ELF signature for is taken on trust: the boot test is the check there.
    if (target !== undefined && !(0,_elf_js__WEBPACK_IMPORTED_MODULE_7__/* .elfMatches */ .Fz)(elf, target)) {
        throw fail(`is for ${(0,_elf_js__WEBPACK_IMPORTED_MODULE_7__/* .describeElf */ .Rg)(elf)} but the platform is ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .shown */ .SP)(formatted)} (${(0,_elf_js__WEBPACK_IMPORTED_MODULE_7__/* .describeElf */ .Rg)(target)})`, 'expected a busybox built for the target platform');
    }
}
/**
 * An error from opening, resolving or reading the tools image, said to be about it: the user may never
 * have named it (it is the default), so "no image for platform linux/s390x" alone would point at the
 * wrong image. Code (and class) kept.
 */
function toolsError(reference, e) {
    if (!(e instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp))
        return e;
    const about = e.message.startsWith(`${reference}:`) ? `init-tools image ${e.message}` : `init-tools image ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_3__/* .shown */ .SP)(reference)}: ${e.message}`;
    // Where another image is the fix: it is not there, or not reachable (an air-gapped runner needs a mirror).
    const hint = ['PLATFORM_NOT_FOUND', 'IMAGE_NOT_FOUND', 'NETWORK', 'AUTH', 'REGISTRY'].includes(e.code);
    const message = hint ? `${about}; ${CHOOSE}` : about;
    if (e instanceof _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .DigestMismatchError */ .h)
        return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .DigestMismatchError */ .h(e.blob, message);
    return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp(e.code, message, { cause: e });
}


/***/ }),

/***/ 1139:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ad: () => (/* binding */ HEADER_SIZE),
/* harmony export */   C: () => (/* binding */ TRAILER_SIZE),
/* harmony export */   CH: () => (/* binding */ encodeTrailer),
/* harmony export */   NW: () => (/* binding */ S_IFMT),
/* harmony export */   S1: () => (/* binding */ TRAILER_NAME),
/* harmony export */   Tr: () => (/* binding */ checkEntry),
/* harmony export */   YS: () => (/* binding */ encodeHeader),
/* harmony export */   ci: () => (/* binding */ TYPE_BITS),
/* harmony export */   e$: () => (/* binding */ OFFSET),
/* harmony export */   ib: () => (/* binding */ pad4),
/* harmony export */   n6: () => (/* binding */ PATH_MAX),
/* harmony export */   nJ: () => (/* binding */ recordSize),
/* harmony export */   qF: () => (/* binding */ NEWC_MAGIC),
/* harmony export */   vQ: () => (/* binding */ headerAndNameSize)
/* harmony export */ });
/* unused harmony exports encodeRecord, decodeNewc */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9473);
/* harmony import */ var _quote_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9692);
/* harmony import */ var _rootfs_node_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4984);
// CPIO "newc" (magic 070701), the only format the Linux initramfs loader reads: pure encode/decode of one
// record's header and name, the padding rules, the TRAILER!!! record, and the guards for what newc (or the
// kernel's loader) cannot represent. No I/O: the writer streams data between the pieces these return.



const NEWC_MAGIC = '070701';
const HEADER_SIZE = 110;
const TRAILER_NAME = 'TRAILER!!!';
/** Byte offsets of the header fields: magic (6 chars) then thirteen 8-char uppercase-hex fields. */
const OFFSET = {
    magic: 0,
    ino: 6,
    mode: 14,
    uid: 22,
    gid: 30,
    nlink: 38,
    mtime: 46,
    filesize: 54,
    devmajor: 62,
    devminor: 70,
    rdevmajor: 78,
    rdevminor: 86,
    namesize: 94,
    check: 102,
};
/** The kernel's PATH_MAX: a name's namesize (NUL included) and a symlink's target may not exceed it. */
const PATH_MAX = 4096;
const U32_MAX = 0xffff_ffff;
/** st_mode type bits (S_IFMT) for each inode type. */
const TYPE_BITS = {
    fifo: 0o010000,
    char: 0o020000,
    dir: 0o040000,
    block: 0o060000,
    file: 0o100000,
    symlink: 0o120000,
};
const S_IFMT = 0o170000;
/** Bytes needed to bring `n` up to a multiple of 4 (newc aligns the name+header and the data). */
const pad4 = (n) => (4 - (n % 4)) % 4;
/** Size of a record's header + name + NUL + padding, i.e. the offset its data starts at. */
const headerAndNameSize = (nameBytes) => {
    const n = HEADER_SIZE + nameBytes + 1;
    return n + pad4(n);
};
/** Total encoded size of a record whose name has `nameBytes` bytes and whose data has `dataBytes` bytes. */
const recordSize = (nameBytes, dataBytes) => headerAndNameSize(nameBytes) + dataBytes + pad4(dataBytes);
/** Size of the TRAILER!!! record. */
const TRAILER_SIZE = recordSize(TRAILER_NAME.length, 0);
const limit = (name, what) => new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InitramfsError */ .sp('ARCHIVE_LIMIT', `${(0,_quote_js__WEBPACK_IMPORTED_MODULE_1__/* .shown */ .SP)((0,_rootfs_node_js__WEBPACK_IMPORTED_MODULE_2__/* .fromBytePath */ .cj)(name) || '.')}: ${what}`);
const checkU32 = (entry, field, value) => {
    if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
        throw limit(entry.name, `${field} ${value} does not fit newc's 32-bit field (0..${U32_MAX})`);
    }
};
/**
 * Throws InitramfsError('ARCHIVE_LIMIT') naming the path when the entry cannot be represented: a file of
 * 4 GiB or more, an mtime before 1970 or after 2106, a name the kernel would skip (namesize incl. NUL over
 * PATH_MAX), a uid/gid (or any other field) outside 32 bits.
 */
const checkEntry = (entry) => {
    const nameBytes = Buffer.byteLength(entry.name, 'latin1');
    if (nameBytes + 1 > PATH_MAX) {
        throw limit(entry.name, `name is ${nameBytes} bytes; the kernel skips names over ${PATH_MAX - 1} bytes`);
    }
    if (entry.filesize > U32_MAX) {
        throw limit(entry.name, `size ${entry.filesize} bytes is 4 GiB or more, which newc cannot store`);
    }
    if (!Number.isInteger(entry.mtime) || entry.mtime < 0 || entry.mtime > U32_MAX) {
        throw limit(entry.name, `mtime ${entry.mtime} is outside 1970..2106, which newc cannot store`);
    }
    if ((entry.mode & S_IFMT) === TYPE_BITS.symlink && entry.filesize > PATH_MAX) {
        throw limit(entry.name, `symlink target is ${entry.filesize} bytes; the kernel limit is ${PATH_MAX}`);
    }
    for (const field of ['uid', 'gid', 'ino', 'mode', 'nlink', 'filesize', 'devmajor', 'devminor', 'rdevmajor', 'rdevminor']) {
        checkU32(entry, field, entry[field]);
    }
};
const writeHex = (buf, at, value) => {
    buf.write(value.toString(16).toUpperCase().padStart(8, '0'), at, 8, 'latin1');
};
/**
 * Encodes a record's header, name, NUL and padding (everything before its data). The data (`filesize`
 * bytes) follows, then `pad4(filesize)` zero bytes. Validates with `checkEntry` first.
 */
const encodeHeader = (entry) => {
    checkEntry(entry);
    const nameBytes = Buffer.byteLength(entry.name, 'latin1');
    const buf = Buffer.alloc(headerAndNameSize(nameBytes)); // zero-filled: NUL and padding come free
    buf.write(NEWC_MAGIC, OFFSET.magic, 6, 'latin1');
    writeHex(buf, OFFSET.ino, entry.ino);
    writeHex(buf, OFFSET.mode, entry.mode);
    writeHex(buf, OFFSET.uid, entry.uid);
    writeHex(buf, OFFSET.gid, entry.gid);
    writeHex(buf, OFFSET.nlink, entry.nlink);
    writeHex(buf, OFFSET.mtime, entry.mtime);
    writeHex(buf, OFFSET.filesize, entry.filesize);
    writeHex(buf, OFFSET.devmajor, entry.devmajor);
    writeHex(buf, OFFSET.devminor, entry.devminor);
    writeHex(buf, OFFSET.rdevmajor, entry.rdevmajor);
    writeHex(buf, OFFSET.rdevminor, entry.rdevminor);
    writeHex(buf, OFFSET.namesize, nameBytes + 1);
    writeHex(buf, OFFSET.check, 0);
    buf.write(entry.name, HEADER_SIZE, nameBytes, 'latin1');
    return buf;
};
/** Encodes a whole record: header, name, data and both paddings. `data.length` must equal `filesize`. */
const encodeRecord = (entry, data = new Uint8Array(0)) => {
    if (data.length !== entry.filesize) {
        throw new Error(`newc: ${entry.name}: data is ${data.length} bytes, header says ${entry.filesize}`);
    }
    return Buffer.concat([encodeHeader(entry), data, Buffer.alloc(pad4(data.length))]);
};
/** The TRAILER!!! record that closes an archive (and resets the kernel's hardlink table). */
const encodeTrailer = () => encodeHeader({
    name: TRAILER_NAME,
    ino: 0,
    mode: 0,
    uid: 0,
    gid: 0,
    nlink: 1,
    mtime: 0,
    filesize: 0,
    devmajor: 0,
    devminor: 0,
    rdevmajor: 0,
    rdevminor: 0,
});
const readHex = (buf, at, field) => {
    const text = buf.toString('latin1', at, at + 8);
    if (!/^[0-9A-Fa-f]{8}$/.test(text))
        throw new Error(`newc: bad ${field} field ${JSON.stringify(text)} at ${at}`);
    return parseInt(text, 16);
};
/**
 * Parses newc bytes back into records, trailers included (name TRAILER!!!). Accepts several archives
 * concatenated, with zero padding between them, as the kernel does. Throws on anything malformed.
 */
const decodeNewc = (input) => {
    const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const records = [];
    let pos = 0;
    while (pos < buf.length) {
        if (buf[pos] === 0) {
            // Zero padding between archives (the kernel skips it the same way).
            pos++;
            continue;
        }
        if (pos % 4 !== 0)
            throw new Error(`newc: record at unaligned offset ${pos}`);
        if (pos + HEADER_SIZE > buf.length)
            throw new Error(`newc: truncated header at ${pos}`);
        const magic = buf.toString('latin1', pos, pos + 6);
        if (magic !== NEWC_MAGIC)
            throw new Error(`newc: bad magic ${JSON.stringify(magic)} at ${pos}`);
        const h = (field) => readHex(buf, pos + OFFSET[field], field);
        const namesize = h('namesize');
        const filesize = h('filesize');
        if (namesize < 1)
            throw new Error(`newc: namesize 0 at ${pos}`);
        const nameEnd = pos + HEADER_SIZE + namesize;
        if (nameEnd > buf.length)
            throw new Error(`newc: truncated name at ${pos}`);
        if (buf[nameEnd - 1] !== 0)
            throw new Error(`newc: name not NUL-terminated at ${pos}`);
        const dataStart = pos + headerAndNameSize(namesize - 1);
        const dataEnd = dataStart + filesize;
        if (dataEnd > buf.length)
            throw new Error(`newc: truncated data at ${pos}`);
        records.push({
            name: buf.toString('latin1', pos + HEADER_SIZE, nameEnd - 1),
            ino: h('ino'),
            mode: h('mode'),
            uid: h('uid'),
            gid: h('gid'),
            nlink: h('nlink'),
            mtime: h('mtime'),
            filesize,
            devmajor: h('devmajor'),
            devminor: h('devminor'),
            rdevmajor: h('rdevmajor'),
            rdevminor: h('rdevminor'),
            data: buf.subarray(dataStart, dataEnd),
        });
        pos = dataEnd + pad4(filesize);
    }
    return records;
};


/***/ }),

/***/ 4836:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N: () => (/* binding */ inspect),
/* harmony export */   a: () => (/* binding */ formatInspection)
/* harmony export */ });
/* harmony import */ var _image_source_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9128);
/* harmony import */ var _image_platform_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3847);
/* harmony import */ var _image_types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8107);
// `inspect IMAGE`: what a user needs before building — the platforms there are, and for the chosen one the
// config the generated /init will run and the layers that will be applied.



async function inspect(reference, platform, opts) {
    const source = await (0,_image_source_js__WEBPACK_IMPORTED_MODULE_0__/* .openSource */ .oD)(reference, opts);
    try {
        return await describe(source, platform);
    }
    finally {
        await source.close?.();
    }
}
async function describe(source, platform) {
    const platforms = await source.platforms();
    const image = await source.resolve((0,_image_platform_js__WEBPACK_IMPORTED_MODULE_1__/* .parsePlatform */ .Y8)(platform));
    return {
        reference: image.reference,
        platforms,
        platform: image.platform,
        digest: image.digest ?? null,
        config: image.config,
        layers: image.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
    };
}
const list = (v) => (v && v.length ? JSON.stringify(v) : '(none)');
function formatInspection(i) {
    const lines = [
        `Reference:  ${i.reference}`,
        `Platforms:  ${i.platforms.map(_image_types_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .B).join(', ') || '(none)'}`,
        `Platform:   ${(0,_image_types_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .B)(i.platform)}${i.digest ? `  ${i.digest}` : ''}`,
        `Entrypoint: ${list(i.config.Entrypoint)}`,
        `Cmd:        ${list(i.config.Cmd)}`,
        `WorkingDir: ${i.config.WorkingDir || '(none)'}`,
        `Env:`,
        ...(i.config.Env ?? []).map((e) => `  ${e}`),
        `Layers (oldest first):`,
        ...i.layers.map((l, n) => `  ${String(n + 1).padStart(2)}. ${l.digest}  ${l.size} bytes  ${l.mediaType}`),
    ];
    return lines.join('\n') + '\n';
}


/***/ }),

/***/ 6650:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ CollectingReporter)
/* harmony export */ });
// What the core reports while it works. The CLI renders it (live on a TTY, plain lines otherwise); the
// action maps it to @actions/core; tests collect it. The core never writes to stdout/stderr itself.
/** A reporter that drops everything except warnings, which it collects (tests and library callers). */
class CollectingReporter {
    warnings = [];
    infos = [];
    stage() { }
    progress() { }
    done() { }
    warn(message) {
        this.warnings.push(message);
    }
    info(message) {
        this.infos.push(message);
    }
}


/***/ }),

/***/ 3635:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BF: () => (/* binding */ writeOutputFile),
/* harmony export */   HT: () => (/* binding */ isStandardOutput),
/* harmony export */   IB: () => (/* binding */ SUFFIX_FOR),
/* harmony export */   Oh: () => (/* binding */ compressionFromName),
/* harmony export */   UU: () => (/* binding */ STDOUT),
/* harmony export */   c1: () => (/* binding */ openOutput),
/* harmony export */   yr: () => (/* binding */ checkOutput)
/* harmony export */ });
/* unused harmony export sameFile */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var _cleanup_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4704);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9473);
/* harmony import */ var _fs_atomic_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4579);
/* harmony import */ var _quote_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9692);
/* harmony import */ var _scratch_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(5608);
// Where an archive (or a report) goes, with the rules gzip, tar and crane users expect:
// - `-` is standard output (refused when it is a terminal, as gzip refuses), and so is any path that names
//   the file this process's stdout is (`/dev/stdout`, even when stdout is a socket, which no open() reaches);
// - a FIFO, a character or block device (`/dev/null`), or a process's descriptor (`/dev/stdout`,
//   `/dev/fd/N`, `/proc/self/fd/N`) is written straight into: no temporary file, no rename, so a special
//   file is never replaced with a regular one;
// - anything else is a regular file written atomically: a temporary file beside the real file, fsynced and
//   renamed onto it. A symlink is followed to the file it points to (the link stays a link); missing parent
//   directories are created; the permission bits of a file that is replaced are kept. On Windows, where
//   another program may hold the target or the new file open for a moment, the rename is retried for a
//   few seconds (fs-atomic.ts); a target with the read-only attribute cannot be replaced there (EPERM).
// A directory is an error. On abort (or any failure) the temporary file is removed: nothing is left beside
// the target, and the target itself is untouched. A signal removes it too (cleanup.ts), and if the process
// is killed outright, the next build in the same cache does (it is in the journal of scratch.ts).
//
// `checkOutput` runs every check that needs no data (before a build pulls anything); `openOutput` resolves
// the path again when writing starts, so a change made meanwhile (a FIFO replaced, a link retargeted) is
// honoured rather than overwritten.








/** The name that means standard output. */
const STDOUT = '-';
/** The suffix each compression's files end in, for messages that suggest a name. */
const SUFFIX_FOR = { gzip: '.gz', zstd: '.zst', none: '.cpio' };
/**
 * The compression an output name implies by its suffix, as tar -a and file managers read it: `.gz` (and
 * `.tgz`) gzip, `.zst` (and `.zstd`) zstd, `.cpio` none; case does not matter. Any other name (`initrd.img`,
 * `-`, `/dev/null`) implies nothing.
 */
function compressionFromName(name) {
    const m = /\.(gz|tgz|zst|zstd|cpio)$/i.exec((0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(name));
    if (m === null)
        return undefined;
    const suffix = m[0];
    const ext = m[1].toLowerCase();
    const compression = ext === 'gz' || ext === 'tgz' ? 'gzip' : ext === 'cpio' ? 'none' : 'zstd';
    return { compression, suffix };
}
/** Linux's own bound on symlinks followed in one lookup. */
const MAX_SYMLINKS = 40;
const defaultStdout = () => ({ stream: process.stdout, isTTY: process.stdout.isTTY === true });
const errnoOf = (e) => e?.code;
const describeErrno = (e) => {
    switch (errnoOf(e)) {
        case 'EACCES':
        case 'EPERM':
            return 'permission denied';
        case 'EROFS':
            return 'read-only file system';
        case 'ENOSPC':
            return 'no space left on the device';
        case 'EDQUOT':
            return 'disk quota exceeded';
        case 'EPIPE':
            return 'the reader went away (broken pipe)';
        case 'ELOOP':
            return 'too many levels of symbolic links';
        case 'ENXIO':
            return 'no such device (or a socket, which cannot be opened)';
        default:
            return e?.message ?? String(e);
    }
};
class Naming {
    label;
    given;
    constructor(label, given) {
        this.label = label;
        this.given = given;
    }
    get display() {
        return this.given === STDOUT ? 'standard output' : this.given;
    }
    /** One line naming the input and what went wrong. */
    error(why, cause, code = 'IO') {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .InitramfsError */ .sp(code, `${this.label} ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_6__/* .quote */ .hD)(this.given)}: ${why}`, cause === undefined ? undefined : { cause });
    }
    wrap(what, e) {
        return (0,_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .isInitramfsError */ ._e)(e) ? e : this.error(`${what}: ${describeErrno(e)}`, e);
    }
}
/** `/proc/PID/fd` (or a thread's): a name there is a process's open descriptor, not a file to replace. */
const isDescriptorDir = (realDir) => /^\/proc\/\d+(\/task\/\d+)?\/fd$/.test(realDir);
const isSpecial = (st) => st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice();
/** The nearest directory above `path` that exists; an error when something on the way is not a directory. */
async function existingAncestor(path, n) {
    for (let dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path);; dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(dir)) {
        let st;
        try {
            st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(dir);
        }
        catch (e) {
            if (errnoOf(e) === 'ENOENT' && dir !== (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(dir))
                continue;
            if (errnoOf(e) === 'ENOTDIR')
                continue; // a file further up: found when the loop reaches it
            throw n.wrap(`cannot look up ${dir}`, e);
        }
        if (!st.isDirectory())
            throw n.error(`${dir} is not a directory`);
        return dir;
    }
}
/**
 * Whether two stats are of the same file. Inode 0 identifies nothing: it is what Windows reports for
 * files without a file id (NUL; pipes and consoles too, in libuv versions older than the one that gives
 * them their handle's value), so `-o NUL` must not pass for standard output when that is a pipe (every
 * CI log). No POSIX file has inode 0.
 */
const sameFile = (a, b) => a.ino !== 0 && a.dev === b.dev && a.ino === b.ino;
/** True when `st` is the file descriptor 1 refers to. */
const isStdoutFile = (st) => {
    try {
        return sameFile(st, (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fstatSync)(1));
    }
    catch {
        return false; // no descriptor 1 at all
    }
};
async function resolveTarget(given, n) {
    if (given === STDOUT)
        return { kind: 'stdout' };
    let st;
    try {
        st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(given);
    }
    catch (e) {
        const code = errnoOf(e);
        if (code === 'ELOOP')
            throw n.error(describeErrno(e), e);
        if (code !== 'ENOENT' && code !== 'ENOTDIR')
            throw n.wrap('cannot look it up', e);
        // Nothing there yet, or a dangling link: the link walk below finds which.
    }
    if (st !== undefined && isStdoutFile(st))
        return { kind: 'stdout' };
    if (st?.isDirectory())
        throw n.error('is a directory; expected a file name, a FIFO or a character device');
    if (st !== undefined && isSpecial(st))
        return { kind: 'stream', path: given, append: false };
    if (st !== undefined && !st.isFile())
        throw n.error('is a socket or another file that cannot be written; expected a file, a FIFO or a character device');
    // A regular file or a new name: follow the links one by one to the file itself, so the rename replaces
    // the file and not the link. A hop through /proc/PID/fd is a descriptor: written into, never renamed over.
    let path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(given);
    for (let hop = 0; hop <= MAX_SYMLINKS; hop++) {
        let dir;
        try {
            dir = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.realpath)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path));
        }
        catch (e) {
            const code = errnoOf(e);
            if (code !== 'ENOENT' && code !== 'ENOTDIR')
                throw n.wrap(`cannot look up ${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path)}`, e);
            await existingAncestor(path, n);
            return { kind: 'file', path, missing: true };
        }
        if (isDescriptorDir(dir))
            return { kind: 'stream', path: given, append: true };
        const full = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, (0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path));
        let l;
        try {
            l = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(full);
        }
        catch (e) {
            if (errnoOf(e) === 'ENOENT')
                return { kind: 'file', path: full, missing: false };
            if (errnoOf(e) === 'ENOTDIR')
                await existingAncestor(full, n); // throws, naming the file in the way
            throw n.wrap(`cannot look up ${full}`, e);
        }
        if (l.isSymbolicLink()) {
            let target;
            try {
                target = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readlink)(full);
            }
            catch (e) {
                throw n.wrap(`cannot read the link ${full}`, e);
            }
            path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(dir, target);
            continue;
        }
        if (l.isFile())
            return { kind: 'file', path: full, mode: l.mode & 0o777, missing: false };
        if (l.isDirectory())
            throw n.error(`leads to the directory ${full}; expected a file name`);
        if (isSpecial(l))
            return { kind: 'stream', path: full, append: false };
        throw n.error(`leads to ${full}, a socket or another file that cannot be written`);
    }
    throw n.error(describeErrno({ code: 'ELOOP' }));
}
/**
 * Checks, without writing anything that stays, that `given` can be written as its kind says: standard
 * output is not a terminal; a stream can be opened for writing; a regular file's directory (or, when it is
 * missing, the nearest one that exists) accepts a new file. Errors are IO (USAGE for a terminal), one line
 * naming the path.
 */
async function checkOutput(given, opts = {}) {
    const n = new Naming(opts.label ?? 'output', given);
    const r = await resolveTarget(given, n);
    switch (r.kind) {
        case 'stdout':
            if (!opts.text && (opts.stdout ?? defaultStdout()).isTTY) {
                throw n.error('standard output is a terminal; redirect it to a file or a pipe (> initramfs.cpio.gz, | ...), or name a file', undefined, 'USAGE');
            }
            return;
        case 'stream':
            try {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.access)(r.path, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.W_OK);
            }
            catch (e) {
                throw n.wrap('cannot be written', e);
            }
            return;
        case 'file': {
            if (r.missing) {
                const dir = await existingAncestor(r.path, n);
                try {
                    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.access)(dir, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.W_OK | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.X_OK);
                }
                catch (e) {
                    throw n.wrap(`cannot create directories in ${dir}`, e);
                }
                return;
            }
            // Creating (and removing) the temporary file is the one check that sees everything: permissions,
            // read-only mounts, ACLs, a full inode table. Synchronously, so that no signal handler can run
            // while the probe exists.
            const probe = (0,_fs_atomic_js__WEBPACK_IMPORTED_MODULE_5__/* .tempNameFor */ .DU)(r.path);
            try {
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(probe, 'wx', 0o600));
            }
            catch (e) {
                throw n.wrap(`cannot create files in ${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(r.path)}`, e);
            }
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(probe, { force: true });
            return;
        }
    }
}
/** Opens `given` for writing (see the rules at the top of this file). */
async function openOutput(given, opts = {}) {
    const n = new Naming(opts.label ?? 'output', given);
    const r = await resolveTarget(given, n);
    switch (r.kind) {
        case 'stdout': {
            const out = opts.stdout ?? defaultStdout();
            if (out.isTTY && !opts.text)
                await checkOutput(given, opts);
            return new StreamTarget(n, out.stream);
        }
        case 'stream': {
            let fh;
            try {
                // No O_CREAT: if the special file went away, fail instead of creating a regular one in its place.
                // O_APPEND for a descriptor: `>> log` and `> file` both keep working as the shell opened them.
                // (Windows has no O_NOCTTY, nor terminals to take.)
                fh = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(r.path, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_WRONLY | (node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOCTTY ?? 0) | (r.append ? node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_APPEND : 0));
            }
            catch (e) {
                throw n.wrap('cannot open it for writing', e);
            }
            return new DescriptorTarget(n, fh);
        }
        case 'file': {
            if (r.missing) {
                try {
                    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(r.path), { recursive: true });
                }
                catch (e) {
                    throw n.wrap(`cannot create ${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(r.path)}`, e);
                }
            }
            const temp = (0,_fs_atomic_js__WEBPACK_IMPORTED_MODULE_5__/* .tempNameFor */ .DU)(r.path);
            (0,_scratch_js__WEBPACK_IMPORTED_MODULE_7__/* .recordOutsideTemp */ .Vm)(temp);
            const forget = (0,_cleanup_js__WEBPACK_IMPORTED_MODULE_3__/* .removeOnSignal */ .QF)(temp);
            let fh;
            try {
                // Created on the main thread, in the callback that registered it: created on the threadpool, it
                // could appear just after a signal handler removed what was registered, and stay.
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(temp, 'wx', 0o644));
            }
            catch (e) {
                forget();
                throw n.wrap(`cannot create files in ${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(r.path)}`, e);
            }
            try {
                // Opened again for the writes, which go through the threadpool; never through a link put there
                // (where O_NOFOLLOW exists: not on Windows).
                fh = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(temp, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDWR | (node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW ?? 0));
            }
            catch (e) {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(temp, { force: true }).catch(() => { });
                forget();
                throw n.wrap(`cannot open ${temp} for writing`, e);
            }
            return new FileTarget(n, fh, temp, r.path, r.mode, forget);
        }
    }
}
/** Writes `data` to `given` whole, by the same rules (used for reports). */
async function writeOutputFile(given, data, opts = {}) {
    const target = await openOutput(given, opts);
    try {
        await target.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
        await target.commit();
    }
    catch (e) {
        await target.abort();
        throw e;
    }
}
/**
 * True when writing to `given` writes to this process's standard output: `-`, or a path that names the
 * same file (`/dev/stdout`, a FIFO that stdout is). Then nothing else may be printed there.
 */
async function isStandardOutput(given) {
    if (given === STDOUT)
        return true;
    try {
        return isStdoutFile(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(given));
    }
    catch {
        return false;
    }
}
/** The temporary file beside a regular file: renamed onto it on commit, removed on abort. */
class FileTarget {
    #fh;
    naming;
    temp;
    path;
    mode;
    /** Unregisters the temporary file from the signal handlers' list, once it is renamed or removed. */
    #forget;
    constructor(naming, fh, temp, path, mode, forget) {
        this.naming = naming;
        this.#fh = fh;
        this.temp = temp;
        this.path = path;
        this.mode = mode;
        this.#forget = forget;
    }
    get display() {
        return this.naming.display;
    }
    async write(buf) {
        await writeAll(this.#fh, buf, this.naming);
    }
    async commit() {
        const fh = this.#fh;
        if (fh === undefined)
            throw new Error('output: commit after commit or abort');
        try {
            if (this.mode !== undefined)
                await fh.chmod(this.mode);
            await fh.sync();
            await fh.close();
            this.#fh = undefined;
            await (0,_fs_atomic_js__WEBPACK_IMPORTED_MODULE_5__/* .renameOnto */ .hB)(this.temp, this.path);
            this.#forget();
        }
        catch (e) {
            await this.abort();
            throw this.naming.wrap('cannot write', e);
        }
        // The rename is durable only once the directory is: best effort, as some file systems refuse.
        try {
            const dir = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(this.path), 'r');
            await dir.sync().finally(() => dir.close());
        }
        catch {
            // EINVAL on file systems without directory fsync; the file itself is complete either way.
        }
    }
    async abort() {
        await this.#fh?.close().catch(() => { });
        this.#fh = undefined;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(this.temp, { force: true }).catch(() => { });
        this.#forget();
    }
}
/** Writes all of `buf` to `fh` (a short write goes on where it stopped). */
async function writeAll(fh, buf, naming) {
    if (fh === undefined)
        throw new Error('output: write after commit or abort');
    try {
        for (let done = 0; done < buf.length;)
            done += (await fh.write(buf, done, buf.length - done)).bytesWritten;
    }
    catch (e) {
        throw naming.wrap('cannot write', e);
    }
}
/** A FIFO, device or descriptor, written in place. */
class DescriptorTarget {
    #fh;
    naming;
    constructor(naming, fh) {
        this.naming = naming;
        this.#fh = fh;
    }
    get display() {
        return this.naming.display;
    }
    async write(buf) {
        await writeAll(this.#fh, buf, this.naming);
    }
    async commit() {
        const fh = this.#fh;
        if (fh === undefined)
            throw new Error('output: commit after commit or abort');
        this.#fh = undefined;
        try {
            // Meaningful for block devices and files behind a descriptor; pipes and most devices refuse (EINVAL).
            await fh.sync().catch((e) => {
                if (!['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EROFS'].includes(errnoOf(e) ?? ''))
                    throw e;
            });
            await fh.close();
        }
        catch (e) {
            await fh.close().catch(() => { });
            throw this.naming.wrap('cannot write', e);
        }
    }
    async abort() {
        await this.#fh?.close().catch(() => { });
        this.#fh = undefined;
    }
}
/** Standard output (or a stream standing for it): each write waits until the stream took the bytes. */
class StreamTarget {
    #failure;
    naming;
    stream;
    constructor(naming, stream) {
        this.naming = naming;
        this.stream = stream;
        // A reader that goes away (EPIPE) is reported here as well as to the write's callback; without a
        // listener it would end the process with a stack trace instead of one error line.
        stream.on('error', (e) => {
            this.#failure ??= e;
        });
    }
    get display() {
        return this.naming.display;
    }
    write(buf) {
        if (this.#failure !== undefined)
            return Promise.reject(this.naming.wrap('cannot write', this.#failure));
        return new Promise((resolvePromise, reject) => {
            try {
                this.stream.write(buf, (e) => (e ? reject(this.naming.wrap('cannot write', e)) : resolvePromise()));
            }
            catch (e) {
                reject(this.naming.wrap('cannot write', e));
            }
        });
    }
    async commit() {
        if (this.#failure !== undefined)
            throw this.naming.wrap('cannot write', this.#failure);
    }
    async abort() { }
}


/***/ }),

/***/ 9692:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K7: () => (/* binding */ quoteBytes),
/* harmony export */   Mk: () => (/* binding */ escaped),
/* harmony export */   SP: () => (/* binding */ shown),
/* harmony export */   hD: () => (/* binding */ quote)
/* harmony export */ });
// User data (file names, tags, inputs, bytes read from a file) as it appears inside a one-line message:
// quoted, shortened, and never raw, so a binary file, a stray newline in a workflow input or a hostile
// name cannot split an error line or put a terminal escape sequence into the terminal or the Actions log.
// Long values are shortened in the middle: a path keeps how it starts and the file name it ends with.
/** Characters of user data kept in a message before its middle is replaced with "…". */
const DEFAULT_MAX = 160;
/** Control, format, unassigned and line/paragraph separator characters: never printed as they are. */
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;
/** The escapes everybody reads at a glance; other controls are `\xNN`. */
const NAMED_ESCAPES = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
function quoted(text, max, escape, wrap = true) {
    const one = (ch) => {
        const code = ch.codePointAt(0);
        if ((wrap && ch === "'") || ch === '\\')
            return `\\${ch}`;
        if (!escape(ch, code))
            return ch;
        const named = NAMED_ESCAPES[ch];
        if (named !== undefined)
            return named;
        if (code <= 0xff)
            return `\\x${code.toString(16).padStart(2, '0')}`;
        return `\\u{${code.toString(16)}}`;
    };
    const q = wrap ? "'" : '';
    const chars = [...text];
    if (chars.length <= max)
        return `${q}${chars.map(one).join('')}${q}`;
    const head = Math.ceil((max - 1) / 2);
    const tail = Math.floor((max - 1) / 2);
    return `${q}${chars.slice(0, head).map(one).join('')}…${chars.slice(chars.length - tail).map(one).join('')}${q}`;
}
/**
 * Text the user gave (a path, a tag), in single quotes as GNU tools quote it: letters of any script kept,
 * controls as `\n`, `\r`, `\t` or `\xNN`.
 */
const quote = (text, max = DEFAULT_MAX) => quoted(text, max, (ch) => UNPRINTABLE.test(ch));
/**
 * A byte string (one char per byte, as tar headers are read) in single quotes: printable ASCII kept, every
 * other byte as `\xNN`.
 */
const quoteBytes = (bytes, max = DEFAULT_MAX) => quoted(bytes, max, (_ch, code) => code < 0x20 || code >= 0x7f);
/**
 * Text that carries user data but is not one value (a reason that names a path inside a phrase), escaped
 * and shortened as quote() does, without the quotes.
 */
const escaped = (text, max = 2 * DEFAULT_MAX) => quoted(text, max, (ch) => UNPRINTABLE.test(ch), false);
/** Text shown as it is when every character is printable (a reference to copy), else quote(text). */
const shown = (text, max = 256) => text.length <= max && ![...text].some((ch) => UNPRINTABLE.test(ch)) ? text : quote(text, max);


/***/ }),

/***/ 8644:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ limitsFromEnv),
/* harmony export */   IZ: () => (/* binding */ describeDeadline),
/* harmony export */   OZ: () => (/* binding */ LIMIT_VARIABLES),
/* harmony export */   _5: () => (/* binding */ deadlineIn),
/* harmony export */   dR: () => (/* binding */ DEFAULT_LIMITS)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9473);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3110);
/* harmony import */ var _quote_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9692);
// The bounds every registry conversation is held to, so that a registry or a link that stops delivering
// ends the build in bounded time instead of hanging it: how long to wait for an answer or the next byte,
// the slowest transfer worth waiting for, the longest Retry-After worth honouring, and the build's own
// deadline (--timeout). The defaults are chosen for a CI runner on a slow link: a healthy transfer at a
// few KB/s never trips them; a dead one fails in about a minute. Each can be changed through the
// environment (named in the message of the failure it causes), which is also how tests make them short.



const DEFAULT_LIMITS = {
    idleMs: 30_000,
    lowSpeedBytesPerSecond: 1024,
    lowSpeedWindowMs: 30_000,
    maxRetryWaitMs: 60_000,
};
/** The environment variable that sets each bound (git's GIT_HTTP_LOW_SPEED_LIMIT/_TIME are the model). */
const LIMIT_VARIABLES = {
    idleMs: 'INITRAMFS_ACTION_IDLE_TIMEOUT',
    lowSpeedBytesPerSecond: 'INITRAMFS_ACTION_LOW_SPEED_LIMIT',
    lowSpeedWindowMs: 'INITRAMFS_ACTION_LOW_SPEED_TIME',
    maxRetryWaitMs: 'INITRAMFS_ACTION_MAX_RETRY_WAIT',
};
/** A deadline `timeoutMs` from now. */
const deadlineIn = (timeoutMs) => ({ at: performance.now() + timeoutMs, timeoutMs });
/** `the build's timeout of 10m`, as every deadline message starts. */
const describeDeadline = (d) => `the build's timeout of ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a3)(d.timeoutMs)}`;
/** The bounds the environment sets (unset or empty variables keep the defaults); USAGE naming a bad one. */
function limitsFromEnv(env) {
    const out = {};
    for (const key of Object.keys(LIMIT_VARIABLES)) {
        const name = LIMIT_VARIABLES[key];
        const text = env[name]?.trim();
        if (text === undefined || text === '')
            continue;
        if (key === 'lowSpeedBytesPerSecond') {
            if (!/^\d{1,12}$/.test(text)) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InitramfsError */ .sp('USAGE', `${name}=${(0,_quote_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(text)}: expected bytes per second, a whole number (0 turns the check off)`);
            }
            out[key] = Number(text);
            continue;
        }
        const ms = (0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDuration */ .E9)(text);
        if (ms === undefined) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InitramfsError */ .sp('USAGE', `${name}=${(0,_quote_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(text)}: expected a duration such as 30s, 2m or 500ms (at most 7d)`);
        }
        out[key] = ms;
    }
    return out;
}


/***/ }),

/***/ 2200:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ formatReport)
/* harmony export */ });
/** The report as JSON text, with a stable key order (the object literal order above). */
const formatReport = (r) => JSON.stringify(r, null, 2) + '\n';


/***/ }),

/***/ 9985:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  c: () => (/* binding */ applyLayer)
});

// EXTERNAL MODULE: ./build/quote.js
var quote = __webpack_require__(9692);
// EXTERNAL MODULE: ./build/rootfs/node.js
var node = __webpack_require__(4984);
// EXTERNAL MODULE: ./build/rootfs/path.js
var path = __webpack_require__(6195);
// EXTERNAL MODULE: ./build/rootfs/tree.js
var tree = __webpack_require__(8244);
;// CONCATENATED MODULE: ./build/rootfs/whiteout.js
// OCI whiteouts (image-spec layer.md): what a layer entry's base name says about lower layers. Pure.
// `.wh..wh..opq` makes its directory opaque; `.wh.NAME` deletes NAME; any other `.wh..wh.*` name is
// reserved by the spec and ignored. None of them is ever a file in the rootfs.
const WHITEOUT_PREFIX = '.wh.';
const RESERVED_PREFIX = '.wh..wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
/** Classify an entry's base name (byte string). */
function classifyWhiteout(base) {
    // The opaque marker also starts with the generic prefix, so it must be recognised first: testing the
    // prefix first turns `.wh..wh..opq` into "delete `.wh..opq`" and the directory is never made opaque.
    if (base === OPAQUE_MARKER)
        return { kind: 'opaque' };
    if (base.startsWith(RESERVED_PREFIX))
        return { kind: 'ignored' };
    if (!base.startsWith(WHITEOUT_PREFIX))
        return { kind: 'none' };
    const name = base.slice(WHITEOUT_PREFIX.length);
    // `.wh.` and `.wh..` would name the directory itself: no layer tool writes them.
    if (name === '' || name === '.')
        return { kind: 'ignored' };
    return { kind: 'delete', name };
}

;// CONCATENATED MODULE: ./build/rootfs/apply-layer.js





/**
 * Apply one layer (its entries in tar order) to `root`, mutating it.
 *
 * Whiteouts hide only LOWER layers, wherever they stand in the tar (layer.md: "files that are present in
 * the same layer as a whiteout file can only be hidden by whiteout files in subsequent layers"), so all of
 * the layer's whiteouts are applied first, to the tree as it was before the layer, then every other entry
 * in tar order.
 */
function applyLayer(root, entries, ctx) {
    // Three passes that normalise each name again rather than keep its components: a layer of a million
    // entries would otherwise hold a million arrays of strings while it is applied.
    for (const entry of entries) {
        const p = (0,path/* normalisePath */.q)(entry.name);
        if (!p.ok)
            drop(ctx, entry, p.reason);
    }
    const whiteout = new Uint8Array(entries.length);
    entries.forEach((entry, i) => {
        const p = (0,path/* normalisePath */.q)(entry.name);
        if (p.ok && applyWhiteout(root, { entry, components: p.components }, ctx))
            whiteout[i] = 1;
    });
    entries.forEach((entry, i) => {
        const p = (0,path/* normalisePath */.q)(entry.name);
        if (p.ok && whiteout[i] === 0)
            applyEntry(root, { entry, components: p.components }, ctx);
    });
    reportXattrs(entries, ctx);
}
/** Examples named in the xattr warning; the count covers the rest. */
const XATTR_EXAMPLES = 3;
/** Attribute names listed in the xattr warning; the count covers the rest. */
const XATTR_NAMES = 8;
/**
 * newc has no field for extended attributes, so file capabilities (`security.capability`, e.g. on ping)
 * and SELinux labels are lost; one warning per layer says which and where, so the user can grant them
 * from /init (setcap) or choose another image.
 */
function reportXattrs(entries, ctx) {
    const carrying = entries.filter((e) => e.xattrs !== undefined);
    if (carrying.length === 0)
        return;
    const all = [...new Set(carrying.flatMap((e) => e.xattrs))].sort();
    const listed = (list) => {
        const shownNames = list.slice(0, XATTR_NAMES).map((n) => (0,quote/* escaped */.Mk)((0,node/* fromBytePath */.cj)(n), 64));
        return list.length > XATTR_NAMES ? `${shownNames.join(', ')} and ${list.length - XATTR_NAMES} more` : shownNames.join(', ');
    };
    const examples = carrying.slice(0, XATTR_EXAMPLES).map((e) => `${apply_layer_quote(e.name)} (${listed(e.xattrs)})`);
    const more = carrying.length > XATTR_EXAMPLES ? ` and ${carrying.length - XATTR_EXAMPLES} more` : '';
    ctx.reporter.warn(`layer ${ctx.layer}: ${carrying.length} entr${carrying.length === 1 ? 'y carries' : 'ies carry'} extended attributes ` +
        `(${listed(all)}) that a newc archive cannot hold; they are left out: ${examples.join(', ')}${more}`);
}
/** Apply `n` if it is a whiteout (of any kind); false when it is an ordinary entry. */
function applyWhiteout(root, { entry, components }, ctx) {
    const base = components[components.length - 1];
    if (base === undefined)
        return false;
    const w = classifyWhiteout(base);
    if (w.kind === 'none')
        return false;
    if (w.kind === 'ignored')
        return true;
    if (w.kind === 'delete' && w.name === '..') {
        drop(ctx, entry, 'whiteout of ".."');
        return true;
    }
    const dir = (0,tree/* resolveDir */.m$)(root, components.slice(0, -1), false);
    if (!dir.ok) {
        // Whiting out something no lower layer has is normal; a path that cannot be a directory is not.
        if (!dir.missing)
            drop(ctx, entry, said(dir.reason));
        return true;
    }
    if (w.kind === 'opaque')
        dir.node.children.clear();
    else
        dir.node.children.delete(w.name);
    return true;
}
function applyEntry(root, { entry, components }, ctx) {
    const last = components[components.length - 1];
    if (last === undefined) {
        if (entry.type !== 'dir')
            drop(ctx, entry, `the root can only be a directory, not a ${entry.type}`);
        else
            root.inode = inodeOf(entry);
        return;
    }
    const name = (0,node/* ownName */.qU)(last);
    // Resolved before the new name's parents are made, so a dropped link leaves no directories behind.
    let linked;
    if (entry.type === 'hardlink') {
        linked = resolveHardlinkTarget(root, entry, ctx);
        if (linked === undefined)
            return;
    }
    const parent = (0,tree/* resolveDir */.m$)(root, components.slice(0, -1), true);
    if (!parent.ok) {
        drop(ctx, entry, said(parent.reason));
        return;
    }
    const children = parent.node.children;
    const existing = children.get(name);
    if (linked !== undefined) {
        // The same Inode object: a true hardlink. Overwriting either name later puts a new Node there and
        // never touches this inode, so the other name keeps its content.
        children.set(name, { inode: linked.inode });
    }
    else if (entry.type === 'dir') {
        // Directory over directory merges: new metadata, lower children kept (dir inodes are never shared).
        if (existing?.inode.type === 'dir')
            existing.inode = inodeOf(entry);
        else
            children.set(name, { inode: inodeOf(entry), children: new Map() });
    }
    else {
        // Any other type replaces whatever was there, subtree included.
        children.set(name, { inode: inodeOf(entry) });
    }
}
function resolveHardlinkTarget(root, entry, ctx) {
    const target = (0,path/* normalisePath */.q)(entry.linkname ?? '');
    if (!target.ok) {
        drop(ctx, entry, `hardlink target ${apply_layer_quote(entry.linkname ?? '')}: ${target.reason}`);
        return undefined;
    }
    // The last component is not followed: link(2) without AT_SYMLINK_FOLLOW, as tar does.
    const r = (0,tree/* walk */.GG)(root, target.components, { followLast: false, create: false });
    if (!r.ok) {
        drop(ctx, entry, `hardlink target ${apply_layer_quote((0,path/* joinPath */.u)(target.components))}: ${said(r.reason)}`);
        return undefined;
    }
    if (r.node.inode.type === 'dir') {
        drop(ctx, entry, `hardlink target ${apply_layer_quote((0,path/* joinPath */.u)(r.path))} is a directory`);
        return undefined;
    }
    return r.node;
}
/**
 * One object literal per kind, with every property the kind has: a property added after the literal
 * takes a second allocation (some 40 bytes for each of a million files).
 */
function inodeOf(e) {
    const { uid, gid, mtime } = e;
    const mode = e.mode & 0o7777;
    switch (e.type) {
        case 'file':
            return { type: 'file', mode, uid, gid, mtime, size: e.size, data: e.data };
        case 'hardlink':
            return { type: 'file', mode, uid, gid, mtime, size: 0 };
        case 'symlink':
            return { type: 'symlink', mode, uid, gid, mtime, size: 0, target: e.linkname ?? '' };
        case 'char':
        case 'block':
            return { type: e.type, mode, uid, gid, mtime, size: 0, devMajor: e.devMajor ?? 0, devMinor: e.devMinor ?? 0 };
        case 'dir':
        case 'fifo':
            return { type: e.type, mode, uid, gid, mtime, size: 0 };
    }
}
/** A name or path from the image (byte string), quoted and shortened for a message. */
const apply_layer_quote = (bytePath) => (0,quote/* quote */.hD)((0,node/* fromBytePath */.cj)(bytePath));
/** A reason from the tree (it names paths of the image inside a phrase), escaped and shortened. */
const said = (reason) => (0,quote/* escaped */.Mk)((0,node/* fromBytePath */.cj)(reason));
/** Warns that `entry` is left out; `reason` must already show image data quoted (quote, said). */
function drop(ctx, entry, reason) {
    ctx.reporter.warn(`layer ${ctx.layer}: dropped entry ${apply_layer_quote(entry.name)}: ${reason}`);
}


/***/ }),

/***/ 8320:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   w: () => (/* binding */ readImageTree)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var _image_read_layer_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9206);
/* harmony import */ var _image_spool_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9437);
/* harmony import */ var _apply_layer_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9985);
/* harmony import */ var _node_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4984);
// A whole image read into a rootfs model of its own, for the images the build takes one file from (the
// init-tools busybox, a boot test's kernel). Their layers are a few MiB: read one at a time, each applied
// as soon as it is read. The spools hold the bytes the model points at, so they live until dispose().





/** Reads `layers` (oldest first) into a fresh model, spools under `dir`; on failure nothing is left open. */
async function readImageTree(layers, dir, reporter) {
    const spools = [];
    const dispose = () => {
        for (const s of spools)
            s.dispose();
    };
    try {
        const root = (0,_node_js__WEBPACK_IMPORTED_MODULE_4__/* .newDir */ .s9)();
        for (const [i, layer] of layers.entries()) {
            const spool = new _image_spool_js__WEBPACK_IMPORTED_MODULE_2__/* .SpoolFile */ .e((0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(dir, `layer-${i}.spool`), layer.digest);
            spools.push(spool);
            const entries = await (0,_image_read_layer_js__WEBPACK_IMPORTED_MODULE_1__/* .readLayer */ .w)(layer, spool, reporter);
            spool.flush();
            (0,_apply_layer_js__WEBPACK_IMPORTED_MODULE_3__/* .applyLayer */ .c)(root, entries, { layer: layer.digest, reporter });
        }
        return { root, dispose };
    }
    catch (e) {
        dispose();
        throw e;
    }
}


/***/ }),

/***/ 4984:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cj: () => (/* binding */ fromBytePath),
/* harmony export */   qU: () => (/* binding */ ownName),
/* harmony export */   s9: () => (/* binding */ newDir),
/* harmony export */   xe: () => (/* binding */ toBytePath)
/* harmony export */ });
const newDir = (mode = 0o755, mtime = 0) => ({
    inode: { type: 'dir', mode, uid: 0, gid: 0, mtime, size: 0 },
    children: new Map(),
});
/** Names this long or longer split out of a longer string are V8 slices that keep the whole string alive. */
const SLICE_MIN = 13;
/**
 * A name to store in the tree, as a string of its own: a component split out of a tar entry's name is
 * otherwise a slice that keeps the entry's whole path alive for as long as the tree lives. A byte
 * string, so its latin1 bytes are the name.
 */
const ownName = (name) => (name.length < SLICE_MIN ? name : Buffer.from(name, 'latin1').toString('latin1'));
/** User-facing (UTF-8) path → the byte-string form the model uses. */
const toBytePath = (p) => Buffer.from(p, 'utf8').toString('latin1');
/** Model byte string → UTF-8 for messages (invalid sequences shown as U+FFFD). */
const fromBytePath = (p) => Buffer.from(p, 'latin1').toString('utf8');


/***/ }),

/***/ 3682:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Iq: () => (/* binding */ parseInjectSpec),
/* harmony export */   Qi: () => (/* binding */ setGeneratedFile),
/* harmony export */   Zg: () => (/* binding */ setInit),
/* harmony export */   bm: () => (/* binding */ injectPath),
/* harmony export */   tm: () => (/* binding */ ensureBootEntries)
/* harmony export */ });
/* unused harmony export guestLinkTarget */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9473);
/* harmony import */ var _host_path_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5670);
/* harmony import */ var _quote_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9692);
/* harmony import */ var _node_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4984);
/* harmony import */ var _path_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6195);
/* harmony import */ var _tree_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8244);
// What goes on top of the image's layers, in the model: injected host files and directories, /init, and
// the device nodes and mount points a kernel and init need. Host files are only stat'ed and listed here;
// their bytes are read when the archive is written. Owners are 0:0 and mtimes 0: host metadata would make
// the archive depend on the machine it was built on.
//
// Replacement rule: a destination is resolved like a layer entry (parent symlinks followed inside the root,
// missing parents created 0755), and whatever is AT the destination is replaced, never followed: a
// destination that is a symlink to a directory becomes the injected file (or directory). A host directory
// injected onto an existing directory merges into it, as Dockerfile COPY does (existing directories keep
// their metadata, files with the same name are replaced).








const DEFAULT_FILE_MODE = 0o755;
const SPEC_FORM = 'SRC:DEST[:MODE] with DEST absolute and MODE octal, e.g. ./agent:/usr/bin/agent:0755';
/**
 * Parse `SRC:DEST[:MODE]`, strictly. DEST is absolute and holds no ":", so it begins at the LAST ":/" of
 * the spec: SRC may contain ":" freely (`dir:x/f`, a Windows runner path such as `C:\agent.exe`,
 * `C:/tools/agent` or `\\server\share\agent`), and everything after DEST's first ":" is MODE, which must
 * be octal (`:rwx` is an error, never part of the name). On Windows the colon of a drive (`C:/agent` with
 * no DEST) belongs to SRC: it is not read as SRC `C` and DEST `/agent`.
 */
function parseInjectSpec(spec, platform = process.platform) {
    const invalid = (why) => new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid inject ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(spec)}: ${why}. Expected ${SPEC_FORM}.`);
    const split = spec.lastIndexOf(':/');
    if (split < 0)
        throw invalid('no absolute DEST after a ":"');
    if (split === 0)
        throw invalid('SRC is empty');
    if (split < (0,_host_path_js__WEBPACK_IMPORTED_MODULE_3__/* .separatorsFrom */ .LZ)(spec, platform))
        throw invalid(`no absolute DEST after SRC (the ":" of the drive ${spec.slice(0, 2)} is part of SRC)`);
    const source = spec.slice(0, split);
    const rest = spec.slice(split + 1);
    const colon = rest.indexOf(':');
    const dest = colon < 0 ? rest : rest.slice(0, colon);
    let mode;
    if (colon >= 0) {
        const modeText = rest.slice(colon + 1);
        if (!/^[0-7]+$/.test(modeText)) {
            throw invalid(`MODE ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(modeText)} is not an octal mode such as 0644 (DEST cannot contain ":")`);
        }
        mode = parseInt(modeText, 8);
        if (mode > 0o7777)
            throw invalid(`MODE ${modeText} is not a permission mode (at most 7777)`);
    }
    checkDest(dest, `inject ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(spec)}`);
    return mode === undefined ? { source, dest } : { source, dest, mode };
}
/** Inject a host file or directory (recursively, in sorted order) at `spec.dest`. */
async function injectPath(root, spec) {
    const what = `--inject ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(`${spec.source}:${spec.dest}`)}`;
    checkDest(spec.dest, what);
    const fileMode = (spec.mode ?? DEFAULT_FILE_MODE) & 0o7777;
    const st = await statSource(spec.source, what);
    if (st.isDirectory()) {
        const { parent, name } = destParent(root, spec.dest, what);
        const existing = parent.children.get(name);
        const dir = existing?.inode.type === 'dir' ? existing : (0,_node_js__WEBPACK_IMPORTED_MODULE_5__/* .newDir */ .s9)();
        parent.children.set(name, dir);
        await copyDir(spec.source, dir, fileMode, what);
    }
    else if (st.isFile()) {
        await checkReadable(spec.source, what);
        const { parent, name } = destParent(root, spec.dest, what);
        parent.children.set(name, hostFile(spec.source, st.size, fileMode));
    }
    else {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('INJECT_SOURCE', `${what}: ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(spec.source)} is not a regular file or a directory`);
    }
}
/** Make the host file `hostPath` the image's /init (mode 0755), replacing whatever /init was. */
async function setInit(root, hostPath) {
    const what = `--init ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(hostPath)}`;
    const st = await statSource(hostPath, what);
    // The kernel execs /init; a directory or device there cannot boot.
    if (!st.isFile())
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('INJECT_SOURCE', `${what}: ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(hostPath)} is not a regular file`);
    await checkReadable(hostPath, what);
    const { parent, name } = destParent(root, '/init', what);
    parent.children.set(name, hostFile(hostPath, st.size, 0o755));
}
/** Put a file with in-memory content (e.g. the generated /init) at `dest`, replacing whatever was there. */
function setGeneratedFile(root, dest, bytes, mode) {
    const { parent, name } = destParent(root, dest, dest);
    parent.children.set(name, {
        inode: { type: 'file', mode: mode & 0o7777, uid: 0, gid: 0, mtime: 0, size: bytes.length, data: { kind: 'bytes', bytes } },
    });
}
/**
 * Make sure the kernel and init find what they need: /dev/console (the kernel opens it for init's stdio
 * before anything is mounted), /dev/null, /dev/tty (programs that open their controlling terminal before
 * devtmpfs is mounted, and user inits that never mount it), and the /dev, /proc and /sys mount points. An existing entry of
 * the right type (and device numbers) keeps its metadata; anything else at those names is replaced.
 */
function ensureBootEntries(root) {
    const dev = ensureDir(root, 'dev', 0o755);
    ensureCharDevice(dev, 'console', 5, 1, 0o600);
    ensureCharDevice(dev, 'null', 1, 3, 0o666);
    ensureCharDevice(dev, 'tty', 5, 0, 0o666);
    ensureDir(root, 'proc', 0o555);
    ensureDir(root, 'sys', 0o555);
}
function ensureDir(parent, name, mode) {
    const existing = parent.children.get(name);
    if (existing?.inode.type === 'dir')
        return existing;
    const dir = (0,_node_js__WEBPACK_IMPORTED_MODULE_5__/* .newDir */ .s9)(mode);
    parent.children.set(name, dir);
    return dir;
}
function ensureCharDevice(dir, name, major, minor, mode) {
    const i = dir.children.get(name)?.inode;
    if (i?.type === 'char' && i.devMajor === major && i.devMinor === minor)
        return;
    dir.children.set(name, {
        inode: { type: 'char', mode, uid: 0, gid: 0, mtime: 0, size: 0, devMajor: major, devMinor: minor },
    });
}
function hostFile(path, size, mode) {
    return { inode: { type: 'file', mode, uid: 0, gid: 0, mtime: 0, size, data: { kind: 'host', path } } };
}
/** A host directory's names, sorted by byte order so the walk never depends on the host. */
async function listDir(hostDir, what) {
    let names;
    try {
        names = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(hostDir);
    }
    catch (e) {
        throw sourceError(what, hostDir, e);
    }
    // Byte strings compare by byte under `<`, unlike UTF-16 strings (astral characters).
    return names.map((n) => ({ host: n, bytes: (0,_node_js__WEBPACK_IMPORTED_MODULE_5__/* .toBytePath */ .xe)(n) })).sort((a, b) => (a.bytes < b.bytes ? -1 : a.bytes > b.bytes ? 1 : 0));
}
/**
 * Copy a host directory's entries into `dir`, depth-first in sorted order. An explicit stack of the
 * directories being copied rather than recursion: no depth of host tree exhausts the call stack (the
 * host's own PATH_MAX ends a deeper one with ENAMETOOLONG, an INJECT_SOURCE error).
 */
async function copyDir(hostDir, dir, fileMode, what) {
    const stack = [{ hostDir, dir, names: await listDir(hostDir, what), next: 0 }];
    while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.next === top.names.length) {
            stack.pop();
            continue;
        }
        const { host, bytes } = top.names[top.next++];
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(top.hostDir, host);
        let st;
        try {
            st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)(path);
        }
        catch (e) {
            throw sourceError(what, path, e);
        }
        if (st.isDirectory()) {
            const existing = top.dir.children.get(bytes);
            const sub = existing?.inode.type === 'dir' ? existing : (0,_node_js__WEBPACK_IMPORTED_MODULE_5__/* .newDir */ .s9)();
            top.dir.children.set(bytes, sub);
            stack.push({ hostDir: path, dir: sub, names: await listDir(path, what), next: 0 });
        }
        else if (st.isFile()) {
            await checkReadable(path, what);
            top.dir.children.set(bytes, hostFile(path, st.size, fileMode));
        }
        else if (st.isSymbolicLink()) {
            let target;
            try {
                target = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readlink)(path, { encoding: 'buffer' });
            }
            catch (e) {
                throw sourceError(what, path, e);
            }
            const guest = guestLinkTarget(target.toString('latin1'));
            if (guest === undefined) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('INJECT_SOURCE', `${what}: ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(path)} is a link to ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(target.toString('utf8'))}, a Windows path that means nothing in the image; ` +
                    'make it a relative link, or put the file itself there');
            }
            top.dir.children.set(bytes, {
                inode: { type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, size: 0, target: guest },
            });
        }
        else {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('INJECT_SOURCE', `${what}: ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(path)} is not a regular file, directory or symlink`);
        }
    }
}
/**
 * The target an injected symlink gets in the image, from its target on the host (a byte string), or
 * undefined when it has none. On POSIX hosts the target is kept byte for byte. Windows links hold
 * backslashes (Git for Windows checks a repository's `../lib/x` out as `..\lib\x`), which in the image
 * would be one name with backslashes in it: they become '/', and a rooted `\usr\lib\x` is `/usr/lib/x`.
 * A target on a drive or a share (`C:\...`, `\\server\...`; a junction always points to one) names the
 * host's disk, not anything in the image: none.
 */
function guestLinkTarget(target, platform = process.platform) {
    if (platform !== 'win32')
        return target;
    if (/^[A-Za-z]:/.test(target) || /^[\\/]{2}/.test(target))
        return undefined;
    return target.replaceAll('\\', '/');
}
function checkDest(dest, what) {
    if (!dest.startsWith('/')) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid ${what}: destination ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(dest)} must be an absolute path in the image. Expected ${SPEC_FORM}.`);
    }
    const p = (0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .normalisePath */ .q)((0,_node_js__WEBPACK_IMPORTED_MODULE_5__/* .toBytePath */ .xe)(dest));
    if (!p.ok)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid ${what}: destination ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(dest)}: ${p.reason}.`);
    if (p.components.length === 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid ${what}: destination ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(dest)} is the root; name a path under it.`);
    }
}
/** The directory that will hold `dest` (parents created, symlinks followed inside the root) and the name. */
function destParent(root, dest, what) {
    const p = (0,_path_js__WEBPACK_IMPORTED_MODULE_6__/* .normalisePath */ .q)((0,_node_js__WEBPACK_IMPORTED_MODULE_5__/* .toBytePath */ .xe)(dest));
    const name = p.ok ? p.components[p.components.length - 1] : undefined;
    if (!p.ok || name === undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid ${what}: destination ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(dest)} is not a path under the root.`);
    }
    const parent = (0,_tree_js__WEBPACK_IMPORTED_MODULE_7__/* .resolveDir */ .m$)(root, p.components.slice(0, -1), true);
    if (!parent.ok)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid ${what}: destination ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(dest)}: ${parent.reason} in the image.`);
    return { parent: parent.node, name };
}
async function statSource(path, what) {
    try {
        return await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(path);
    }
    catch (e) {
        throw sourceError(what, path, e);
    }
}
async function checkReadable(path, what) {
    try {
        await (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.open)(path, 'r')).close();
    }
    catch (e) {
        throw sourceError(what, path, e);
    }
}
function sourceError(what, path, cause) {
    const code = cause.code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code ?? String(cause)})`;
    return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('INJECT_SOURCE', `${what}: ${(0,_quote_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(path)} ${why}`, { cause });
}


/***/ }),

/***/ 6195:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ normalisePath),
/* harmony export */   u: () => (/* binding */ joinPath)
/* harmony export */ });
// Path policy for names that come from layers, link targets and options: a raw byte-string path becomes a
// list of components relative to the rootfs root, or is refused. Metadata only: nothing here (or anywhere
// in rootfs/) touches the host filesystem because of what an image says.
//
// The policy, as a user sees it:
// - Names are normalised: leading "/" and "./" are stripped (absolute names are CONFINED to the root, as
//   tar does), repeated slashes and "." components are removed, a trailing "/" is removed. An empty name or
//   "." is the root itself (a root directory entry updates the root's metadata).
// - A name with a ".." component is DROPPED with a warning naming the layer and the entry: such names are
//   hostile, are never emitted and never resolved. The same holds for hardlink targets and whiteouts.
// - When a PARENT component of an entry's path is a symlink in the tree, it is resolved INSIDE the root,
//   like a chroot (umoci's securejoin, Docker's chrooted extraction): absolute targets start at the root,
//   ".." stops at the root, at most 40 symlinks are followed (more: the entry is dropped with a warning,
//   "too many levels of symbolic links"). So `evil -> /etc` + `evil/passwd` writes the model's
//   /etc/passwd and `up -> ../../../..` + `up/x` writes /x. The final component is never followed: an
//   entry replaces a symlink at its own name. A parent component that is a non-directory (file, device)
//   drops the entry with a warning, where tar would fail with ENOTDIR.
// - Hardlink targets are normalised and resolved the same way (a target that is missing or a directory
//   drops the link with a warning).
/**
 * Normalise a raw (byte-string) name from a tar entry, link target or option into components under the
 * root. Refuses names with a ".." component and names containing NUL.
 */
function normalisePath(raw) {
    // A NUL cannot be in a real path; a name carrying one was crafted to mean two things to two readers.
    if (raw.includes('\0'))
        return { ok: false, reason: 'name contains a NUL byte' };
    const components = [];
    for (const part of raw.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part === '..')
            return { ok: false, reason: 'name has a ".." component' };
        components.push(part);
    }
    return { ok: true, components };
}
/** Components → the rootfs-absolute form used in messages and globs ("/" for the root). */
const joinPath = (components) => '/' + components.join('/');


/***/ }),

/***/ 2333:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CZ: () => (/* binding */ readNodeRange),
/* harmony export */   WM: () => (/* binding */ readNodeBytes)
/* harmony export */ });
/* unused harmony export READ_NODE_LIMIT */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9473);
/* harmony import */ var _quote_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9692);
// A file of the rootfs model read, wherever its bytes are (a layer's spool, a host file, generated bytes):
// for the few files the tool itself must read, such as /etc/passwd for the image's User, the init-tools
// busybox or a boot test's kernel. Whole reads are bounded, because an image decides how large its files are.



/** Larger files are refused: nothing the build reads this way has a reason to be this large. */
const READ_NODE_LIMIT = 4 * 1024 * 1024;
/** Reads `length` bytes of the regular file `node` from `pos` into the start of `target`. */
function readNodeRange(node, pos, target, length) {
    const data = node.inode.data;
    if (length === 0 || data === undefined)
        return;
    switch (data.kind) {
        case 'spool':
            data.spool.readInto(target, 0, data.offset + pos, length);
            return;
        case 'bytes':
            target.set(data.bytes.subarray(pos, pos + length));
            return;
        case 'host': {
            const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(data.path, 'r');
            try {
                for (let done = 0; done < length;) {
                    const n = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, target, done, length - done, pos + done);
                    if (n === 0)
                        throw new Error(`${data.path}: short read at ${pos + done}`);
                    done += n;
                }
            }
            finally {
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
            }
        }
    }
}
/**
 * The bytes of the regular file `node` (named `name` in messages); throws BAD_IMAGE beyond `limit`
 * (READ_NODE_LIMIT unless the caller knows better).
 */
function readNodeBytes(node, name = 'a file', limit = READ_NODE_LIMIT) {
    const { inode } = node;
    if (inode.type !== 'file' || inode.data === undefined) {
        if (inode.type === 'file' && inode.size === 0)
            return new Uint8Array(0);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InitramfsError */ .sp('BAD_IMAGE', `${(0,_quote_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(name)} is not a regular file`);
    }
    if (inode.size > limit) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InitramfsError */ .sp('BAD_IMAGE', `${(0,_quote_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(name)} in the image is ${inode.size} bytes; at most ${limit} are read`);
    }
    const data = inode.data;
    if (data.kind === 'bytes')
        return data.bytes;
    // Checked again here: a host file may have changed since it was stat'ed.
    if (data.kind === 'host' && (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(data.path).size !== inode.size) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InitramfsError */ .sp('BAD_IMAGE', `${(0,_quote_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(data.path)} changed size while the build ran`);
    }
    const out = Buffer.alloc(inode.size);
    readNodeRange(node, 0, out, inode.size);
    return out;
}


/***/ }),

/***/ 8244:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $I: () => (/* binding */ lookup),
/* harmony export */   GG: () => (/* binding */ walk),
/* harmony export */   m$: () => (/* binding */ resolveDir)
/* harmony export */ });
/* unused harmony exports MAX_SYMLINK_HOPS, hasFile */
/* harmony import */ var _node_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4984);
/* harmony import */ var _path_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6195);
// Finding names in the rootfs model the way a chrooted process would: symlinks are followed INSIDE the
// root (absolute targets start at the root, ".." stops at it, at most 40 hops), never on the host.
// See path.ts for the policy this implements.


/** Linux's limit (MAXSYMLINKS): past it, resolution fails with "too many levels of symbolic links". */
const MAX_SYMLINK_HOPS = 40;
/**
 * Walk `components` from the root. Every component but the last must end up a directory (symlinks are
 * expanded in place, chroot-style); the last is returned whatever its type.
 */
function walk(root, components, opts) {
    const created = [];
    let r = walkInner(root, components, opts, created);
    if (r.ok && opts.dir === true && r.node.inode.type !== 'dir') {
        r = { ok: false, reason: `${(0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .joinPath */ .u)(r.path)} is not a directory`, missing: false };
    }
    // A failed walk leaves the tree as it found it: a dropped entry must not leave directories behind.
    if (!r.ok)
        for (const [dir, name] of created.reverse())
            dir.children.delete(name);
    return r;
}
function walkInner(root, components, opts, created) {
    const dirs = [root];
    const names = [];
    // Components still to visit, the next one at the end; a symlink's target is pushed on in its place, so
    // "last" always means "nothing left", also when the last component was a symlink that got expanded.
    // (A stack: a target of a million components is pushed one by one, never spread into a call.)
    const pending = components.slice().reverse();
    let hops = 0;
    while (pending.length > 0) {
        const name = pending.pop();
        if (name === '' || name === '.')
            continue;
        if (name === '..') {
            // Stops at the root, like ".." of "/" on Linux: a link cannot climb out of the image.
            if (dirs.length > 1) {
                dirs.pop();
                names.pop();
            }
            continue;
        }
        const last = pending.length === 0;
        const dir = dirs[dirs.length - 1];
        let child = dir.children.get(name);
        if (child === undefined) {
            if (!opts.create)
                return { ok: false, reason: `${(0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .joinPath */ .u)([...names, name])} does not exist`, missing: true };
            child = (0,_node_js__WEBPACK_IMPORTED_MODULE_1__/* .newDir */ .s9)();
            dir.children.set((0,_node_js__WEBPACK_IMPORTED_MODULE_1__/* .ownName */ .qU)(name), child);
            created.push([dir, name]);
        }
        if (child.inode.type === 'symlink' && (!last || opts.followLast)) {
            if (++hops > MAX_SYMLINK_HOPS) {
                return { ok: false, reason: `${(0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .joinPath */ .u)([...names, name])}: too many levels of symbolic links`, missing: false };
            }
            const target = child.inode.target ?? '';
            // An empty target names nothing (ENOENT on Linux); treating it as "." would invent a meaning.
            if (target === '')
                return { ok: false, reason: `${(0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .joinPath */ .u)([...names, name])} is a symlink with an empty target`, missing: true };
            if (target.startsWith('/')) {
                dirs.length = 1;
                names.length = 0;
            }
            const parts = target.split('/');
            for (let k = parts.length - 1; k >= 0; k--)
                pending.push(parts[k]);
            continue;
        }
        if (last)
            return { ok: true, node: child, path: [...names, name] };
        if (child.inode.type !== 'dir') {
            return { ok: false, reason: `${(0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .joinPath */ .u)([...names, name])} is not a directory`, missing: false };
        }
        dirs.push(child);
        names.push(name);
    }
    return { ok: true, node: dirs[dirs.length - 1], path: names };
}
/**
 * The directory `components` names, following every symlink inside the root; with `create`, missing
 * directories are made on the way. Fails when something on the way (or the result) is not a directory.
 */
function resolveDir(root, components, create) {
    return walk(root, components, { followLast: true, create, dir: true });
}
/**
 * The node at a rootfs path (byte string, e.g. "/bin/sh"; leading "/" optional), resolving symlinks
 * inside the root; `follow` also follows a symlink in the last component. Undefined when the path does not
 * resolve, or has a ".." component (never resolved, see path.ts).
 */
function lookup(root, path, opts) {
    const p = (0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .normalisePath */ .q)(path);
    if (!p.ok)
        return undefined;
    const r = walk(root, p.components, { followLast: opts.follow, create: false });
    return r.ok ? r.node : undefined;
}
/** Whether `path` resolves (symlinks followed inside the root) to a regular file: `/bin -> usr/bin` counts. */
const hasFile = (root, path) => lookup(root, path, { follow: true })?.inode.type === 'file';


/***/ }),

/***/ 5608:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  xX: () => (/* binding */ acquireScratch),
  Vm: () => (/* binding */ recordOutsideTemp),
  jz: () => (/* binding */ sweepDeadScratch)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/cleanup.js
var cleanup = __webpack_require__(4704);
// EXTERNAL MODULE: ./build/errors.js
var errors = __webpack_require__(9473);
// EXTERNAL MODULE: ./build/fs-atomic.js
var fs_atomic = __webpack_require__(4579);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./build/owner.js
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


/** Boot times computed on both sides from a clock and an uptime may differ by this much (seconds). */
const BOOT_TIME_SLACK = 5;
/** True only when `owner` is provably no longer running (see the rules at the top of this file). */
function ownerIsDead(owner, here) {
    const self = here.self;
    if (owner.platform !== self.platform)
        return false;
    if (self.platform === 'linux') {
        if (owner.boot === undefined || self.boot === undefined)
            return false;
        if (owner.boot !== self.boot) {
            // Another kernel: an earlier boot of this machine, or another machine that shares the cache.
            return (owner.host === self.host &&
                owner.machine !== undefined &&
                owner.machine !== '' &&
                owner.machine === self.machine &&
                owner.created < self.bootTime * 1000);
        }
        if (owner.pidns === undefined || owner.pidns !== self.pidns || owner.timens !== self.timens || !here.procIsOurs)
            return false;
        if (owner.start === undefined)
            return false;
        const start = here.startOf(owner.pid);
        if (start === undefined)
            return false;
        if (start !== null)
            return start !== owner.start;
        return !here.exists(owner.pid);
    }
    return owner.host === self.host && Math.abs(owner.bootTime - self.bootTime) <= BOOT_TIME_SLACK && !here.exists(owner.pid);
}
/** Field 22 (starttime) of a /proc/PID/stat line; the command name in field 2 may hold spaces and parentheses. */
function statStartTime(stat) {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[22 - 3];
    return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}
const read = (path) => {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        return undefined;
    }
};
const owner_link = (path) => {
    try {
        return (0,external_node_fs_.readlinkSync)(path);
    }
    catch {
        return undefined;
    }
};
const errno = (e) => e?.code;
function startOf(pid) {
    try {
        return statStartTime((0,external_node_fs_.readFileSync)(`/proc/${pid}/stat`, 'utf8'));
    }
    catch (e) {
        return errno(e) === 'ENOENT' ? null : undefined;
    }
}
function exists(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (e) {
        return errno(e) !== 'ESRCH';
    }
}
/** This process as its owner files describe it: created now, the rest read once. */
function currentOwner() {
    return { ...describeSelf(), created: Date.now() };
}
let owner_self;
function describeSelf() {
    if (owner_self !== undefined)
        return owner_self;
    const owner = {
        v: 1,
        pid: process.pid,
        platform: process.platform,
        host: (0,external_node_os_.hostname)(),
        bootTime: Math.round(Date.now() / 1000 - (0,external_node_os_.uptime)()),
    };
    if (process.platform === 'linux') {
        const boot = read('/proc/sys/kernel/random/boot_id')?.trim();
        const start = startOf(process.pid);
        const pidns = owner_link('/proc/self/ns/pid');
        if (boot)
            owner.boot = boot;
        if (typeof start === 'string')
            owner.start = start;
        if (pidns !== undefined)
            owner.pidns = pidns;
        // Kernels before 5.6 have no time namespaces: then there is one clock for all, and '' on both sides.
        owner.timens = owner_link('/proc/self/ns/time') ?? '';
        owner.machine = read('/etc/machine-id')?.trim() ?? '';
    }
    owner_self = owner;
    return owner;
}
/** Where this process runs, for ownerIsDead. */
function here() {
    return {
        self: { ...describeSelf(), created: Date.now() },
        procIsOurs: process.platform === 'linux' && owner_link('/proc/self') === String(process.pid),
        startOf,
        exists,
    };
}
/** An owner file's text as an Owner, or undefined when it is not one (cut short, another version). */
function parseOwner(text) {
    let o;
    try {
        o = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    if (typeof o !== 'object' || o === null)
        return undefined;
    const r = o;
    const optional = (k) => r[k] === undefined || typeof r[k] === 'string';
    const ok = r['v'] === 1 &&
        Number.isSafeInteger(r['pid']) &&
        r['pid'] > 0 &&
        typeof r['platform'] === 'string' &&
        typeof r['host'] === 'string' &&
        Number.isFinite(r['bootTime']) &&
        Number.isFinite(r['created']) &&
        ['boot', 'start', 'pidns', 'timens', 'machine'].every(optional);
    return ok ? r : undefined;
}

// EXTERNAL MODULE: ./build/quote.js
var quote = __webpack_require__(9692);
;// CONCATENATED MODULE: ./build/scratch.js
// This process's scratch space in a cache: one directory, CACHE/tmp/run-XXXXXX, for everything a build
// keeps there for a while — layer spools (build-*), decompressed archive copies (archive-*), blob downloads
// (blob-*), segments on their way into the segment cache (segment-*) — with an `owner` file that says which
// process it belongs to (owner.ts) and an `outputs` journal of the temporary files the process creates
// beside its outputs, outside the cache.
//
// Whoever needs scratch space takes a lease; the first creates the directory, the last removes it, and
// meanwhile it is registered with cleanup.ts, so that a signal removes it whole. A process killed outright
// (SIGKILL, a power cut) leaves it behind: sweepDeadScratch, which every build runs first, removes each
// directory whose owner is provably dead, and the temporary outputs its journal names. Nothing else in
// tmp/ is touched: a directory without a readable owner file may be one being created right now. A
// directory proven dead is first renamed to dead-*, which claims it (of two sweeps at once, one wins)
// and keeps the proof: a sweep itself interrupted half-way, its owner file perhaps already removed,
// leaves a dead-* directory that the next sweep removes without asking.








const OWNER = 'owner';
const JOURNAL = 'outputs';
const PREFIX = 'run-';
/** What a directory proven dead is renamed to before it is removed. */
const DEAD_PREFIX = 'dead-';
/** The scratch directory held in each cache (by the path of its tmp/). */
const held = new Map();
/**
 * A lease on this process's scratch directory in `cacheDir`, created (synchronously, so that no signal
 * handler can run between its creation and its registration) when this process holds none there.
 */
function acquireScratch(cacheDir) {
    const root = (0,external_node_path_.resolve)(cacheDir, 'tmp');
    let h = held.get(root);
    if (h === undefined) {
        let dir;
        let forget = () => { };
        try {
            (0,external_node_fs_.mkdirSync)(root, { recursive: true, mode: 0o700 });
            dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(root, PREFIX));
            forget = (0,cleanup/* removeOnSignal */.QF)(dir);
            (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(dir, OWNER), JSON.stringify(currentOwner()), { flag: 'wx', mode: 0o600 });
        }
        catch (e) {
            if (dir !== undefined) {
                try {
                    (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
                }
                catch {
                    // it keeps no owner file: an empty directory no sweep will take for a dead build's
                }
            }
            forget();
            const why = e.code ?? e.message;
            throw new errors/* InitramfsError */.sp('IO', `cache directory ${(0,quote/* quote */.hD)(cacheDir)}: cannot create a scratch directory in ${(0,quote/* quote */.hD)(root)} (${why}); pass --cache-dir DIR`, { cause: e });
        }
        h = { dir, leases: 0, forget };
        held.set(root, h);
    }
    const lease = h;
    lease.leases++;
    let released = false;
    return {
        dir: lease.dir,
        async release() {
            if (released)
                return;
            released = true;
            if (--lease.leases > 0)
                return;
            held.delete(root);
            // Removed even when something failed to clean up after itself; a directory that will not go stays
            // registered, and keeps our owner file, so that the first build after this process sweeps it.
            try {
                await (0,promises_.rm)(lease.dir, { recursive: true, force: true });
                lease.forget();
            }
            catch {
                // left for the sweep
            }
        },
    };
}
/**
 * Notes `path`, a temporary file about to be created outside the cache (beside an output), in the journal
 * of every scratch directory this process holds: should the process be killed before it removes or
 * renames the file, the next build in that cache removes it (when its name is still one tempNameFor
 * gives). Written before the file is created, so there is no moment when it exists unrecorded; best
 * effort, as the journal only ever saves disk space.
 */
function recordOutsideTemp(path) {
    for (const h of held.values()) {
        try {
            (0,external_node_fs_.appendFileSync)((0,external_node_path_.join)(h.dir, JOURNAL), `${JSON.stringify(path)}\n`, { mode: 0o600 });
        }
        catch {
            // the signal handlers still remove it
        }
    }
}
/**
 * Removes what dead processes left in `cacheDir`'s tmp/: each scratch directory whose owner is provably
 * dead (owner.ts), after the temporary outputs named in its journal. Never throws: what cannot be read or
 * removed now is left for a later build. `info` hears one line when something was removed.
 */
async function sweepDeadScratch(cacheDir, info) {
    const swept = { directories: 0, outputs: 0, bytes: 0 };
    const root = (0,external_node_path_.resolve)(cacheDir, 'tmp');
    let names;
    try {
        names = await (0,promises_.readdir)(root);
    }
    catch {
        return swept;
    }
    const where = here();
    const ours = new Set([...held.values()].map((h) => h.dir));
    for (const name of names) {
        let dir = (0,external_node_path_.join)(root, name);
        if (name.startsWith(PREFIX) && !ours.has(dir)) {
            const owner = parseOwner(await (0,promises_.readFile)((0,external_node_path_.join)(dir, OWNER), 'utf8').catch(() => ''));
            if (owner === undefined || !ownerIsDead(owner, where))
                continue;
            const claimed = (0,external_node_path_.join)(root, DEAD_PREFIX + name.slice(PREFIX.length));
            try {
                await (0,promises_.rename)(dir, claimed);
            }
            catch {
                continue; // another sweep claimed it first
            }
            dir = claimed;
        }
        else if (!name.startsWith(DEAD_PREFIX)) {
            continue;
        }
        for (const path of await journal(dir)) {
            const size = await removeTempOutput(path);
            if (size !== undefined) {
                swept.outputs++;
                swept.bytes += size;
            }
        }
        const size = await diskUsage(dir);
        try {
            await (0,promises_.rm)(dir, { recursive: true, force: true });
            swept.directories++;
            swept.bytes += size;
        }
        catch {
            // permissions changed under us: a later build tries again
        }
    }
    if (swept.directories > 0) {
        const builds = `${swept.directories} build${swept.directories === 1 ? '' : 's'}`;
        const outputs = swept.outputs > 0 ? ` and ${swept.outputs} temporary output${swept.outputs === 1 ? '' : 's'}` : '';
        info?.(`removed the scratch files of ${builds} that died in this cache${outputs} (${(swept.bytes / 1e6).toFixed(1)} MB)`);
    }
    return swept;
}
/** The paths a scratch directory's journal names (absolute paths only). */
async function journal(dir) {
    const text = await (0,promises_.readFile)((0,external_node_path_.join)(dir, JOURNAL), 'utf8').catch(() => '');
    const paths = [];
    for (const line of text.split('\n')) {
        try {
            const p = JSON.parse(line);
            if (typeof p === 'string' && (0,external_node_path_.isAbsolute)(p))
                paths.push(p);
        }
        catch {
            // an empty or cut line (killed while appending)
        }
    }
    return paths;
}
/**
 * Removes a dead process's temporary output if it is still there as it made it: a regular file (not a
 * link) whose name is one tempNameFor gives. Returns its size, or undefined when nothing was removed.
 */
async function removeTempOutput(path) {
    if (!(0,fs_atomic/* isTempName */.Gs)((0,external_node_path_.basename)(path)))
        return undefined;
    try {
        const st = await (0,promises_.lstat)(path);
        if (!st.isFile())
            return undefined;
        await (0,promises_.unlink)(path);
        return st.size;
    }
    catch {
        return undefined; // renamed into place, or removed, long ago
    }
}
/** Bytes of the regular files under `dir`. */
async function diskUsage(dir) {
    let total = 0;
    try {
        for (const e of await (0,promises_.readdir)(dir, { withFileTypes: true, recursive: true })) {
            if (e.isFile())
                total += (await (0,promises_.lstat)((0,external_node_path_.join)(e.parentPath, e.name)).catch(() => ({ size: 0 }))).size;
        }
    }
    catch {
        // half gone: the count is only for the message
    }
    return total;
}


/***/ })

};
