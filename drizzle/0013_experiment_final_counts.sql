ALTER TABLE `experiments` ADD `promotion` text;--> statement-breakpoint
ALTER TABLE `experiments` ADD `final_counts` text;