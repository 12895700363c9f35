// Organizers and their staff: accounts, roles per organizer, invitations and counted sign-in guesses.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { createdAt, updatedAt } from './columns.ts'

export const organizers = sqliteTable('organizers', {
  id: text().primaryKey(),
  name: text().notNull(),
  slug: text().notNull().unique(),
  currency: text().notNull().default('CNY'),
  timezone: text().notNull().default('Asia/Shanghai'),
  contactEmail: text(),
  /** Whether buyers may check out with just an email or phone, without signing in. */
  allowGuestCheckout: integer({ mode: 'boolean' }).notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
})

export const staffUsers = sqliteTable('staff_users', {
  id: text().primaryKey(),
  email: text().notNull().unique(),
  name: text().notNull(),
  /** `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>` */
  passwordHash: text().notNull(),
  platformAdmin: integer({ mode: 'boolean' }).notNull().default(false),
  /** Bumped on password change or sign-out-everywhere; sessions carrying an older value are rejected. */
  sessionVersion: integer().notNull().default(1),
  /** The organizer the console last worked on, so a sign-in on any browser opens it again (no FK: a plain preference). */
  lastOrganizerId: text(),
  createdAt: createdAt(),
})

export const staffRoles = ['owner', 'manager', 'gate', 'box_office'] as const
export type StaffRole = (typeof staffRoles)[number]

export const memberships = sqliteTable(
  'memberships',
  {
    userId: text()
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    organizerId: text()
      .notNull()
      .references(() => organizers.id, { onDelete: 'cascade' }),
    role: text({ enum: staffRoles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.organizerId] }), index('memberships_org').on(t.organizerId)],
)

/**
 * An owner's invitation for an email to join an organizer in a role. Only a hash of the one-time token is
 * stored; the token reaches the invitee in a message, and joining needs it (plus, for an existing account,
 * being signed in as that account). Accepting, revoking and expiry are conditional updates on this row.
 */
export const staffInvitations = sqliteTable(
  'staff_invitations',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    role: text({ enum: staffRoles }).notNull(),
    /** SHA-256 of the token, base64url. */
    tokenHash: text().notNull().unique(),
    invitedBy: text().notNull(),
    expiresAt: text().notNull(),
    acceptedAt: text(),
    acceptedBy: text(),
    revokedAt: text(),
    createdAt: createdAt(),
  },
  (t) => [index('staff_invitations_org').on(t.organizerId, t.email)],
)

/**
 * Staff sign-in guesses per key (`ea:<email> <address>`, `a:<address>`, `e:<email>`) in a window that starts at the
 * first guess. A guess is claimed here before the password is checked, so parallel requests cannot exceed a limit.
 */
export const staffSignInGuesses = sqliteTable('staff_sign_in_guesses', {
  key: text().primaryKey(),
  windowStart: text().notNull(),
  count: integer().notNull().default(0),
})
