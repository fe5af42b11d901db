/**
 * Classic pcap: the file header (draft-ietf-opsawg-pcap §4) and the hot loop over packet records
 * (§5). The header's snaplen is a hint, never a limit: like libpcap and Wireshark, a record longer
 * than it is kept (one note per file). A record is impossible only when its captured length exceeds
 * MAX_CAPLEN or its original length; a time the format cannot mean (a sub-second field of a second or
 * more) drops the record with an error; an odd but valid time is kept with a warning (timeWatch.ts).
 */
import type { ParseState } from './parseState.js';
import { BACKWARDS_WARN_SEC, PLAUSIBLE_FROM_SEC } from './timestamps.js';

/** Largest caplen we accept (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD, 256 KiB). */
export const MAX_CAPLEN = 262144;

export interface PcapFormat {
  le: boolean;
  /** ns per unit of the sub-second field (1000 for µs files, 1 for ns files). */
  nsMul: number;
  /** The sub-second field must be below this (1e6 or 1e9). */
  fracLimit: number;
  /** Record header size: 16, or 24 for Kuznetzov's modified pcap. */
  recHdr: number;
  linktype: number;
  /** The header's snaplen (0 = none given). */
  snaplen: number;
  /** Caplen above which a record takes the slow path once (the snaplen note); MAX_CAPLEN after it (an int: the loop stays in integers). */
  noteAbove: number;
}

/**
 * Reads the 24-byte file header at s.start into f. Returns false when it waits for more bytes; at the
 * end of input (final) a short header is a truncation warning and f is left null-equivalent.
 */
export function readPcapHeader(s: ParseState, f: PcapFormat, final: boolean): 'wait' | 'ok' | 'truncated' {
  const avail = s.end - s.start;
  if (avail < 24) {
    s.need = 24;
    if (!final) return 'wait';
    s.truncated = true;
    s.diag('PCAP_TRUNCATED_HEADER', 'warning', `file ends inside the 24-byte file header (${avail} bytes)`, undefined, s.base + s.start);
    return 'truncated';
  }
  const p = s.start;
  const dv = s.dv;
  const major = dv.getUint16(p + 4, f.le);
  const minor = dv.getUint16(p + 6, f.le);
  if (major !== 2) {
    s.diag('PCAP_UNSUPPORTED_VERSION', 'warning', `file format version ${major}.${minor}, expected 2.4; reading as 2.4`, undefined, s.base + p);
  }
  f.snaplen = dv.getUint32(p + 16, f.le);
  f.noteAbove = f.snaplen > 0 && f.snaplen < MAX_CAPLEN ? f.snaplen : MAX_CAPLEN;
  // LinkType and additional information (§4): the link type is in the low bits, FCS info above.
  f.linktype = dv.getUint32(p + 20, f.le) & 0x03ffffff;
  s.linktypes.push(f.linktype);
  s.start = p + 24;
  s.endOffset = s.base + s.start;
  return 'ok';
}

/**
 * The hot loop: delivers every complete record in the window. Returns true when it stopped at an
 * impossible record header (s.start is on it, s.frames counts it): the caller resynchronises.
 */
export function parsePcapRecords(s: ParseState, f: PcapFormat): boolean {
  const buf = s.buf;
  const dv = s.dv;
  const le = f.le;
  const hdr = f.recHdr;
  const nsMul = f.nsMul;
  const fracLimit = f.fracLimit;
  const end = s.end;
  const base = s.base;
  const startOffset = s.startOffset;
  const onRecord = s.onRecord;
  const rec = s.rec;
  rec.data = buf;
  rec.linktype = f.linktype;
  rec.interfaceId = 0;
  // Module constants copied to locals: the loop below runs once per packet.
  const from = PLAUSIBLE_FROM_SEC;
  const back = BACKWARDS_WARN_SEC;
  const maxCaplen = MAX_CAPLEN;
  let noteAbove = f.noteAbove;
  let p = s.start;
  let frame = s.frames;
  let records = s.records;
  // The interface's previous time: lastU as read, and `last` for the int32 test of the loop, where
  // times from 2038 on are negative: they, like those before 1990, fail `si < from` and take the slow
  // path, which judges the real value; after one, `last` is the int32 maximum so the next record is
  // judged there too. 0 before the first record (si + back < 0 never holds).
  let lastU = s.watch.last(0);
  if (Number.isNaN(lastU)) lastU = 0;
  let last = lastU > 0x7fffffff ? 0x7fffffff : lastU;
  let prevSec = s.prevSec;
  let lastNsec = -1;
  let bad = false;
  for (;;) {
    if (end - p < hdr) {
      s.need = hdr;
      break;
    }
    const caplen = dv.getUint32(p + 8, le);
    const origlen = dv.getUint32(p + 12, le);
    if (caplen > maxCaplen || origlen < caplen) {
      bad = true;
      break;
    }
    const next = p + hdr + caplen;
    if (next > end) {
      s.need = hdr + caplen;
      break;
    }
    frame++;
    const sec = dv.getUint32(p, le);
    const si = sec | 0;
    const frac = dv.getUint32(p + 4, le);
    if (base + p >= startOffset) {
      if (frac >= fracLimit || caplen > noteAbove || si < from || si + back < last) {
        s.frames = frame;
        if (caplen > noteAbove) {
          noteAbove = f.noteAbove = MAX_CAPLEN;
          s.diag(
            'PCAP_CAPLEN_OVER_SNAPLEN',
            'note',
            `record of ${caplen} captured bytes exceeds the header's snaplen ${f.snaplen}; kept (snaplen is a hint, as libpcap and Wireshark read it)`,
            frame,
            base + p,
          );
        }
        if (frac >= fracLimit) {
          s.badTime('PCAP_BAD_TIMESTAMP', `sub-second field ${frac} >= ${fracLimit}: not a ${nsMul === 1 ? 'nanosecond' : 'microsecond'} time`, frame, base + p);
          p = next;
          continue;
        }
        s.watch.odd(0, sec, lastU, frame, base + p);
        last = si < 0 ? 0x7fffffff : si;
      } else {
        last = si;
      }
      lastU = sec;
      const nsec = frac * nsMul;
      rec.offset = p + hdr;
      rec.caplen = caplen;
      rec.origlen = origlen;
      rec.tsSec = sec;
      rec.tsNsec = nsec;
      rec.frame = frame;
      rec.fileOffset = base + p;
      rec.dataFileOffset = base + p + hdr;
      if (!s.hasFirst) s.delivered(sec, nsec);
      lastNsec = nsec;
      records++;
      prevSec = sec;
      onRecord(rec);
      if (s.stopped) {
        p = next;
        break;
      }
    } else if (frac < fracLimit) {
      prevSec = sec;
    }
    p = next;
  }
  s.watch.setLast(0, lastU);
  if (lastNsec >= 0) {
    s.lastSec = lastU;
    s.lastNsec = lastNsec;
  }
  s.prevSec = prevSec;
  s.records = records;
  s.start = p;
  // p only ever moves over complete records (or stops at a bad one).
  s.endOffset = base + p;
  if (bad) {
    s.frames = frame + 1;
    badRecord(s, p, dv.getUint32(p + 8, le), dv.getUint32(p + 12, le));
  } else {
    s.frames = frame;
  }
  return bad;
}

function badRecord(s: ParseState, p: number, caplen: number, origlen: number): void {
  const why = caplen > MAX_CAPLEN ? `captured length ${caplen} > maximum ${MAX_CAPLEN}` : `original length ${origlen} < captured length ${caplen}`;
  s.diag('PCAP_BAD_RECORD_LENGTH', 'error', `impossible record header: ${why}; resynchronising`, s.frames, s.base + p);
  s.damageAt = s.base + p;
  s.start = p + 1;
}
