// The overview: one block per section over its seats, with its name, its lowest price still on sale and how
// many seats are left; a tap (or Enter) zooms into it.
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { shopMessages } from '../messages.ts'
import type { Section } from './geometry.ts'

export interface SectionSales {
  free: number
  /** Lowest price among the section's free seats (null when none is free). */
  from: number | null
}

export function SectionsLayer(props: {
  sections: Section[]
  sales: Map<string, SectionSales>
  currency: string
  scale: number
  /** A section's name for the reader (池座 / Stalls) by its key. */
  titleOf: (key: string) => string
  /** Opens a section: with the pointer event of a tap, or none from the keyboard. */
  onOpen: (section: Section, event?: MouseEvent) => void
}) {
  const t = shopMessages.useT()
  const locale = useLocale()
  // Text sized in screen pixels whatever the zoom.
  const font = 13 / props.scale
  return (
    <g data-testid="section-blocks">
      {props.sections.map((section) => {
        const { box } = section
        const sales = props.sales.get(section.name) ?? { free: 0, from: null }
        const soldOut = sales.free === 0
        const price =
          sales.from === null
            ? ''
            : t('priceFrom', { price: formatMoney(sales.from, props.currency, locale) })
        const left = soldOut ? t('sectionSoldOut') : t('seatsLeft', { count: sales.free })
        const width = box.x1 - box.x0
        const height = box.y1 - box.y0
        const title = props.titleOf(section.name)
        const lines = [title, price, left].filter(Boolean)
        const fits = height > font * 1.3 * lines.length + font
        const cx = box.x0 + width / 2
        const shownLines = fits ? lines : lines.slice(0, 1)
        const top = box.y0 + height / 2 - ((fits ? lines.length : 1) - 1) * font * 0.65
        return (
          // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; it acts as one
          <g
            key={section.name}
            class={`section-block${soldOut ? ' section-sold-out' : ''}`}
            role="button"
            tabindex={0}
            data-section={section.name}
            aria-label={lines.join(' ')}
            aria-description={t('openSection', { section: title })}
            onClick={(event) => {
              event.stopPropagation()
              props.onOpen(section, event.detail === 0 ? undefined : event)
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault()
                props.onOpen(section)
              }
            }}
          >
            <rect x={box.x0} y={box.y0} width={width} height={height} rx={font / 2} />
            {/* One text of lines, spaced, so its words read as the accessible name does. */}
            <text text-anchor="middle" dominant-baseline="middle" font-size={font}>
              {shownLines.map((line, i) => (
                <tspan
                  key={line}
                  x={cx}
                  y={top + i * font * 1.3}
                  font-size={i === 0 ? font * 1.1 : font}
                  font-weight={i === 0 ? 700 : 400}
                >
                  {i < shownLines.length - 1 ? `${line} ` : line}
                </tspan>
              ))}
            </text>
          </g>
        )
      })}
    </g>
  )
}
