// Chart.js with only the pieces the dashboard draws (bar and line charts, category and linear axes, legend,
// tooltip), registered once. Loaded behind import() the first time a chart is shown, so the console's first view
// does not carry it.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js'

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
)

export { Chart }
