ALTER TABLE `train_runs` ADD `error` text;--> statement-breakpoint
ALTER TABLE `train_shards` ADD `worker_pid` integer;--> statement-breakpoint
ALTER TABLE `train_shards` ADD `worker_host` text;--> statement-breakpoint
ALTER TABLE `train_shards` ADD `started_at` integer;--> statement-breakpoint
ALTER TABLE `train_shards` ADD `heartbeat_at` integer;