ALTER TABLE `jobs` ADD `worker_pid` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `worker_host` text;