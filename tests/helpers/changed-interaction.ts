import type { Interaction } from "@/lib/db/schema";

/** Another valid value for a stored interaction's signal (what a corrected import row carries). */
export function changedSignal(row: Pick<Interaction, "kind" | "value" | "watchSeconds">): Partial<Pick<Interaction, "value" | "watchSeconds">> {
  if (row.kind === "watch") return { watchSeconds: (row.watchSeconds ?? 0) + 60 };
  if (row.kind === "rating") return { value: row.value === 4 ? 3.5 : 4 };
  return { value: row.value === 1 ? 0 : 1 };
}
