/**
 * Capture timestamps: what a time must be to be stored (a JS Date can hold it), what makes it merely
 * odd (before 1990, after 2100, far back in time on its interface), and the exact conversion of
 * pcapng's 64-bit interface units (draft-ietf-opsawg-pcapng §4.2 if_tsresol, option 9; if_tsoffset,
 * option 14) into whole seconds and nanoseconds.
 */

/** ECMA-262 §21.4.1.22: a Date holds ±8.64e15 ms; whole seconds strictly inside keep room for the fraction. */
export const MAX_DATE_SEC = 8.64e12;
/** 1990-01-01T00:00:00Z: earlier times are kept but warned about (real captures are dated 1970). */
export const PLAUSIBLE_FROM_SEC = 631152000;
/** 2100-01-01T00:00:00Z: later times are kept but warned about. */
export const PLAUSIBLE_UNTIL_SEC = 4102444800;
/** A record this many seconds before its interface's previous one is "far out of order". */
export const BACKWARDS_WARN_SEC = 86400;
/** A resync candidate's time must be within this many seconds of the last good record's. */
export const RESYNC_WINDOW_SEC = 86400;

/** True when (sec, nsec) is a time a JS Date can hold: integer seconds in range, 0 <= nsec < 1e9. */
export function isDateTime(sec: number, nsec: number): boolean {
  return (
    Number.isInteger(sec) && sec > -MAX_DATE_SEC && sec < MAX_DATE_SEC && Number.isInteger(nsec) && nsec >= 0 && nsec < 1e9
  );
}

/** True inside the plausibility window [1990, 2100). */
export function isPlausibleTime(sec: number): boolean {
  return sec >= PLAUSIBLE_FROM_SEC && sec < PLAUSIBLE_UNTIL_SEC;
}

/**
 * Where a resync may resume: near the last good record's time (`prevSec`, NaN before the first good
 * record), or inside the plausibility window when there is no good record yet.
 */
export function isResumeTime(sec: number, prevSec: number): boolean {
  if (!isDateTime(sec, 0)) return false;
  return Number.isNaN(prevSec) ? isPlausibleTime(sec) : Math.abs(sec - prevSec) <= RESYNC_WINDOW_SEC;
}

/** ISO-8601 rendering for messages; falls back to seconds when a Date cannot hold it. */
export function isoTime(sec: number): string {
  return isDateTime(sec, 0) ? new Date(sec * 1000).toISOString() : `${sec} s`;
}

// -------------------------------------------------------------------------------------------------
// pcapng units

/** 10^-n with n <= 9: exact with doubles. */
export const TS_POW10 = 0;
/** 2^-n with n <= 32: exact with doubles. */
export const TS_POW2 = 1;
/** Anything finer: BigInt (allocates; exotic resolutions only). */
export const TS_BIG = 2;

export interface TsResolution {
  kind: number;
  /** POW10: units per second; POW2: 2^n; BIG: the raw if_tsresol byte. */
  units: number;
  /** POW10: ns per unit; POW2: n. */
  mul: number;
}

/** Microseconds, the default when an IDB has no if_tsresol (§4.2). */
export const DEFAULT_TSRESOL = 6;

/**
 * Decodes if_tsresol (bit 7: power of 2, else of 10; low 7 bits: the negative exponent). Null when
 * the unit cannot be represented as a 64-bit count per second (10^-n, n > 19; 2^-n, n > 63).
 */
export function tsResolution(resol: number): TsResolution | null {
  const pow2 = (resol & 0x80) !== 0;
  const n = resol & 0x7f;
  if (!pow2 && n <= 9) return { kind: TS_POW10, units: 10 ** n, mul: 10 ** (9 - n) };
  if (pow2 && n <= 32) return { kind: TS_POW2, units: 2 ** n, mul: n };
  if ((!pow2 && n > 19) || (pow2 && n > 63)) return null;
  return { kind: TS_BIG, units: resol, mul: 0 };
}

const TWO32 = 4294967296;

/** Output of pcapngTime (reused: no allocation per packet). */
export interface TimeOut {
  tsSec: number;
  tsNsec: number;
}

/**
 * Converts a 64-bit pcapng timestamp (two 32-bit words) in units `r`, plus `offsetSec`
 * (if_tsoffset), into out.tsSec / out.tsNsec exactly: nanosecond timestamps exceed 2^53, so the
 * division is split into 16-bit digits. The result may be beyond a Date: check it with isDateTime.
 */
export function pcapngTime(hi: number, lo: number, r: TsResolution, offsetSec: number, out: TimeOut): void {
  const kind = r.kind;
  let sec: number;
  let nsec: number;
  if (kind === TS_POW10) {
    const u = r.units;
    if (hi < 0x200000) {
      const t = hi * TWO32 + lo; // < 2^53: exact
      sec = Math.floor(t / u);
      let frac = t - sec * u;
      if (frac < 0) {
        sec--;
        frac += u;
      } else if (frac >= u) {
        sec++;
        frac -= u;
      }
      nsec = frac * r.mul;
    } else {
      // Long division by u (<= 10^9 < 2^30) one 16-bit digit at a time: every intermediate < 2^46.
      let cur = hi >>> 16;
      let q = Math.floor(cur / u);
      let rem = cur - q * u;
      cur = rem * 65536 + (hi & 0xffff);
      let d = Math.floor(cur / u);
      q = q * 65536 + d;
      rem = cur - d * u;
      cur = rem * 65536 + (lo >>> 16);
      d = Math.floor(cur / u);
      q = q * 65536 + d;
      rem = cur - d * u;
      cur = rem * 65536 + (lo & 0xffff);
      d = Math.floor(cur / u);
      q = q * 65536 + d;
      rem = cur - d * u;
      sec = q; // may exceed 2^53 for u = 1 or 10: isDateTime rejects it then
      nsec = rem * r.mul;
    }
  } else if (kind === TS_POW2) {
    const n = r.mul;
    const u = r.units;
    const loSec = Math.floor(lo / u);
    sec = hi * (TWO32 / u) + loSec;
    const frac = lo - loSec * u;
    // floor(frac * 1e9 / 2^n), as Wireshark computes it; 1e9 = 2^9 * 1953125 keeps it < 2^53.
    nsec = n >= 9 ? Math.floor((frac * 1953125) / 2 ** (n - 9)) : Math.floor((frac * 1e9) / u);
  } else {
    const resol = r.units;
    const n = BigInt(resol & 0x7f);
    const units = (resol & 0x80) !== 0 ? 1n << n : 10n ** n;
    const t = (BigInt(hi) << 32n) | BigInt(lo);
    sec = Number(t / units);
    nsec = Number(((t % units) * 1000000000n) / units);
  }
  out.tsSec = sec + offsetSec;
  out.tsNsec = nsec;
}
