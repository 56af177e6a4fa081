import { CardGridSkeleton } from "@/components/movies/card-grid-skeleton";
import { MovieRowSkeleton } from "@/components/movies/movie-row-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div>
      <Skeleton className="mb-2 h-8 w-56" />
      <Skeleton className="mb-5 h-4 w-72" />
      <CardGridSkeleton count={12} />
      <MovieRowSkeleton />
    </div>
  );
}
