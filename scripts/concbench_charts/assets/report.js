/* concbench report.html: draws each workload's charts from the page's data (concbench_charts/web.py) with Chart.js.
 *
 * A workload's element <div class="cb-chart" data-group="W"> gets a metric switch, a legend whose buttons show or
 * hide a model in every panel, and one panel per case (and machine). Hovering a point shows that cell: its value,
 * interval, repetitions, cv and status. Cells that are not ok are an x at the bottom, never a value, and are listed
 * under their panel. When done, <html> carries data-charts-rendered (the number of panels drawn); errors are
 * collected in data-script-errors (tests/scripts/test_report_browser.py reads both).
 */
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("cb-data").textContent);
  var Chart = window.Chart;
  var PREFIXES = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];

  function sig(v) {
    if (v === 0) return "0";
    if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en");
    var text = v.toPrecision(3);
    return text.indexOf("e") >= 0 ? String(Number(text)) : text;
  }
  function si(v) {
    for (var i = 0; i < PREFIXES.length; i++) {
      if (Math.abs(v) >= PREFIXES[i][0]) return sig(v / PREFIXES[i][0]) + " " + PREFIXES[i][1];
    }
    return sig(v);
  }
  function figure(v, metric) { return metric.engineering ? si(v) : sig(v); }
  function coresText(c) { return c + (String(c) === "1" ? " core" : " cores"); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function styleOf(model) { return page.models[model] || {color: "#666666", point: "circle", rotation: 0}; }
  function valued(metric, p) { return metric.valued.indexOf(p.s) >= 0 && p.v[metric.column] !== undefined; }
  function hasDashed(metric, model) {
    return metric.dashed && (!metric.dashed_models || metric.dashed_models.indexOf(model) >= 0);
  }

  // Error bars and the marks of cells that are not ok, drawn over the lines.
  var marks = {
    id: "cbMarks",
    afterDatasetsDraw: function (chart, args, options) {
      var ctx = chart.ctx, y = chart.scales.y, x = chart.scales.x, area = chart.chartArea;
      chart.data.datasets.forEach(function (ds, i) {
        if (!ds.cbBars || !chart.isDatasetVisible(i)) return;
        ctx.save();
        ctx.strokeStyle = ds.borderColor;
        ctx.lineWidth = 1.2;
        chart.getDatasetMeta(i).data.forEach(function (point, j) {
          var raw = ds.data[j];
          if (raw.lo === undefined || raw.hi === undefined) return;
          var top = y.getPixelForValue(raw.hi), bottom = y.getPixelForValue(raw.lo);
          ctx.beginPath();
          ctx.moveTo(point.x, top); ctx.lineTo(point.x, bottom);
          ctx.moveTo(point.x - 4, top); ctx.lineTo(point.x + 4, top);
          ctx.moveTo(point.x - 4, bottom); ctx.lineTo(point.x + 4, bottom);
          ctx.stroke();
        });
        ctx.restore();
      });
      var levels = {};
      (options.notOk || []).forEach(function (mark) {
        if (options.hidden.has(mark.model)) return;
        var level = levels[mark.c] = (levels[mark.c] || 0) + 1;
        var px = x.getPixelForValue(options.labels.indexOf(String(mark.c)));
        var py = area.bottom - 6 - 13 * (level - 1);
        ctx.save();  // the x alone: the panel's caption names each one
        ctx.strokeStyle = styleOf(mark.model).color;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(px - 4, py - 4); ctx.lineTo(px + 4, py + 4);
        ctx.moveTo(px - 4, py + 4); ctx.lineTo(px + 4, py - 4);
        ctx.stroke();
        ctx.restore();
      });
      if (options.empty) {
        ctx.save();
        ctx.fillStyle = "#777777";
        ctx.textAlign = "center";
        ctx.fillText("no ok cell with a value", (area.left + area.right) / 2, (area.top + area.bottom) / 2);
        ctx.restore();
      }
    }
  };

  function datasets(group, panel, metric, hidden) {
    var labels = group.cores.map(String);
    var out = [];
    panel.series.forEach(function (series) {
      var style = styleOf(series.model);
      var common = {
        label: series.model, cbModel: series.model, borderColor: style.color, backgroundColor: style.color,
        pointStyle: style.point, rotation: style.rotation, pointRadius: 4, pointHoverRadius: 6,
        hidden: hidden.has(series.model)
      };
      var shown = series.points.filter(function (p) { return valued(metric, p); });
      var points = shown.map(function (p) {
        var point = {x: String(p.c), y: p.v[metric.column], p: p};
        if (metric.low && p.v[metric.low] !== undefined && p.v[metric.high] !== undefined) {
          point.lo = p.v[metric.low];
          point.hi = p.v[metric.high];
        }
        return point;
      });
      if (!points.length) return;
      out.push(Object.assign({data: points, cbBars: true, borderWidth: 1.6}, common));
      var oneCore = series.points.every(function (p) { return p.c === 1; });
      if (oneCore && labels.length > 1) {  // a one-core model: the level the others have to beat
        out.push(Object.assign({}, common, {
          data: labels.map(function (l) { return {x: l, y: points[0].y}; }), borderDash: [2, 3], borderWidth: 1,
          pointRadius: 0, pointHoverRadius: 0, pointHitRadius: 0, cbLevel: true
        }));
      }
      if (hasDashed(metric, series.model)) {
        var second = shown.filter(function (p) { return p.v[metric.dashed] !== undefined; })
          .map(function (p) { return {x: String(p.c), y: p.v[metric.dashed], p: p}; });
        if (second.length) {
          out.push(Object.assign({}, common, {
            data: second, borderDash: [6, 4], borderWidth: 1.2, pointRadius: 3, pointBackgroundColor: "#ffffff",
            cbDashed: true
          }));
        }
      }
    });
    if (metric.ideal) {
      out.push({
        label: "ideal", cbIdeal: true, borderColor: page.ideal, borderDash: [5, 4], borderWidth: 1, pointRadius: 0,
        pointHitRadius: 0, data: labels.map(function (l) { return {x: l, y: metric.ideal === "cores" ? Number(l) : 1}; })
      });
    }
    return out;
  }

  function notOkMarks(panel, metric) {
    var marksOut = [];
    panel.series.forEach(function (series) {
      series.points.forEach(function (p) {
        var unplotted = metric.valued.indexOf(p.s) < 0 || (p.s !== "ok" && p.v[metric.column] === undefined);
        if (unplotted) marksOut.push({model: series.model, c: p.c, s: p.s, r: p.r || ""});
      });
    });
    return marksOut;
  }

  function values(panel, metric) {
    var out = [];
    panel.series.forEach(function (series) {
      series.points.forEach(function (p) {
        if (!valued(metric, p)) return;
        [metric.column, metric.low, metric.high].forEach(function (c) { if (c && p.v[c] !== undefined) out.push(p.v[c]); });
        if (hasDashed(metric, series.model) && p.v[metric.dashed] !== undefined) out.push(p.v[metric.dashed]);
      });
    });
    return out;
  }

  function yScale(group, panel, metric, rowValues) {
    var log = panel.log.indexOf(metric.name) >= 0;
    var scale = {
      type: log ? "logarithmic" : "linear",
      title: {display: true, text: metric.ylabel},
      ticks: {
        callback: function (v, index, ticks) {
          if (log) {  // 1, 2 and 5 times a power of ten; powers of ten alone over more than three decades
            var lead = Math.round(v / Math.pow(10, Math.floor(Math.log10(v))) * 1000) / 1000;
            var decades = Math.log10(ticks[ticks.length - 1].value / ticks[0].value);
            if ((decades > 3 ? [1] : [1, 2, 5]).indexOf(lead) < 0) return "";
          }
          return figure(v, metric);
        }
      }
    };
    if (metric.ylim) {
      scale.min = metric.ylim[0];
      scale.max = metric.ylim[1];
    } else if (!log) {
      scale.beginAtZero = true;
      var top = rowValues.length ? Math.max.apply(null, rowValues) * 1.1 : 1;
      if (metric.ideal === "one") top = Math.max(top, 1.1);
      if (metric.ideal === "cores") top = Math.max(top, Math.max.apply(null, group.cores) * 1.05);
      scale.suggestedMax = top;
    } else if (rowValues.length) {
      var positive = rowValues.filter(function (v) { return v > 0; });
      scale.suggestedMin = Math.min.apply(null, positive) / 1.5;
      scale.suggestedMax = Math.max.apply(null, positive) * 1.5;
    }
    return scale;
  }

  function tooltip(panel, metric) {
    return {
      filter: function (item) { return !item.dataset.cbLevel && !item.dataset.cbIdeal; },
      callbacks: {
        title: function (items) {
          return items.length ? panel.title + " · " + coresText(items[0].raw.x) : "";
        },
        label: function (item) {
          var raw = item.raw;
          var text = item.dataset.cbModel + (item.dataset.cbDashed ? " (" + metric.dashed_label + ")" : "") + ": " +
            figure(raw.y, metric);
          if (raw.lo !== undefined) text += " [" + figure(raw.lo, metric) + "–" + figure(raw.hi, metric) + "]";
          return text;
        },
        afterLabel: function (item) {
          var p = item.raw.p, parts = [];
          if (p.n !== undefined) parts.push(p.n + " repetitions");
          if (p.cv !== undefined) parts.push("cv " + sig(p.cv));
          if (p.s !== "ok") parts.push(p.s + (p.r ? " (" + p.r + ")" : ""));
          return parts.join(", ");
        }
      }
    };
  }

  function drawPanel(holder, group, panel, metric, hidden, rowValues) {
    var figureNode = el("figure", "cb-panel");
    var box = el("div", "cb-canvas");
    var canvas = el("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", group.id + ": " + metric.title + ", " + panel.title);
    box.appendChild(canvas);
    figureNode.appendChild(box);
    var notOk = notOkMarks(panel, metric);
    if (notOk.length) {  // "x, not ok: thread at 1, 2 cores: timeout; tbb at 1 core: unsupported"
      var grouped = {}, order = [];
      notOk.forEach(function (m) {
        var key = m.model + "\u0000" + m.s;
        if (!grouped[key]) { grouped[key] = {model: m.model, s: m.s, cores: []}; order.push(key); }
        grouped[key].cores.push(m.c);
      });
      figureNode.appendChild(el("figcaption", "cb-notok", "x, not ok: " + order.map(function (key) {
        var g = grouped[key];
        return g.model + " at " + coresText(g.cores.join(", ")) + ": " + g.s;
      }).join("; ")));
    }
    holder.appendChild(figureNode);
    var sets = datasets(group, panel, metric, hidden);
    return new Chart(canvas, {
      type: "line",
      data: {labels: group.cores.map(String), datasets: sets},
      plugins: [marks],
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, normalized: true,
        interaction: {mode: "nearest", intersect: false},
        scales: {
          x: {type: "category", title: {display: true, text: "cores (CPU affinity)"}},
          y: yScale(group, panel, metric, rowValues)
        },
        plugins: {
          legend: {display: false},
          title: {display: true, text: panel.title},
          tooltip: tooltip(panel, metric),
          cbMarks: {
            notOk: notOk, hidden: hidden, labels: group.cores.map(String),
            empty: !sets.some(function (d) { return !d.cbIdeal && d.data.length; })
          }
        }
      }
    });
  }

  function renderGroup(node, group) {
    var hidden = new Set();
    var state = {metric: group.metrics[0], charts: [], view: null};
    var views = Array.prototype.slice.call(node.querySelectorAll(".cb-view"));  // drawn by the page (heatmap)
    var bar = el("div", "cb-bar");
    var switcher = el("div", "cb-metrics");
    var legend = el("div", "cb-legend");
    var note = el("p", "cb-note", group.note);
    var grid = el("div", "cb-grid");
    var caption = el("p", "cb-caption");
    grid.style.gridTemplateColumns = group.columns > 1 ? "repeat(" + group.columns + ", minmax(0, 1fr))" :
      "repeat(auto-fill, minmax(330px, 1fr))";
    bar.appendChild(switcher);
    bar.appendChild(legend);
    [bar, note, grid, caption].concat(views).forEach(function (child) { node.appendChild(child); });

    function show() {  // the panels of a metric, or one of the views
      [legend, note, grid, caption].forEach(function (part) { part.hidden = state.view !== null; });
      views.forEach(function (view) { view.hidden = view !== state.view; });
      Array.prototype.forEach.call(switcher.children, function (button) {
        var chosen = state.view ? button.dataset.view === state.view.dataset.view :
          button.dataset.metric === state.metric.name;
        button.setAttribute("aria-pressed", String(chosen));
      });
    }

    function draw() {
      state.charts.forEach(function (chart) { chart.destroy(); });
      grid.textContent = "";
      var metric = state.metric;
      var panels = group.panels.filter(function (panel) {
        return !metric.only_cases_with_values || values(panel, metric).length;
      });
      var rows = {};
      panels.forEach(function (panel) {
        rows[panel.row] = (rows[panel.row] || []).concat(group.columns > 1 ? values(panel, metric) : []);
      });
      state.charts = panels.map(function (panel) {
        var shared = group.columns > 1 ? rows[panel.row] : values(panel, metric);
        return drawPanel(grid, group, panel, metric, hidden, shared);
      });
      caption.textContent = metric.caption;
      show();
      node.dataset.rendered = String(state.charts.length);
      node.dataset.metric = metric.name;
    }

    group.metrics.forEach(function (metric) {
      var button = el("button", "cb-metric", metric.title);
      button.type = "button";
      button.dataset.metric = metric.name;
      button.addEventListener("click", function () { state.metric = metric; state.view = null; draw(); });
      switcher.appendChild(button);
    });
    views.forEach(function (view) {
      var button = el("button", "cb-metric", view.dataset.view);
      button.type = "button";
      button.dataset.view = view.dataset.view;
      button.addEventListener("click", function () { state.view = view; show(); });
      switcher.appendChild(button);
    });
    var models = Object.keys(page.models).filter(function (m) {
      return group.panels.some(function (p) { return p.series.some(function (s) { return s.model === m; }); });
    });
    models.forEach(function (model) {
      var button = el("button", "cb-model");
      button.type = "button";
      button.dataset.model = model;
      button.setAttribute("aria-pressed", "true");
      button.title = "show or hide " + model + " in every panel";
      var swatch = el("span", "cb-swatch");
      swatch.style.background = styleOf(model).color;
      button.appendChild(swatch);
      button.appendChild(document.createTextNode(model));
      button.addEventListener("click", function () {
        var show = hidden.has(model);
        if (show) hidden.delete(model); else hidden.add(model);
        button.setAttribute("aria-pressed", String(show));
        state.charts.forEach(function (chart) {
          chart.data.datasets.forEach(function (ds, i) { if (ds.cbModel === model) chart.setDatasetVisibility(i, show); });
          chart.update();
        });
      });
      legend.appendChild(button);
    });
    draw();
    return state;
  }

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var d = target && target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
      d.open = true;
    }
    if (target) target.scrollIntoView();
  }

  var total = 0;
  Array.prototype.forEach.call(document.querySelectorAll(".cb-chart"), function (node) {
    var group = page.groups[node.dataset.group];
    if (!group) throw new Error("no chart data for " + node.dataset.group);
    total += renderGroup(node, group).charts.length;
  });
  window.addEventListener("hashchange", openTarget);
  openTarget();
  document.documentElement.dataset.chartsRendered = String(total);
})();
