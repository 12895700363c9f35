ALTER TABLE `outgoing_messages` ADD `organizer_id` text;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `kind` text DEFAULT 'notice' NOT NULL;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `locale` text;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `sms_params` text;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `sealed` text;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `status` text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `channel` text;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `next_attempt_at` text;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `provider_message_id` text;--> statement-breakpoint
ALTER TABLE `outgoing_messages` ADD `sent_at` text;--> statement-breakpoint
CREATE INDEX `outgoing_messages_due` ON `outgoing_messages` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outgoing_messages_organizer` ON `outgoing_messages` (`organizer_id`,`created_at`);--> statement-breakpoint
-- Messages written before the outbox delivered anything were only recorded: never send them now (stale codes).
UPDATE `outgoing_messages` SET `status` = 'dead', `channel` = 'dev', `last_error` = 'recorded before messages were delivered';
