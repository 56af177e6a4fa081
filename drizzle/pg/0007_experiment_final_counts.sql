ALTER TABLE "experiments" ADD COLUMN "promotion" text;--> statement-breakpoint
ALTER TABLE "experiments" ADD COLUMN "final_counts" jsonb;