ALTER TABLE `events` ADD `name_en` text;--> statement-breakpoint
ALTER TABLE `packages` ADD `name_en` text;--> statement-breakpoint
ALTER TABLE `visit_products` ADD `name_en` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `status_reason_code` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `status_reason_params` text;--> statement-breakpoint
ALTER TABLE `staff_users` ADD `last_organizer_id` text;