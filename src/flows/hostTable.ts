/**
 * Interns IP addresses to small integer host ids. Used when a connection is created (not per
 * packet), so a plain Map keyed by a cheap string of the words is fast enough and simple.
 */
import { ipToString } from '../decode/format.js';

export class HostTable {
  private readonly ids = new Map<string, number>();
  readonly ips: string[] = [];
  readonly versions: number[] = [];

  get size(): number {
    return this.ips.length;
  }

  /** Host id of an address (4 words, IPv4 in word 3), creating it on first sight. */
  intern(version: number, words: Uint32Array): number {
    const k = version === 4 ? `${words[3]}` : `${words[0]}:${words[1]}:${words[2]}:${words[3]}`;
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.ips.length;
      this.ids.set(k, id);
      this.ips.push(ipToString(words, version));
      this.versions.push(version);
    }
    return id;
  }
}
