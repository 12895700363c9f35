// Outcome lines: how an inventory actor answers a coalesced batch of holds. One JSON document per request,
// in request order, joined by newlines: `{"ok":true,"hold":{…}}` or a refusal `{"ok":false,"code":…}`.
// JSON.stringify never writes a raw newline (one inside a string is escaped), so the batch splits into
// each buyer's answer without parsing it, and a held answer's hold is forwarded to the buyer as it came:
// in an on-sale stampede nobody between the actor and the buyer parses or re-serializes a hold.

const HELD_PREFIX = '{"ok":true,"hold":'

/** The line of a successful hold, from the hold's JSON. */
export const heldLine = (holdJson: string) => `${HELD_PREFIX}${holdJson}}`

export const joinOutcomeLines = (lines: string[]) => lines.join('\n')

/** Splits a batch's answer into its lines; refuses an answer that does not have one line per request. */
export function splitOutcomeLines(text: string, requests: number): string[] {
  const lines = text.split('\n')
  if (lines.length !== requests)
    throw new Error(`inventory answered ${lines.length} outcome lines for ${requests} requests`)
  return lines
}

/** A line as the worker uses it: a hold as JSON text (forwarded as is), or the parsed refusal. */
export type HoldAnswer<Refusal> = { ok: true; holdJson: string } | Refusal

export function readOutcomeLine<Refusal extends { ok: false }>(line: string): HoldAnswer<Refusal> {
  if (line.startsWith(HELD_PREFIX)) return { ok: true, holdJson: line.slice(HELD_PREFIX.length, -1) }
  return JSON.parse(line) as Refusal
}
