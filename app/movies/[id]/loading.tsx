import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="grid gap-6 sm:grid-cols-[240px_1fr]" role="status" aria-label="Loading movie">
      <Skeleton className="aspect-[2/3] w-48 sm:w-full" />
      <div className="space-y-3">
        <Skeleton className="h-10 w-2/3" />
        <Skeleton className="h-4 w-1/3" />
        <Skeleton className="h-4 w-1/2" />
      </div>
    </div>
  );
}
