import { CardGridSkeleton } from "@/components/movies/card-grid-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div>
      <Skeleton className="mb-5 h-8 w-48" />
      <CardGridSkeleton />
    </div>
  );
}
