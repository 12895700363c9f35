ALTER TABLE `orders` ADD `rebook_of` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `rebook_line_ids` text;