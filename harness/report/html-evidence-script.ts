// The browser side of the evidence page: draws the charts with uPlot from the embedded data.
// Plain ES2017 in a string; exposes `window.evidencePage` so tests can inspect what was drawn.

export const evidencePageScript = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('evidence-data').textContent);
  var colors = { ok: '#2e7d4f', fail: '#9aa3ad', info: '#e3a33b' };
  // Text on a bar: white only on the dark bar; dark on the light ones (contrast at least 4.5:1).
  var textColors = { ok: '#ffffff', fail: '#1f2328', info: '#1f2328' };
  var highlighted = new Set(data.anomaly ? data.anomaly.operations : []);
  var page = { highlighted: 0, drawnOperations: 0, key: null, charts: [], faultLabels: [], colors: colors, textColors: textColors };
  window.evidencePage = page;
  var keys = Object.keys(data.operations).sort();
  var select = document.getElementById('key');
  var start = keys.length && data.anomaly && data.anomaly.key && data.operations[data.anomaly.key] ? data.anomaly.key : keys[0];
  keys.forEach(function (key) {
    var option = document.createElement('option');
    option.value = key; option.textContent = key + ' (' + data.operations[key].length + ')';
    if (key === start) option.selected = true;
    select.appendChild(option);
  });
  var times = [];
  keys.forEach(function (key) { data.operations[key].forEach(function (op) { times.push(op[5]); if (op[6] !== null) times.push(op[6]); }); });
  var minTime = times.length ? times[0] : 0;
  var maxTime = 0; for (var t = 0; t < times.length; t++) if (times[t] > maxTime) maxTime = times[t];
  for (var m = 0; m < times.length; m++) if (times[m] < minTime) minTime = times[m];
  data.faults.forEach(function (fault) { if (fault.end > maxTime) maxTime = fault.end; });

  renderAnomaly();
  var lanes = null;
  function showKey(key) { if (lanes) lanes.destroy(); page.key = key; lanes = lanesChart(key); page.charts[0] = lanes; }
  select.addEventListener('change', function () { showKey(select.value); });
  if (start !== undefined) showKey(start);
  page.charts[1] = latencyChart();

  function text(value) { return value === null ? 'absent' : Array.isArray(value) ? (value[0] === null ? 'absent' : value[0]) + ' \u2192 ' + value[1] : String(value); }

  function renderAnomaly() {
    var section = document.getElementById('anomaly-section');
    if (!data.anomaly) return;
    var box = document.createElement('div'); box.id = 'anomaly';
    var title = document.createElement('h2'); title.textContent = 'First anomaly (' + data.anomaly.check + ')';
    var summary = document.createElement('p'); summary.className = 'summary'; summary.textContent = data.anomaly.summary;
    box.appendChild(title); box.appendChild(summary);
    var ops = (data.operations[data.anomaly.key] || []).filter(function (op) { return highlighted.has(op[0]); });
    if (ops.length) {
      var table = document.createElement('table');
      table.innerHTML = '<thead><tr><th>#</th><th>process</th><th>op</th><th>value</th><th>outcome</th><th>invoked (s)</th><th>completed (s)</th></tr></thead>';
      var body = document.createElement('tbody');
      ops.forEach(function (op) {
        var row = document.createElement('tr');
        [op[0], op[1], op[2], text(op[3]), op[4] + (op[7] ? ' (' + op[7] + ')' : ''), op[5].toFixed(6), op[6] === null || op[4] !== 'ok' ? '\u221e' : op[6].toFixed(6)].forEach(function (cell) {
          var td = document.createElement('td'); td.textContent = String(cell); row.appendChild(td);
        });
        body.appendChild(row);
      });
      table.appendChild(body); box.appendChild(table);
    }
    if (data.anomaly.prefixUntil !== null) {
      var prefix = document.createElement('p'); prefix.textContent = 'Longest linearizable prefix of ' + data.anomaly.key + ': until ' + data.anomaly.prefixUntil.toFixed(6) + ' s (dashed line).';
      box.appendChild(prefix);
    }
    section.appendChild(box);
  }

  function width() { return Math.max(600, document.body.clientWidth - 20); }

  // Fault windows shaded; each label on an opaque box, in the first row where it overlaps no
  // earlier label, so overlapping faults stay readable.
  function shadeFaults(u) {
    var ctx = u.ctx, rowHeight = 15 * devicePixelRatio, padding = 3 * devicePixelRatio, rowEnds = [], labels = [];
    ctx.save(); clip(u); ctx.font = (11 * devicePixelRatio) + 'px sans-serif'; ctx.textBaseline = 'middle';
    ctx.fillStyle = 'rgba(220, 60, 60, 0.12)';
    data.faults.forEach(function (fault) {
      var x0 = u.valToPos(fault.start, 'x', true), x1 = u.valToPos(fault.end, 'x', true);
      ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
    });
    data.faults.forEach(function (fault) {
      var x = Math.max(u.valToPos(fault.start, 'x', true), u.bbox.left) + padding;
      var width = ctx.measureText(fault.name).width + 2 * padding, row = 0;
      while (rowEnds[row] !== undefined && rowEnds[row] > x) row++;
      rowEnds[row] = x + width + padding;
      var y = u.bbox.top + padding + row * rowHeight;
      ctx.fillStyle = 'rgba(255, 255, 255, 0.92)'; ctx.fillRect(x, y, width, rowHeight - 2 * devicePixelRatio);
      ctx.fillStyle = '#8b1a1a'; ctx.fillText(fault.name, x + padding, y + (rowHeight - 2 * devicePixelRatio) / 2);
      labels.push({ name: fault.name, x: x, y: y, width: width, height: rowHeight - 2 * devicePixelRatio });
    });
    page.faultLabels = labels;
    ctx.restore();
  }

  function clip(u) { u.ctx.beginPath(); u.ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height); u.ctx.clip(); }

  function lanesChart(key) {
    var ops = data.operations[key];
    var keyMin = Infinity, keyMax = -Infinity;
    ops.forEach(function (op) { keyMin = Math.min(keyMin, op[5]); keyMax = Math.max(keyMax, op[6] === null ? op[5] : op[6]); });
    var pad = (keyMax - keyMin) * 0.02 || 0.001;
    var focus = ops.filter(function (op) { return highlighted.has(op[0]); });
    var view = null;
    if (focus.length) {
      var low = Infinity, high = -Infinity;
      focus.forEach(function (op) { low = Math.min(low, op[5]); high = Math.max(high, op[4] === 'ok' && op[6] !== null ? op[6] : op[5]); });
      var margin = Math.max((high - low) * 1.5, 0.0005);
      view = [Math.max(keyMin - pad, low - margin), Math.min(keyMax + pad, high + margin)];
    }
    // Around an anomaly, only the processes with an operation in view get a lane.
    var shown = view ? ops.filter(function (op) { return op[5] <= view[1] && (op[6] === null ? op[5] : op[6]) >= view[0]; }) : ops;
    var processes = Array.from(new Set(shown.map(function (op) { return op[1]; }))).sort(function (a, b) { return a - b; });
    var allProcesses = new Set(ops.map(function (op) { return op[1]; })).size;
    document.getElementById('lanes-note').textContent = processes.length < allProcesses ? 'Showing the ' + processes.length + ' of ' + allProcesses + ' processes with an operation around the anomaly.' : '';
    var lane = new Map(processes.map(function (process, index) { return [process, index]; }));
    var step = Math.ceil(processes.length / 25);
    var opts = {
      width: width(), height: Math.min(700, 70 + processes.length * 34),
      scales: { x: { time: false, range: function (u, low, high) { return [low, high]; } }, y: { range: [-0.6, processes.length - 0.4] } },
      axes: [{ label: 'time (s)' }, { label: 'process', values: function (u, splits) { return splits.map(function (v) { return Number.isInteger(v) && processes[v] !== undefined ? 'p' + processes[v] : ''; }); }, splits: function () { return processes.map(function (_, i) { return i; }).filter(function (i) { return i % step === 0; }); }, size: 60 }],
      series: [{}, { label: key, show: false }],
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      hooks: { drawClear: [shadeFaults], draw: [function (u) { drawOperations(u, ops, lane, keyMax + pad); }] },
    };
    var chart = new uPlot(opts, [[keyMin - pad, keyMax + pad], [null, null]], document.getElementById('lanes'));
    if (view) chart.setScale('x', { min: view[0], max: view[1] });
    return chart;
  }

  function drawOperations(u, ops, lane, openEnd) {
    var ctx = u.ctx, laneHeight = Math.abs(u.valToPos(1, 'y', true) - u.valToPos(0, 'y', true)), barHeight = Math.max(4, laneHeight * 0.55);
    var drawn = 0, marked = 0, later = [];
    ctx.save(); clip(u); ctx.font = Math.round(10 * devicePixelRatio) + 'px sans-serif'; ctx.textBaseline = 'middle';
    ops.forEach(function (op) {
      if (!lane.has(op[1])) return;
      var open = op[4] === 'info' || op[6] === null;
      var x0 = u.valToPos(op[5], 'x', true), x1 = u.valToPos(op[6] === null ? op[5] : op[6], 'x', true);
      if ((open ? u.bbox.left + u.bbox.width : x1) < u.bbox.left || x0 > u.bbox.left + u.bbox.width) return;
      var y = u.valToPos(lane.get(op[1]), 'y', true) - barHeight / 2;
      if (open) {
        // Indefinite: may take effect at any later time; a thin line runs on to the end.
        ctx.globalAlpha = 0.8; ctx.fillStyle = colors.info;
        ctx.fillRect(x1, y + barHeight / 2 - devicePixelRatio, u.valToPos(openEnd, 'x', true) - x1, 2 * devicePixelRatio);
      }
      ctx.globalAlpha = 1; ctx.fillStyle = colors[op[4]];
      ctx.fillRect(x0, y, Math.max(1, x1 - x0), barHeight); drawn++;
      if (x1 - x0 > 40 * devicePixelRatio) { ctx.globalAlpha = 1; ctx.fillStyle = textColors[op[4]]; ctx.fillText(op[2][0].toUpperCase() + ' ' + text(op[3]), x0 + 3, y + barHeight / 2, x1 - x0 - 6); }
      if (highlighted.has(op[0])) later.push([x0, y, Math.max(2, x1 - x0), op]);
    });
    ctx.globalAlpha = 1; ctx.lineWidth = 3 * devicePixelRatio; ctx.strokeStyle = '#d32f2f';
    later.forEach(function (mark) {
      ctx.strokeRect(mark[0], mark[1] - 2, mark[2], barHeight + 4); marked++;
      var below = marked % 2 === 0;
      ctx.fillStyle = '#b71c1c'; ctx.fillText(mark[3][2] + ' ' + text(mark[3][3]), mark[0], below ? mark[1] + barHeight + 10 * devicePixelRatio : mark[1] - 8 * devicePixelRatio);
    });
    if (data.anomaly && data.anomaly.prefixUntil !== null && data.anomaly.key === page.key) {
      var px = u.valToPos(data.anomaly.prefixUntil, 'x', true);
      ctx.setLineDash([6, 4]); ctx.lineWidth = 1.5 * devicePixelRatio; ctx.beginPath(); ctx.moveTo(px, u.bbox.top); ctx.lineTo(px, u.bbox.top + u.bbox.height); ctx.stroke(); ctx.setLineDash([]);
    }
    ctx.restore();
    page.drawnOperations = drawn; page.highlighted = marked;
  }

  function latencyChart() {
    var points = [];
    keys.forEach(function (key) { data.operations[key].forEach(function (op) { if (op[6] !== null) points.push([op[6], (op[6] - op[5]) * 1000, op[4]]); }); });
    points.sort(function (a, b) { return a[0] - b[0]; });
    var x = points.map(function (p) { return p[0]; });
    var series = ['ok', 'fail', 'info'].map(function (outcome) { return points.map(function (p) { return p[2] === outcome ? p[1] : null; }); });
    var opts = {
      width: width(), height: 260,
      scales: { x: { time: false } },
      axes: [{ label: 'completion time (s)' }, { label: 'latency (ms)', size: 60 }],
      series: [{}].concat(['ok', 'fail', 'info'].map(function (outcome) { return { label: outcome, stroke: colors[outcome], paths: function () { return null; }, points: { show: true, size: 3, fill: colors[outcome], stroke: colors[outcome] } }; })),
      hooks: { drawClear: [shadeFaults] },
    };
    return new uPlot(opts, [x].concat(series), document.getElementById('latency'));
  }
})();
`;
