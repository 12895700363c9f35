// CPU time of a process and all its descendants (wrangler dev: its node process and workerd), read from /proc. The
// app's CPU per request, unlike requests per second, barely moves with what other processes on the machine do.
import { readdirSync, readFileSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100

function stat(pid: string): { ppid: string; cpuTicks: number; name: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The name is in parentheses and may hold spaces; the fields after it are space-separated.
    const close = text.lastIndexOf(')')
    const name = text.slice(text.indexOf('(') + 1, close)
    const fields = text.slice(close + 2).split(' ')
    return { ppid: fields[1]!, cpuTicks: Number(fields[11]) + Number(fields[12]), name }
  } catch {
    return null
  }
}

/** CPU milliseconds used so far by `root` and its descendants, and by the workerd processes among them. */
export function treeCpuMs(root: number): { total: number; workerd: number } {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  const stats = new Map(all.map((pid) => [pid, stat(pid)] as const))
  const inTree = new Set([String(root)])
  // Parents before children is not guaranteed by pid order: repeat until no process joins.
  for (let grew = true; grew; ) {
    grew = false
    for (const [pid, s] of stats)
      if (s && !inTree.has(pid) && inTree.has(s.ppid)) {
        inTree.add(pid)
        grew = true
      }
  }
  let total = 0
  let workerd = 0
  for (const pid of inTree) {
    const s = stats.get(pid)
    if (!s) continue
    total += s.cpuTicks
    if (s.name.startsWith('workerd')) workerd += s.cpuTicks
  }
  const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND
  return { total: ms(total), workerd: ms(workerd) }
}
