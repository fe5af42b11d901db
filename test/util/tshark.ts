/** Running tshark (the oracle) from tests. */
import { execFileSync } from 'node:child_process';

export function tshark(args: string[]): string {
  return execFileSync('tshark', ['-n', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** tshark's count of frames carrying IP (IPv4 or IPv6). */
export function tsharkIpPacketCount(file: string, extra: string[] = []): number {
  const out = tshark(['-r', file, ...extra, '-Y', 'ip or ipv6', '-T', 'fields', '-e', 'frame.number']);
  return out.split('\n').filter((l) => l.trim() !== '').length;
}
