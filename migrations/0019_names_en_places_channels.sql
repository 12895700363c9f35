ALTER TABLE `sales_channels` ADD `name_en` text;--> statement-breakpoint
ALTER TABLE `scenic_sites` ADD `name_en` text;--> statement-breakpoint
ALTER TABLE `venues` ADD `name_en` text;--> statement-breakpoint
ALTER TABLE `group_buy_campaigns` ADD `name_en` text;