CREATE TABLE `waiting_rooms` (
	`on_sale` text PRIMARY KEY NOT NULL,
	`organizer_id` text NOT NULL,
	`show_id` text,
	`site_id` text,
	`date` text,
	`enabled` integer NOT NULL,
	`opens_at` text NOT NULL,
	`admission_per_minute` integer,
	`require_challenge` integer DEFAULT false NOT NULL,
	`pass_minutes` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organizer_id`) REFERENCES `organizers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`show_id`) REFERENCES `shows`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `scenic_sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `waiting_rooms_organizer` ON `waiting_rooms` (`organizer_id`);