// What a dashboard chart drawn by Chart.js shows: its canvas (inked, at its real pixel size, the axis labels it drew)
// and the figures table under it, cell by cell.
import type { Locator } from 'playwright-core'

export async function chartShown(chart: Locator) {
  const canvas = chart.locator('canvas[role="img"]')
  await canvas.waitFor()
  // Chart.js draws after its module loads; the canvas carries what it drew once it has.
  await chart.locator('canvas[role="img"][data-index-ticks]').waitFor()
  const drawn = await canvas.evaluate((element: HTMLCanvasElement) => {
    const data = element.getContext('2d')!.getImageData(0, 0, element.width, element.height).data
    let inked = 0
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++
    const box = element.getBoundingClientRect()
    return {
      inked,
      width: box.width,
      // Backing pixels per CSS pixel over the device ratio: 1 when drawn at its shown size (never scaled down).
      scale: element.width / devicePixelRatio / box.width,
      indexTicks: Number(element.dataset.indexTicks),
      valueTicks: Number(element.dataset.valueTicks),
      tickFontPx: Number(element.dataset.tickFontPx),
    }
  })
  const rows = await chart
    .locator('[data-testid="chart-table"] tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent?.trim() ?? '')))
  return { ...drawn, rows }
}
