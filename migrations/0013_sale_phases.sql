CREATE TABLE `presale_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`show_id` text NOT NULL,
	`organizer_id` text NOT NULL,
	`max_uses` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `presale_codes_show` ON `presale_codes` (`show_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `show_sale_phases` (
	`show_id` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`phases` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action
);
