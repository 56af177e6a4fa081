import { Skeleton } from "@/components/ui/skeleton";
import { gridClass } from "./card-grid";

export function CardGridSkeleton({ count = 18 }: { count?: number }) {
  return (
    <div role="status" aria-label="Loading movies">
      <ul className={gridClass}>
        {Array.from({ length: count }, (_, i) => (
          <li key={i}>
            <Skeleton className="aspect-[2/3] w-full" />
            <Skeleton className="mt-2 h-4 w-3/4" />
          </li>
        ))}
      </ul>
    </div>
  );
}
