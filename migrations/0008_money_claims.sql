CREATE TABLE `batch_guards` (
	`id` text PRIMARY KEY NOT NULL,
	`ok` integer NOT NULL,
	CONSTRAINT "batch_guards_ok" CHECK("batch_guards"."ok" = 1)
);
--> statement-breakpoint
CREATE TABLE `refund_allocations` (
	`refund_id` text NOT NULL,
	`payment_id` text NOT NULL,
	`amount` integer NOT NULL,
	`provider_ref` text,
	`done_at` text,
	PRIMARY KEY(`refund_id`, `payment_id`),
	FOREIGN KEY (`refund_id`) REFERENCES `refunds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `refund_allocations_payment` ON `refund_allocations` (`payment_id`);--> statement-breakpoint
ALTER TABLE `order_lines` ADD `refund_id` text;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `rebook_order_id` text;--> statement-breakpoint
CREATE INDEX `order_lines_rebook` ON `order_lines` (`rebook_order_id`);--> statement-breakpoint
ALTER TABLE `payments` ADD `refunded_amount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `payments` ADD `source_payment_id` text;--> statement-breakpoint
-- Money already refunded before this migration counts as taken out of its payment.
UPDATE `payments` SET `refunded_amount` = min(`amount`, coalesce((SELECT sum(`amount`) FROM `refunds` WHERE `refunds`.`payment_id` = `payments`.`id` AND `refunds`.`status` = 'succeeded'), 0));
