CREATE TABLE `show_deposits` (
	`show_id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`terms` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `order_deposits` (
	`order_id` text PRIMARY KEY NOT NULL,
	`deposit` integer NOT NULL,
	`balance_opens_at` text NOT NULL,
	`balance_due_at` text NOT NULL,
	`remind_at` text NOT NULL,
	`reminded_at` text,
	`forfeit` text NOT NULL,
	`seats_returned_at` text,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `order_deposits_due` ON `order_deposits` (`balance_due_at`);--> statement-breakpoint
CREATE INDEX `order_deposits_remind` ON `order_deposits` (`remind_at`);