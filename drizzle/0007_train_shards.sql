CREATE TABLE `train_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`model_version_id` integer NOT NULL,
	`shards` integer NOT NULL,
	`config` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`model_version_id`) REFERENCES `model_versions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `train_shards` (
	`run_id` text NOT NULL,
	`shard` integer NOT NULL,
	`phase` text NOT NULL,
	`data_checksum` text NOT NULL,
	`stats` text DEFAULT '{}' NOT NULL,
	`error` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`run_id`, `shard`),
	FOREIGN KEY (`run_id`) REFERENCES `train_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
