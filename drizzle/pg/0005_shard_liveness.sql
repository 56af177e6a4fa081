ALTER TABLE "train_runs" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "train_shards" ADD COLUMN "worker_pid" integer;--> statement-breakpoint
ALTER TABLE "train_shards" ADD COLUMN "worker_host" text;--> statement-breakpoint
ALTER TABLE "train_shards" ADD COLUMN "started_at" bigint;--> statement-breakpoint
ALTER TABLE "train_shards" ADD COLUMN "heartbeat_at" bigint;