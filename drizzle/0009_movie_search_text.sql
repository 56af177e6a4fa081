ALTER TABLE `movies` ADD `search_text` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `movies_search_text_idx` ON `movies` (`search_text`);