// The catalogue settings an inventory actor works from (prices, sale window, limits, capacity) are copied from
// D1 into the actor and kept there. Two small pieces every such actor needs: its state loaded once before the
// first request it serves, and a clock that says when the copy is due a look at the catalogue again.

/** How stale catalogue settings may get before the actor looks at D1 again (admin edits tell it at once). */
export const CATALOGUE_TTL_MS = 10_000

/**
 * An actor's in-memory state, loaded (from its storage, and from the catalogue the first time) before the
 * first request that needs it, with every other request held off meanwhile. Dropped after a failed write, so
 * the next request reloads what storage rolled back to. A load that throws resets the whole actor (the
 * runtime's rule for blockConcurrencyWhile), so it is never left half loaded.
 */
export class LoadOnce<State> {
  private value: State | undefined

  constructor(
    private readonly ctx: Pick<DurableObjectState, 'blockConcurrencyWhile'>,
    private readonly load: () => Promise<State>,
  ) {}

  /** The loaded state, or undefined before the first load and after `drop`. */
  get current(): State | undefined {
    return this.value
  }

  async ready(): Promise<State> {
    if (this.value !== undefined) return this.value
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.value === undefined) this.value = await this.load()
    })
    return this.value!
  }

  drop(): void {
    this.value = undefined
  }
}

/**
 * When the actor last compared its copy of the catalogue settings with D1. The hot path asks `due(false)` (or
 * `inBackground`) on every request; a check happens at most once per TTL, or at once when forced (an admin edit).
 */
export class CatalogueFreshness {
  private checkedAt: number
  private running: Promise<unknown> | null = null

  constructor(
    readonly ttlMs = CATALOGUE_TTL_MS,
    now = Date.now(),
  ) {
    this.checkedAt = now
  }

  /** Whether to look at the catalogue now: always when forced, else once the TTL has passed. Yes counts as the look. */
  due(force: boolean, now = Date.now()): boolean {
    if (!force && now - this.checkedAt < this.ttlMs) return false
    this.checkedAt = now
    return true
  }

  /**
   * Runs `check` without making the caller wait, once the TTL has passed and no check is running. A failure is
   * dropped: the actor keeps selling on the settings it has and the next request after the TTL tries again.
   * `check` is expected to call `due(false)` itself (it then counts as the look).
   */
  inBackground(check: () => Promise<unknown>, now = Date.now()): void {
    if (this.running || now - this.checkedAt < this.ttlMs) return
    this.running = check()
      .catch(() => {})
      .finally(() => {
        this.running = null
      })
  }

  /** The background check in flight, if any. */
  get pending(): Promise<unknown> | null {
    return this.running
  }
}
