"""Charts and the report that plot.py draws from loaded concbench results (concbench_data).

One small module per job: `style` (a colour and marker per model), `layout` (figure sizes), `spec` (what a
line chart shows), `panel` (drawing one panel and a legend), `charts` (line and overlay charts), `heatmap`,
`save` (every chart as PNG and SVG), `tables` (the report's tables) and `report` (report.md and report.html).
Charts are drawn to files only: matplotlib's Agg backend, whatever the environment.
"""

import matplotlib

matplotlib.use("Agg")
