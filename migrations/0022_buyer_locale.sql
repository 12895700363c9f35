ALTER TABLE `customers` ADD `locale` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `locale` text;