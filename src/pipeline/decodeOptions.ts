/**
 * The decode options a capture is decoded with, as the store records them (captures.decode_options):
 * canonical JSON, keys sorted, so equal options give equal text (`{"decodeAs":{"48010":"opcua"}}`;
 * no override is `{"decodeAs":{}}`). Only options that change what records decode to belong here.
 */

export interface DecodeOptions {
  /** Decode-as overrides, e.g. { '48010': 'opcua', 'udp:2223': 'cip-io' }. */
  decodeAs: Record<string, string>;
}

/** The canonical text of decode options. */
export function decodeOptionsText(decodeAs: Readonly<Record<string, string>> | undefined): string {
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(decodeAs ?? {}).sort()) sorted[k] = decodeAs![k]!;
  return JSON.stringify({ decodeAs: sorted });
}

/** Recorded text back to options; null for a capture with none recorded (or unreadable text). */
export function parseDecodeOptions(text: string | null): DecodeOptions | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as { decodeAs?: unknown };
    if (typeof v !== 'object' || v === null || typeof v.decodeAs !== 'object' || v.decodeAs === null) return null;
    const decodeAs: Record<string, string> = {};
    for (const [k, x] of Object.entries(v.decodeAs as Record<string, unknown>)) decodeAs[k] = String(x);
    return { decodeAs };
  } catch {
    return null;
  }
}

/** Decode-as overrides as the command line takes them: `48010=opcua,udp:2223=cip-io`, or `none`. */
export function describeDecodeAs(decodeAs: Readonly<Record<string, string>>): string {
  const items = Object.keys(decodeAs).sort().map((k) => `${k}=${decodeAs[k]}`);
  return items.length ? items.join(',') : 'none';
}
