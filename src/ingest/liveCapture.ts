/**
 * Live capture from an interface through libpcap, via the optional `cap` package: the live twin of
 * readCaptureFile. It owns ONE CaptureRecord and rewrites it for every packet (no object per packet);
 * `rec.data` is valid only during the callback.
 *
 * What `cap` 0.2.1 gives and what it does not (filled here):
 * - it opens the device promiscuous, snaplen 65535, immediate mode, with an optional BPF filter, and
 *   copies each packet into one Buffer before a synchronous 'packet' event;
 * - it hands over no timestamp: packets are stamped on arrival in this process from
 *   performance.timeOrigin + performance.now() (microsecond resolution, no allocation);
 * - it exposes no pcap_stats(): drops are read from the interface counters in
 *   /sys/class/net/IF/statistics (rx_dropped, and without a filter rx_packets minus what was
 *   delivered), which is what a sensor operator can act on (bigger buffer, lower rate, filter).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { LINKTYPE, newCaptureRecord, type CaptureRecord } from './record.js';

export type LiveCaptureErrorCode =
  | 'LIVE_CAP_UNAVAILABLE'
  | 'LIVE_NO_PRIVILEGE'
  | 'LIVE_NO_SUCH_INTERFACE'
  | 'LIVE_BAD_FILTER'
  | 'LIVE_OPEN_FAILED'
  | 'LIVE_WRITE_DIR';

export class LiveCaptureError extends Error {
  constructor(
    readonly code: LiveCaptureErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface CaptureInterface {
  name: string;
  description: string | null;
  addresses: string[];
  loopback: boolean;
}

export interface LiveStats {
  /** packets and frame bytes delivered to this process */
  packets: number;
  bytes: number;
  /** packets longer than the capture buffer (cut) */
  truncated: number;
  /** interface rx_dropped since the start (null where the counter cannot be read) */
  interfaceDrops: number | null;
  /** without a BPF filter: packets the interface received that were not delivered (null with a filter) */
  notDelivered: number | null;
}

interface CapHandle {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
  on(ev: 'packet', fn: (nbytes: number, truncated: boolean) => void): void;
}
interface CapModule {
  Cap: { new (): CapHandle; deviceList(): Array<{ name: string; description?: string; addresses: Array<{ addr: string }>; flags?: string }> };
}

let capModule: CapModule | null | undefined;

/**
 * cap 0.2.1 leaves a handle whose open() failed (bad filter, no privilege) half-initialised; its
 * destructor then stops a libuv poll that was never started and aborts the process at the next
 * garbage collection. Such handles are kept referenced here so that their destructor never runs.
 */
const failedHandles: CapHandle[] = [];

/** The `cap` binding, or a LiveCaptureError saying how to enable it. */
export function loadCap(): CapModule {
  if (capModule === undefined) {
    try {
      capModule = createRequire(import.meta.url)('cap') as CapModule;
    } catch {
      capModule = null;
    }
  }
  if (!capModule) {
    throw new LiveCaptureError(
      'LIVE_CAP_UNAVAILABLE',
      "live capture needs the optional 'cap' package, which builds against libpcap: install libpcap-dev (Debian/Ubuntu: apt-get install libpcap-dev) and run 'npm rebuild cap' (or 'npm install cap')",
    );
  }
  return capModule;
}

/** What can be captured on, in libpcap's order. */
export function listInterfaces(): CaptureInterface[] {
  const cap = loadCap();
  return cap.Cap.deviceList().map((d) => ({
    name: d.name,
    description: d.description ?? null,
    addresses: (d.addresses ?? []).map((a) => a.addr).filter((a): a is string => typeof a === 'string'),
    loopback: (d.flags ?? '').includes('LOOPBACK'),
  }));
}

const LINKTYPES: Record<string, number> = {
  ETHERNET: LINKTYPE.ETHERNET,
  NULL: LINKTYPE.NULL,
  LINKTYPE_LINUX_SLL: LINKTYPE.LINUX_SLL,
  RAW: LINKTYPE.RAW,
  IEEE802_11_RADIO: 127,
};

export interface LiveCaptureOptions {
  interface: string;
  /** BPF filter (pcap-filter syntax); empty for everything */
  filter?: string;
  /** libpcap's kernel buffer in bytes (default 64 MiB: a burst of 50 k packets/s for a second fits) */
  bufferSize?: number;
}

export class LiveCapture {
  readonly linktype: number;
  /** Resolution of the timestamps delivered (stamped on arrival from performance.now()). */
  readonly tsResolution = 'us' as const;
  readonly #cap: CapHandle;
  readonly #rec: CaptureRecord = newCaptureRecord();
  readonly #iface: string;
  readonly #filtered: boolean;
  #packets = 0;
  #bytes = 0;
  #truncated = 0;
  readonly #drop0: number | null;
  readonly #rx0: number | null;
  #closed = false;

  private constructor(opts: LiveCaptureOptions, onRecord: (rec: CaptureRecord) => void) {
    const cap = loadCap();
    this.#iface = opts.interface;
    this.#filtered = Boolean(opts.filter && opts.filter.trim());
    const known = cap.Cap.deviceList().some((d) => d.name === opts.interface);
    if (!known) {
      throw new LiveCaptureError('LIVE_NO_SUCH_INTERFACE', `no interface '${opts.interface}' to capture on (see 'zonescope interfaces')`);
    }
    const buffer = Buffer.alloc(65535);
    this.#cap = new cap.Cap();
    this.#drop0 = readCounter(opts.interface, 'rx_dropped');
    this.#rx0 = readCounter(opts.interface, 'rx_packets');
    let link: string;
    try {
      link = this.#cap.open(opts.interface, opts.filter ?? '', opts.bufferSize ?? 64 * 1024 * 1024, buffer);
    } catch (e) {
      failedHandles.push(this.#cap);
      throw classifyOpenError(opts, (e as Error).message);
    }
    const lt = LINKTYPES[link];
    if (lt === undefined) {
      this.#cap.close();
      throw new LiveCaptureError('LIVE_OPEN_FAILED', `interface '${opts.interface}' has link type ${link}, which zonescope does not decode`);
    }
    this.linktype = lt;
    const rec = this.#rec;
    rec.data = buffer;
    rec.offset = 0;
    rec.linktype = lt;
    rec.interfaceId = 0;
    const origin = performance.timeOrigin;
    this.#cap.on('packet', (nbytes, truncated) => {
      const ms = origin + performance.now();
      const sec = Math.floor(ms / 1000);
      rec.tsSec = sec;
      rec.tsNsec = Math.round((ms - sec * 1000) * 1000) * 1000;
      rec.caplen = nbytes;
      rec.origlen = nbytes;
      rec.frame = ++this.#packets;
      rec.fileOffset = 0;
      rec.dataFileOffset = 0;
      this.#bytes += nbytes;
      if (truncated) this.#truncated++;
      onRecord(rec);
    });
  }

  /** Start capturing; `onRecord` runs for every packet, synchronously, with the one reused record. */
  static open(opts: LiveCaptureOptions, onRecord: (rec: CaptureRecord) => void): LiveCapture {
    return new LiveCapture(opts, onRecord);
  }

  stats(): LiveStats {
    const drops = readCounter(this.#iface, 'rx_dropped');
    const rx = readCounter(this.#iface, 'rx_packets');
    return {
      packets: this.#packets,
      bytes: this.#bytes,
      truncated: this.#truncated,
      interfaceDrops: drops !== null && this.#drop0 !== null ? drops - this.#drop0 : null,
      notDelivered: !this.#filtered && rx !== null && this.#rx0 !== null ? Math.max(0, rx - this.#rx0 - this.#packets) : null,
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cap.close();
  }
}

function readCounter(iface: string, name: string): number | null {
  if (!/^[\w.:@-]+$/.test(iface)) return null;
  try {
    const v = Number(readFileSync(`/sys/class/net/${iface}/statistics/${name}`, 'utf8').trim());
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

function classifyOpenError(opts: LiveCaptureOptions, message: string): LiveCaptureError {
  if (/permission|not permitted|privilege/i.test(message)) {
    return new LiveCaptureError(
      'LIVE_NO_PRIVILEGE',
      `no permission to capture on '${opts.interface}' (${message}): run as root, or grant the capability: setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which node))`,
    );
  }
  if (/syntax|filter|parse/i.test(message) && opts.filter) {
    return new LiveCaptureError('LIVE_BAD_FILTER', `BPF filter '${opts.filter}': ${message}`);
  }
  if (/no such device|doesn't exist|not exist/i.test(message)) {
    return new LiveCaptureError('LIVE_NO_SUCH_INTERFACE', `no interface '${opts.interface}': ${message}`);
  }
  return new LiveCaptureError('LIVE_OPEN_FAILED', `cannot capture on '${opts.interface}': ${message}`);
}
