CREATE TABLE `experiment_clicks` (
	`experiment_id` integer NOT NULL,
	`arm` text NOT NULL,
	`user_id` integer NOT NULL,
	`movie_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`experiment_id`, `user_id`, `movie_id`),
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `experiment_impressions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`experiment_id` integer NOT NULL,
	`arm` text NOT NULL,
	`user_id` integer NOT NULL,
	`movie_id` integer NOT NULL,
	`rank` integer NOT NULL,
	`model_version_id` integer NOT NULL,
	`source` text NOT NULL,
	`surface` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `experiment_impressions_pair_idx` ON `experiment_impressions` (`experiment_id`,`user_id`,`movie_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`primary_metric` text DEFAULT 'watch_rate' NOT NULL,
	`arms` text NOT NULL,
	`created_by` integer,
	`created_by_label` text NOT NULL,
	`started_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`stopped_at` integer,
	`stopped_by_label` text,
	`winner_arm` text,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `experiments_one_running_uq` ON `experiments` (`status`) WHERE "experiments"."status" = 'running';