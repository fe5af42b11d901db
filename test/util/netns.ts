/**
 * A network namespace with a veth pair for live-capture tests: capture on `hostIf` (in this
 * namespace), replay into `peerIf` inside the namespace `ns`. IPv6 is switched off on both ends so
 * that the kernel's own neighbour discovery adds no packet of its own. Needs root (CI runs as root).
 */
import { execFileSync } from 'node:child_process';

export interface VethPair {
  ns: string;
  hostIf: string;
  peerIf: string;
  remove(): void;
}

/** Whether this process may create namespaces (root with iproute2 and tcpreplay). */
export function canUseNetns(): { ok: boolean; why: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'not root: network namespaces need root (CI runs as root)' };
  for (const tool of ['ip', 'tcpreplay']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return { ok: false, why: `${tool} is not installed (apt-get install iproute2 tcpreplay)` };
    }
  }
  return { ok: true, why: '' };
}

const run = (...args: string[]): void => {
  execFileSync(args[0]!, args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
};

export function createVethPair(tag: string): VethPair {
  const suffix = `${tag}${process.pid % 10000}`.slice(0, 8);
  const ns = `zs-${suffix}`;
  const hostIf = `zsh${suffix}`.slice(0, 15);
  const peerIf = `zsp${suffix}`.slice(0, 15);
  try {
    run('ip', 'netns', 'del', ns);
  } catch {
    /* not there */
  }
  run('ip', 'netns', 'add', ns);
  run('ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peerIf);
  run('ip', 'link', 'set', peerIf, 'netns', ns);
  run('sysctl', '-q', '-w', `net.ipv6.conf.${hostIf}.disable_ipv6=1`);
  run('ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', `net.ipv6.conf.${peerIf}.disable_ipv6=1`);
  run('ip', 'link', 'set', hostIf, 'up');
  run('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', peerIf, 'up');
  return {
    ns,
    hostIf,
    peerIf,
    remove(): void {
      try {
        run('ip', 'link', 'del', hostIf);
      } catch {
        /* gone with the namespace */
      }
      try {
        run('ip', 'netns', 'del', ns);
      } catch {
        /* already gone */
      }
    },
  };
}

/** Replay a capture into the peer end; resolves with tcpreplay's output. */
export function replay(pair: VethPair, file: string, opts: { pps?: number; loop?: number } = {}): string {
  const args = ['netns', 'exec', pair.ns, 'tcpreplay', '-q', '-i', pair.peerIf];
  if (opts.pps) args.push(`--pps=${opts.pps}`);
  else args.push('--topspeed');
  if (opts.loop) args.push(`--loop=${opts.loop}`);
  args.push(file);
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
