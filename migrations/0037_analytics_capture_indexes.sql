DROP INDEX `analytics_events_organizer_day`;--> statement-breakpoint
DROP INDEX `analytics_events_order`;--> statement-breakpoint
CREATE INDEX `analytics_events_order` ON `analytics_events` (`order_id`) WHERE "analytics_events"."order_id" IS NOT NULL;