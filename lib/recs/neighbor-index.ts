import { readNeighborColumns } from "./cache";
import { buildReverseNeighborIndex, type ReverseNeighborIndex } from "./fold-in";
import { logError } from "@/lib/util/log";

// Model versions' neighbour caches held in memory for fold-in (issue 9: ≤ 20 ms for a 500-item
// history; reading the ~30,000 matching rows per request took ~160 ms at 20M interactions).
// A version's cache never changes once written, so each process loads it once and keeps the few
// most recently used versions (the serving one, plus the arms of an A/B experiment). It is a
// cache: a process without it answers the same from the database, only slower.

const KEEP_VERSIONS = 3;
const ROWS_PER_SLICE = 50_000; // rows read between two yields to the event loop while loading

const ready = new Map<number, ReverseNeighborIndex>(); // in least-recently-used order
const loading = new Map<number, Promise<ReverseNeighborIndex>>();

function remember(versionId: number, index: ReverseNeighborIndex) {
  ready.delete(versionId);
  ready.set(versionId, index);
  while (ready.size > KEEP_VERSIONS) ready.delete(ready.keys().next().value!);
}

/**
 * Read a version's neighbour rows into the index, yielding to the event loop every
 * ROWS_PER_SLICE rows so requests keep being served while a large cache loads.
 */
export async function loadReverseNeighborIndex(versionId: number): Promise<ReverseNeighborIndex> {
  const cols = await readNeighborColumns(versionId, ROWS_PER_SLICE, () => new Promise((resolve) => setImmediate(resolve)));
  return buildReverseNeighborIndex(cols);
}

/**
 * The version's index when this process has it; otherwise null, and a background load starts
 * (once) so later requests get it. Callers fall back to reading the rows meanwhile.
 */
export function peekReverseNeighborIndex(versionId: number): ReverseNeighborIndex | null {
  const index = ready.get(versionId);
  if (index) {
    remember(versionId, index);
    return index;
  }
  if (!loading.has(versionId)) {
    loading.set(
      versionId,
      loadReverseNeighborIndex(versionId)
        .then((loaded) => {
          remember(versionId, loaded);
          return loaded;
        })
        .catch((err) => {
          logError(`fold-in: neighbour index of version ${versionId} not loaded`, err);
          throw err;
        })
        .finally(() => loading.delete(versionId)),
    );
    loading.get(versionId)!.catch(() => {}); // the rejection is logged above; a later call retries
  }
  return null;
}

/** The version's index, loading it if needed (benchmarks and tests; serving uses peek). */
export async function getReverseNeighborIndex(versionId: number): Promise<ReverseNeighborIndex> {
  const index = peekReverseNeighborIndex(versionId);
  if (index) return index;
  const loaded = await (loading.get(versionId) ?? loadReverseNeighborIndex(versionId));
  remember(versionId, loaded);
  return loaded;
}

/** Drop every loaded index (tests; serving then reads rows until a reload finishes). */
export function forgetReverseNeighborIndexes(): void {
  ready.clear();
  loading.clear();
}
