CREATE TABLE "train_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"model_version_id" integer NOT NULL,
	"shards" integer NOT NULL,
	"config" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"created_at" bigint DEFAULT ((extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "train_shards" (
	"run_id" text NOT NULL,
	"shard" integer NOT NULL,
	"phase" text NOT NULL,
	"data_checksum" text NOT NULL,
	"stats" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"updated_at" bigint DEFAULT ((extract(epoch from clock_timestamp()) * 1000)::bigint) NOT NULL,
	CONSTRAINT "train_shards_run_id_shard_pk" PRIMARY KEY("run_id","shard")
);
--> statement-breakpoint
ALTER TABLE "train_runs" ADD CONSTRAINT "train_runs_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "train_shards" ADD CONSTRAINT "train_shards_run_id_train_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."train_runs"("id") ON DELETE cascade ON UPDATE no action;