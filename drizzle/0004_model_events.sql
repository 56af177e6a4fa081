CREATE TABLE `model_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_version_id` integer NOT NULL,
	`action` text NOT NULL,
	`from_version_id` integer,
	`actor_user_id` integer,
	`actor_label` text NOT NULL,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`model_version_id`) REFERENCES `model_versions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_version_id`) REFERENCES `model_versions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `model_events_version_idx` ON `model_events` (`model_version_id`);--> statement-breakpoint
CREATE INDEX `model_events_at_idx` ON `model_events` (`at`);