ALTER TABLE `packages` ADD `pricing` text;--> statement-breakpoint
ALTER TABLE `visit_products` ADD `pricing` text;