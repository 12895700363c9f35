ALTER TABLE `scenic_sites` ADD `city_en` text;--> statement-breakpoint
ALTER TABLE `venues` ADD `city_en` text;--> statement-breakpoint
ALTER TABLE `venues` ADD `section_names` text DEFAULT '[]' NOT NULL;