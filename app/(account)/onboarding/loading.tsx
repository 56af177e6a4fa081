import { CardGridSkeleton } from "@/components/movies/card-grid-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div>
      <Skeleton className="mb-2 h-8 w-64" />
      <Skeleton className="mb-6 h-4 w-96 max-w-full" />
      <Skeleton className="mb-8 h-10 w-full max-w-md" />
      <CardGridSkeleton count={18} />
    </div>
  );
}
