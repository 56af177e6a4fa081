import { eq } from "drizzle-orm";
import { getDb } from "./client";
import { appState } from "./schema";

export async function getState(key: string): Promise<string | null> {
  const [row] = await getDb().select({ value: appState.value }).from(appState).where(eq(appState.key, key));
  return row?.value ?? null;
}

export async function setState(key: string, value: string): Promise<void> {
  await getDb()
    .insert(appState)
    .values({ key, value, updatedAt: Date.now() })
    .onConflictDoUpdate({ target: appState.key, set: { value, updatedAt: Date.now() } });
}
