// Every change an actor makes is decided in memory and written in one synchronous storage transaction, so no
// other request interleaves with it. If the write throws, storage rolls back, and the memory that changed
// with it must follow: the actor drops or rebuilds it from storage before the error goes on.

/** Runs `change` in one storage transaction; if it throws, calls `rollBack` and throws on. */
export function writeOrRollBack<T>(
  storage: Pick<DurableObjectStorage, 'transactionSync'>,
  change: () => T,
  rollBack: () => void,
): T {
  try {
    return storage.transactionSync(change)
  } catch (error) {
    rollBack()
    throw error
  }
}
