import { CardGridSkeleton } from "@/components/movies/card-grid-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div>
      <Skeleton className="mb-4 h-8 w-56" />
      <Skeleton className="mb-6 h-10 w-full" />
      <CardGridSkeleton count={12} />
    </div>
  );
}
