// Interactions → id maps + sparse user-item matrix, stored twice: CSR (user → items) and CSC
// (item → users). Typed arrays only; building never creates one JS object per interaction.

export type Id = string | number;

export interface Dataset<U extends Id = Id, I extends Id = Id> {
  nUsers: number;
  nItems: number;
  /** Stored (user, item) pairs after merging duplicates. */
  nnz: number;
  /** External ids by dense index, and the reverse maps. */
  userIds: readonly U[];
  itemIds: readonly I[];
  userIndex: ReadonlyMap<U, number>;
  itemIndex: ReadonlyMap<I, number>;
  /** CSR: items of user u are userItems[userPtr[u] .. userPtr[u+1]), ascending. */
  userPtr: Int32Array;
  userItems: Int32Array;
  userWeights: Float32Array;
  /** CSC: users of item i are itemUsers[itemPtr[i] .. itemPtr[i+1]), ascending. */
  itemPtr: Int32Array;
  itemUsers: Int32Array;
  itemWeights: Float32Array;
}

/** A user's (or any) interaction history as item indices with weights. */
export interface History {
  items: Int32Array;
  weights?: Float32Array;
}

export type Interaction<U extends Id = Id, I extends Id = Id> =
  | readonly [userId: U, itemId: I, weight?: number]
  | { userId: U; itemId: I; weight?: number };

/**
 * Accumulates interactions in growable typed arrays; `build()` sorts them into CSR/CSC.
 * Dense indices follow first appearance. Duplicate (user, item) pairs keep the largest weight.
 */
export class DatasetBuilder<U extends Id = Id, I extends Id = Id> {
  private readonly userIds: U[] = [];
  private readonly itemIds: I[] = [];
  private readonly userIndex = new Map<U, number>();
  private readonly itemIndex = new Map<I, number>();
  private users = new Int32Array(1024);
  private items = new Int32Array(1024);
  private weights = new Float32Array(1024);
  private length = 0;

  add(userId: U, itemId: I, weight = 1): void {
    if (!Number.isFinite(weight)) throw new RangeError(`weight must be a finite number, got ${weight}`);
    let u = this.userIndex.get(userId);
    if (u === undefined) {
      u = this.userIds.length;
      this.userIds.push(userId);
      this.userIndex.set(userId, u);
    }
    let i = this.itemIndex.get(itemId);
    if (i === undefined) {
      i = this.itemIds.length;
      this.itemIds.push(itemId);
      this.itemIndex.set(itemId, i);
    }
    if (this.length === this.users.length) this.grow();
    this.users[this.length] = u;
    this.items[this.length] = i;
    this.weights[this.length] = weight;
    this.length++;
  }

  /** Register a user with no interactions (so it has an index, e.g. for fold-in later). */
  addUser(userId: U): number {
    let u = this.userIndex.get(userId);
    if (u === undefined) {
      u = this.userIds.length;
      this.userIds.push(userId);
      this.userIndex.set(userId, u);
    }
    return u;
  }

  build(): Dataset<U, I> {
    return assemble(
      this.userIds,
      this.itemIds,
      this.userIndex,
      this.itemIndex,
      this.users.subarray(0, this.length),
      this.items.subarray(0, this.length),
      this.weights.subarray(0, this.length),
    );
  }

  private grow(): void {
    const cap = this.users.length * 2;
    const users = new Int32Array(cap);
    users.set(this.users);
    const items = new Int32Array(cap);
    items.set(this.items);
    const weights = new Float32Array(cap);
    weights.set(this.weights);
    this.users = users;
    this.items = items;
    this.weights = weights;
  }
}

/** Build a dataset from (userId, itemId, weight?) triples or objects. Convenient for small inputs. */
export function buildDataset<U extends Id, I extends Id>(interactions: Iterable<Interaction<U, I>>): Dataset<U, I> {
  const builder = new DatasetBuilder<U, I>();
  for (const x of interactions) {
    if (Array.isArray(x)) {
      const [u, i, w] = x as readonly [U, I, number?];
      builder.add(u, i, w ?? 1);
    } else {
      const o = x as { userId: U; itemId: I; weight?: number };
      builder.add(o.userId, o.itemId, o.weight ?? 1);
    }
  }
  return builder.build();
}

/**
 * Build a dataset from columns of codes (e.g. a RatingsTable) restricted to `rows`. Only users and
 * items that occur in those rows get an index, in order of first appearance. Weights default to 1.
 */
export function datasetFromCodes<U extends Id, I extends Id>(input: {
  users: Int32Array;
  items: Int32Array;
  userIds: readonly U[];
  itemIds: readonly I[];
  weights?: Float32Array;
  rows?: Int32Array;
}): Dataset<U, I> {
  const n = input.rows ? input.rows.length : input.users.length;
  const userMap = new Int32Array(input.userIds.length).fill(-1);
  const itemMap = new Int32Array(input.itemIds.length).fill(-1);
  const userIds: U[] = [];
  const itemIds: I[] = [];
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const weights = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const row = input.rows ? input.rows[r] : r;
    const uc = input.users[row];
    const ic = input.items[row];
    if (userMap[uc] < 0) {
      userMap[uc] = userIds.length;
      userIds.push(input.userIds[uc]);
    }
    if (itemMap[ic] < 0) {
      itemMap[ic] = itemIds.length;
      itemIds.push(input.itemIds[ic]);
    }
    users[r] = userMap[uc];
    items[r] = itemMap[ic];
    weights[r] = input.weights ? input.weights[row] : 1;
  }
  const userIndex = new Map<U, number>();
  userIds.forEach((id, i) => userIndex.set(id, i));
  const itemIndex = new Map<I, number>();
  itemIds.forEach((id, i) => itemIndex.set(id, i));
  return assemble(userIds, itemIds, userIndex, itemIndex, users, items, weights);
}

/** The history of user `u` as views into the CSR arrays (do not mutate). Empty for unknown users. */
export function userHistory(dataset: Dataset, u: number): History {
  if (!Number.isInteger(u) || u < 0 || u >= dataset.nUsers) return { items: new Int32Array(0), weights: new Float32Array(0) };
  const a = dataset.userPtr[u];
  const b = dataset.userPtr[u + 1];
  return { items: dataset.userItems.subarray(a, b), weights: dataset.userWeights.subarray(a, b) };
}

/** Number of users who interacted with each item. */
export function itemCounts(dataset: Dataset): Int32Array {
  const counts = new Int32Array(dataset.nItems);
  for (let i = 0; i < dataset.nItems; i++) counts[i] = dataset.itemPtr[i + 1] - dataset.itemPtr[i];
  return counts;
}

/** 1-based popularity rank of each item (1 = most interactions; ties broken by index). */
export function popularityRanks(dataset: Dataset): Int32Array {
  const counts = itemCounts(dataset);
  const order = Array.from({ length: dataset.nItems }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  const ranks = new Int32Array(dataset.nItems);
  order.forEach((item, r) => (ranks[item] = r + 1));
  return ranks;
}

function assemble<U extends Id, I extends Id>(
  userIds: U[],
  itemIds: I[],
  userIndex: Map<U, number>,
  itemIndex: Map<I, number>,
  users: Int32Array,
  items: Int32Array,
  weights: Float32Array,
): Dataset<U, I> {
  const nUsers = userIds.length;
  const nItems = itemIds.length;
  const n = users.length;

  // Counting sort by item, then stable counting sort by user: rows come out ordered (user, item).
  const byItem = countingOrder(items, nItems, null);
  const order = countingOrder(users, nUsers, byItem);

  // Merge duplicate pairs (adjacent after sorting), keeping the largest weight.
  const userPtr = new Int32Array(nUsers + 1);
  const userItems = new Int32Array(n);
  const userWeights = new Float32Array(n);
  let nnz = 0;
  let lastU = -1;
  let lastI = -1;
  for (let r = 0; r < n; r++) {
    const row = order[r];
    const u = users[row];
    const i = items[row];
    const w = weights[row];
    if (u === lastU && i === lastI) {
      if (w > userWeights[nnz - 1]) userWeights[nnz - 1] = w;
      continue;
    }
    userItems[nnz] = i;
    userWeights[nnz] = w;
    userPtr[u + 1]++;
    nnz++;
    lastU = u;
    lastI = i;
  }
  for (let u = 0; u < nUsers; u++) userPtr[u + 1] += userPtr[u];

  // CSC by scattering the CSR (users visited in order, so each column's users come out ascending).
  const itemPtr = new Int32Array(nItems + 1);
  for (let p = 0; p < nnz; p++) itemPtr[userItems[p] + 1]++;
  for (let i = 0; i < nItems; i++) itemPtr[i + 1] += itemPtr[i];
  const fill = itemPtr.slice(0, nItems);
  const itemUsers = new Int32Array(nnz);
  const itemWeights = new Float32Array(nnz);
  for (let u = 0; u < nUsers; u++) {
    for (let p = userPtr[u]; p < userPtr[u + 1]; p++) {
      const q = fill[userItems[p]]++;
      itemUsers[q] = u;
      itemWeights[q] = userWeights[p];
    }
  }

  return {
    nUsers,
    nItems,
    nnz,
    userIds,
    itemIds,
    userIndex,
    itemIndex,
    userPtr,
    userItems: userItems.slice(0, nnz),
    userWeights: userWeights.slice(0, nnz),
    itemPtr,
    itemUsers,
    itemWeights,
  };
}

/** Stable counting sort of row positions by `keys` (optionally starting from an existing order). */
function countingOrder(keys: Int32Array, nKeys: number, input: Int32Array | null): Int32Array {
  const n = keys.length;
  const start = new Int32Array(nKeys + 1);
  for (let r = 0; r < n; r++) start[keys[r] + 1]++;
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k];
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const row = input ? input[r] : r;
    out[start[keys[row]]++] = row;
  }
  return out;
}
