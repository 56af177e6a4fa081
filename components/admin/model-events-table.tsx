import type { ModelEventWithActor } from "@/lib/mlops/actions";
import { formatDateTime } from "./format";
import { EmptyState } from "./section";

/** The audit trail of serving switches: who promoted or rolled back what, and when. */
export function ModelEventsTable({ events }: { events: ModelEventWithActor[] }) {
  if (events.length === 0) {
    return <EmptyState>No promotions or rollbacks recorded yet. Switches made here, by the CLI or by admin-started training appear here.</EmptyState>;
  }
  return (
    <ol className="divide-y divide-white/5 rounded-lg bg-ink-900 text-sm ring-1 ring-white/5" data-testid="model-events">
      {events.map((e) => (
        <li key={e.id} className="flex flex-wrap gap-x-3 px-3 py-2">
          <span className="whitespace-nowrap text-zinc-400">{formatDateTime(e.at)}</span>{" "}
          <span>
            <strong>{e.action === "promote" ? "Promoted" : "Rolled back to"}</strong> v{e.modelVersionId}
            {e.fromVersionId !== null && <span className="text-zinc-400"> (was v{e.fromVersionId})</span>}
          </span>{" "}
          <span className="text-zinc-400">by {e.actorLabel}</span>
        </li>
      ))}
    </ol>
  );
}
