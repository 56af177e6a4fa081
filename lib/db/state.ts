import { eq } from "drizzle-orm";
import { getDb, type Db } from "./client";
import { appState } from "./schema";

export async function getState(key: string): Promise<string | null> {
  const [row] = await getDb().select({ value: appState.value }).from(appState).where(eq(appState.key, key));
  return row?.value ?? null;
}

/** Set a key; `db` may be a transaction, so the value commits (or not) with the rest of it. */
export async function setState(key: string, value: string, db: Db = getDb()): Promise<void> {
  await db
    .insert(appState)
    .values({ key, value, updatedAt: Date.now() })
    .onConflictDoUpdate({ target: appState.key, set: { value, updatedAt: Date.now() } });
}
