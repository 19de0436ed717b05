"""Charts and the report that plot.py draws from loaded concbench results (concbench_data).

One small module per job: `style` (a colour and marker per model), `layout` (figure sizes), `spec` (what a
line chart shows), `panel` (drawing one panel and a legend), `charts` (line and overlay charts), `heatmap`,
`save` (every chart as PNG and SVG), `fmt` (figures as text), `findings` (the findings' sentences), `tables`,
`anchors` (the headings links point at), `sections` (a workload's section), `web` (report.html's interactive
charts: data, Chart.js and the page's script from `assets/`) and `report` (report.md, report.html, tables/).
Charts are drawn to files only: matplotlib's Agg backend, whatever the environment.
"""

import matplotlib

matplotlib.use("Agg")
