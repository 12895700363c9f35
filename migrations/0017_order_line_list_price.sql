ALTER TABLE `order_lines` ADD `list_price` integer;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `tier` text;