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
 *
 * Kept lean on purpose (few live values, integer compares only): one test sends every record that
 * needs a closer look (longer than the snaplen note's limit, a sub-second field of a second or more,
 * a time before 1990 or from 2038 on as an int32, or over a day back) to the slow path, which judges
 * it exactly. The previous delivered time is rec.tsSec itself (the record object is reused).
 */
export function parsePcapRecords(s: ParseState, f: PcapFormat): boolean {
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
  rec.data = s.buf;
  rec.linktype = f.linktype;
  rec.interfaceId = 0;
  const from = PLAUSIBLE_FROM_SEC;
  const back = BACKWARDS_WARN_SEC;
  // Records above `limit` take the slow path: the snaplen note once, then MAX_CAPLEN (damage).
  let limit = f.noteAbove;
  let p = s.start;
  let frame = s.frames;
  const recordsBefore = s.records;
  let records = recordsBefore;
  // The previous delivered time for the int32 test: 0 before the first (si + back < 0 never holds);
  // the int32 maximum after a time from 2038 on, so that the next record is judged exactly too.
  const prev = s.watch.last(0);
  if (!Number.isNaN(prev)) rec.tsSec = prev;
  let last = Number.isNaN(prev) ? 0 : prev > 0x7fffffff ? 0x7fffffff : prev;
  let skippedSec = NaN;
  let bad = false;
  for (;;) {
    if (end - p < hdr) {
      s.need = hdr;
      break;
    }
    const caplen = dv.getUint32(p + 8, le);
    const origlen = dv.getUint32(p + 12, le);
    const next = p + hdr + caplen;
    if (caplen > limit || origlen < caplen) {
      if (caplen > MAX_CAPLEN || origlen < caplen) {
        bad = true;
        break;
      }
      if (next <= end && base + p >= startOffset) {
        // Longer than the header's snaplen: kept (libpcap and Wireshark keep it), noted once.
        limit = f.noteAbove = MAX_CAPLEN;
        s.diag(
          'PCAP_CAPLEN_OVER_SNAPLEN',
          'note',
          `record of ${caplen} captured bytes exceeds the header's snaplen ${f.snaplen}; kept (snaplen is a hint, as libpcap and Wireshark read it)`,
          frame + 1,
          base + p,
        );
      }
    }
    if (next > end) {
      s.need = hdr + caplen;
      break;
    }
    frame++;
    const sec = dv.getUint32(p, le);
    const si = sec | 0;
    const frac = dv.getUint32(p + 4, le);
    if (base + p >= startOffset) {
      if (frac >= fracLimit || si < from || si + back < last) {
        s.frames = frame;
        if (frac >= fracLimit) {
          s.badTime('PCAP_BAD_TIMESTAMP', `sub-second field ${frac} >= ${fracLimit}: not a ${nsMul === 1 ? 'nanosecond' : 'microsecond'} time`, frame, base + p);
          p = next;
          continue;
        }
        s.watch.odd(0, sec, records > 0 || !Number.isNaN(prev) ? rec.tsSec : NaN, frame, base + p);
        last = si < 0 ? 0x7fffffff : si;
      } else {
        last = si;
      }
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
      records++;
      onRecord(rec);
      if (s.stopped) {
        p = next;
        break;
      }
    } else if (frac < fracLimit) {
      skippedSec = sec;
    }
    p = next;
  }
  if (records > recordsBefore) {
    s.watch.setLast(0, rec.tsSec);
    s.lastSec = rec.tsSec;
    s.lastNsec = rec.tsNsec;
    s.prevSec = rec.tsSec;
  } else if (!Number.isNaN(skippedSec)) {
    s.prevSec = skippedSec;
  }
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
