/**
 * A V8 CPU profile (what `--cpu-prof` and the inspector's Profiler write) read as the functions
 * that took the most time themselves: each sample is charged to the node it landed in, and nodes
 * of the same function are added up.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface FunctionTime {
  name: string;
  where: string;
  selfMs: number;
}

export function topFunctions(profile: CpuProfile, count: number): FunctionTime[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // Each sample's time is the delta that follows it (the last one has none).
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? 0)));
  const byFunction = new Map<string, FunctionTime>();
  for (const [id, us] of selfUs) {
    const frame = byNode.get(id)?.callFrame;
    if (!frame) continue;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? `${frame.url.replace(/^file:\/\//, '')}:${frame.lineNumber + 1}` : '(native)';
    const key = `${name} ${where}`;
    const f = byFunction.get(key) ?? { name, where, selfMs: 0 };
    f.selfMs += us / 1000;
    byFunction.set(key, f);
  }
  return [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, count);
}
