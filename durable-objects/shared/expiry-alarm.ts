// An inventory actor's one alarm, armed no later than the earliest deadline among its active holds. New holds
// offer their deadline; only when nothing is armed (the alarm just fired, or the actor reloaded) are the holds
// scanned for the next one. Setting the alarm is not awaited: the write goes out with the actor's next output.

export class ExpiryAlarm {
  private at: number | null = null

  constructor(private readonly storage: Pick<DurableObjectStorage, 'getAlarm' | 'setAlarm'>) {}

  /** When the armed alarm fires, or null when none is armed. */
  get armedAt(): number | null {
    return this.at
  }

  /** Arms for `deadline` unless an alarm at or before it is armed already. */
  arm(deadline: number): void {
    if (this.at !== null && this.at <= deadline) return
    this.at = deadline
    void this.storage.setAlarm(deadline)
  }

  /** When nothing is armed, arms for the earliest of `deadlines` (read only then; none: nothing to arm). */
  armEarliest(deadlines: Iterable<number>): void {
    if (this.at !== null) return
    const next = earliest(deadlines)
    if (next !== undefined) this.arm(next)
  }

  /** Takes over the alarm storage has from before a restart (it is never moved later); null if none. */
  async restore(): Promise<number | null> {
    this.at = await this.storage.getAlarm()
    return this.at
  }

  /** The alarm fired: nothing is armed until the next `arm`. */
  fired(): void {
    this.at = null
  }
}

/** The earliest of some deadlines (epoch ms), or undefined when there are none. */
export function earliest(deadlines: Iterable<number>): number | undefined {
  let first: number | undefined
  for (const at of deadlines) if (first === undefined || at < first) first = at
  return first
}
