CREATE TABLE `gate_enrollment_failures` (
	`client` text NOT NULL,
	`window_start` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`client`, `window_start`)
);
