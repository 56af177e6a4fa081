import { Skeleton } from "@/components/ui/skeleton";

export default function AdminRunsLoading() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading runs">
      <Skeleton className="h-6 w-40" />
      <Skeleton className="mt-2 h-4 w-96 max-w-full" />
      <div className="mt-4 space-y-2">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-12" />
        ))}
      </div>
    </div>
  );
}
