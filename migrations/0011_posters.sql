ALTER TABLE `events` ADD `poster` text;--> statement-breakpoint
ALTER TABLE `scenic_sites` ADD `poster` text;