// Graph checks on the pairings of a pool: which players are linked by games, and whether the
// results admit finite maximum-likelihood ratings.

/** Games between two players, indexed into the pool's player list. */
export interface PairingTotals {
  readonly first: number;
  readonly second: number;
  readonly games: number;
  /** Points of `first` against `second`; `second` has games - firstPoints. */
  readonly firstPoints: number;
}

/** Returns the groups of players linked by games, each as ascending player indices. */
export function connectedGroups(playerCount: number, pairings: readonly PairingTotals[]): number[][] {
  const parent = Array.from({ length: playerCount }, (_, index) => index);
  const root = (index: number): number => {
    let current = index;
    while (parent[current] !== current) {
      parent[current] = parent[parent[current]];
      current = parent[current];
    }
    return current;
  };
  for (const { first, second } of pairings) parent[root(first)] = root(second);

  const groups = new Map<number, number[]>();
  for (let index = 0; index < playerCount; index++) {
    const group = groups.get(root(index)) ?? [];
    group.push(index);
    groups.set(root(index), group);
  }
  return [...groups.values()];
}

/**
 * Finds a set of players that lost every game against the rest of the pool, so that no finite
 * ratings maximise the likelihood. Returns its indices, or null when the graph "i took points
 * from j" is strongly connected: each player took points from every other, directly or through
 * a chain of players. Assumes a connected pool.
 */
export function findUnboundedGroup(playerCount: number, pairings: readonly PairingTotals[]): number[] | null {
  const tookPointsFrom: number[][] = Array.from({ length: playerCount }, () => []);
  const lostPointsTo: number[][] = Array.from({ length: playerCount }, () => []);
  for (const { first, second, games, firstPoints } of pairings) {
    if (firstPoints > 0) addEdge(tookPointsFrom, lostPointsTo, first, second);
    if (games - firstPoints > 0) addEdge(tookPointsFrom, lostPointsTo, second, first);
  }

  // Players that player 0 reaches by "took points from" scored nothing against the others.
  const reached = reachable(0, tookPointsFrom);
  if (reached.length < playerCount) return reached;

  // Players that reach player 0 took every point from the others, who lost every game to them.
  const reaching = reachable(0, lostPointsTo);
  if (reaching.length < playerCount) return complement(reaching, playerCount);
  return null;
}

function addEdge(forward: number[][], backward: number[][], from: number, to: number): void {
  forward[from].push(to);
  backward[to].push(from);
}

function reachable(start: number, edges: readonly (readonly number[])[]): number[] {
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    for (const next of edges[node]) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

function complement(indices: readonly number[], playerCount: number): number[] {
  const excluded = new Set(indices);
  return Array.from({ length: playerCount }, (_, index) => index).filter((index) => !excluded.has(index));
}
