// Pan and zoom by pointer (one pointer drags, two pinch; mouse and touch alike) and by the wheel. A press that
// moved less than a few pixels stays a tap, so seats and sections still take it.
import { useRef } from 'preact/hooks'
import type { View } from './geometry.ts'

const TAP_SLOP = 6

export function useMapGestures(options: {
  svg: { current: SVGSVGElement | null }
  view: View
  setView: (update: (view: View) => View) => void
}) {
  const pointers = useRef(new Map<number, { x: number; y: number }>())
  const moved = useRef(0)
  const { view, setView } = options

  /** Map coordinates under a screen point. */
  const toMap = (clientX: number, clientY: number, at: View = view) => {
    const rect = options.svg.current!.getBoundingClientRect()
    return {
      x: at.cx + (clientX - rect.left - rect.width / 2) / at.scale,
      y: at.cy + (clientY - rect.top - rect.height / 2) / at.scale,
    }
  }

  /** Zooms by `factor`, keeping the map point under the screen point where it is. */
  const zoomAt = (factor: number, clientX: number, clientY: number) =>
    setView((v) => {
      const point = toMap(clientX, clientY, v)
      const scale = v.scale * factor
      return {
        scale,
        cx: point.x - (point.x - v.cx) * (v.scale / scale),
        cy: point.y - (point.y - v.cy) * (v.scale / scale),
      }
    })

  const handlers = {
    onPointerDown: (event: PointerEvent) => {
      pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY })
      if (pointers.current.size === 1) moved.current = 0
    },
    onPointerMove: (event: PointerEvent) => {
      const previous = pointers.current.get(event.pointerId)
      if (!previous) return
      const now = { x: event.clientX, y: event.clientY }
      if (pointers.current.size === 1) {
        const dx = now.x - previous.x
        const dy = now.y - previous.y
        moved.current += Math.abs(dx) + Math.abs(dy)
        if (moved.current > TAP_SLOP) {
          ;(event.currentTarget as Element).setPointerCapture?.(event.pointerId)
          setView((v) => ({ ...v, cx: v.cx - dx / v.scale, cy: v.cy - dy / v.scale }))
        }
      } else if (pointers.current.size === 2) {
        const other = [...pointers.current.entries()].find(([id]) => id !== event.pointerId)?.[1]
        if (other) {
          const before = Math.hypot(previous.x - other.x, previous.y - other.y)
          const after = Math.hypot(now.x - other.x, now.y - other.y)
          if (before > 0) zoomAt(after / before, (now.x + other.x) / 2, (now.y + other.y) / 2)
          moved.current = 100
        }
      }
      pointers.current.set(event.pointerId, now)
    },
    onPointerUp: (event: PointerEvent) => {
      pointers.current.delete(event.pointerId)
    },
    onPointerCancel: (event: PointerEvent) => {
      pointers.current.delete(event.pointerId)
    },
    onWheel: (event: WheelEvent) => {
      event.preventDefault()
      zoomAt(event.deltaY < 0 ? 1.2 : 1 / 1.2, event.clientX, event.clientY)
    },
  }
  /** Whether the press that just ended was a tap (not a drag or a pinch). */
  const wasTap = () => moved.current <= TAP_SLOP
  return { handlers, toMap, wasTap }
}
