// The distributor's page loads on demand: few shoppers are distributors, so it stays out of the first load.
import type { FunctionComponent } from 'preact'
import { useEffect, useState } from 'preact/hooks'

export function LazyDistributorPage() {
  const [Page, setPage] = useState<FunctionComponent | null>(null)
  useEffect(() => {
    import('../pages/distributor.tsx').then((m) => setPage(() => m.DistributorPage))
  }, [])
  return Page && <Page />
}
