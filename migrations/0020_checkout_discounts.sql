CREATE TABLE `order_discounts` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`source` text NOT NULL,
	`ref` text NOT NULL,
	`label` text NOT NULL,
	`amount` integer NOT NULL,
	`per_line` text NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `order_discounts_order` ON `order_discounts` (`order_id`);--> statement-breakpoint
CREATE INDEX `order_discounts_ref` ON `order_discounts` (`source`,`ref`);--> statement-breakpoint
ALTER TABLE `order_lines` ADD `discount` integer DEFAULT 0 NOT NULL;