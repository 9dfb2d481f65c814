// Draws the backfill report's charts as inline SVG from the embedded JSON; no network, no library.
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var CLASS_COLORS = { short: '#d9534f', neutral: '#9aa0a6', long: '#2e7d32' };
  var LINE_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

  function el(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function text(parent, x, y, s, attrs) {
    var t = el('text', Object.assign({ x: x, y: y, 'font-size': 11, fill: '#333' }, attrs || {}), parent);
    t.textContent = s;
    return t;
  }
  function frame(fig, width, height) {
    var svg = el('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
    fig.appendChild(svg);
    return svg;
  }
  function scale(d0, d1, r0, r1) {
    return function (v) { return d1 === d0 ? (r0 + r1) / 2 : r0 + (v - d0) * (r1 - r0) / (d1 - d0); };
  }
  function axes(svg, m, w, h, yMax, yLabel) {
    el('line', { x1: m.l, y1: h - m.b, x2: w - m.r, y2: h - m.b, stroke: '#444' }, svg);
    el('line', { x1: m.l, y1: m.t, x2: m.l, y2: h - m.b, stroke: '#444' }, svg);
    text(svg, 4, m.t + 4, yLabel);
    text(svg, 4, h - m.b, '0');
    text(svg, 4, m.t + 16, String(Math.round(yMax * 1000) / 1000));
  }
  function legend(svg, x, y, entries) {
    entries.forEach(function (e, i) {
      el('rect', { x: x, y: y + i * 14, width: 10, height: 10, fill: e[1] }, svg);
      text(svg, x + 14, y + i * 14 + 9, e[0]);
    });
  }

  // Prediction mix over time: stacked daily bars of short / neutral / long.
  function mix(fig) {
    var rows = data.mix.filter(function (r) { return r.model === fig.dataset.model; });
    var days = Array.from(new Set(rows.map(function (r) { return r.day; }))).sort();
    var byDay = {};
    rows.forEach(function (r) { byDay[r.day] = r; });
    var w = 760, h = 220, m = { l: 50, r: 110, t: 10, b: 30 };
    var max = Math.max.apply(null, days.map(function (d) { var r = byDay[d]; return r.short + r.neutral + r.long; }));
    var svg = frame(fig, w, h);
    axes(svg, m, w, h, max, 'predictions');
    var bw = (w - m.l - m.r) / Math.max(1, days.length);
    var y = scale(0, max, h - m.b, m.t);
    var marks = 0;
    days.forEach(function (d, i) {
      var base = 0;
      ['short', 'neutral', 'long'].forEach(function (c) {
        var n = byDay[d][c];
        if (n > 0) {
          el('rect', { x: m.l + i * bw + 1, y: y(base + n), width: Math.max(1, bw - 2), height: y(base) - y(base + n),
            fill: CLASS_COLORS[c], 'class': 'mark' }, svg).appendChild(document.createElementNS(NS, 'title')).textContent =
            d + ' ' + c + ': ' + n;
          marks++;
        }
        base += n;
      });
    });
    text(svg, m.l, h - 8, days[0] || '');
    text(svg, w - m.r - 70, h - 8, days[days.length - 1] || '');
    legend(svg, w - m.r + 10, m.t, [['short', CLASS_COLORS.short], ['neutral', CLASS_COLORS.neutral], ['long', CLASS_COLORS.long]]);
    return marks;
  }

  // Calibration: accuracy against mean confidence per bucket; the diagonal is perfect calibration.
  function calibration(fig) {
    var row = data.accuracy.filter(function (a) { return a.model_id + '@' + a.model_version === fig.dataset.model; })[0];
    var w = 320, h = 260, m = { l: 50, r: 10, t: 10, b: 36 };
    var svg = frame(fig, w, h);
    axes(svg, m, w, h, 1, 'accuracy');
    var x = scale(0, 1, m.l, w - m.r), y = scale(0, 1, h - m.b, m.t);
    el('line', { x1: x(0), y1: y(0), x2: x(1), y2: y(1), stroke: '#bbb', 'stroke-dasharray': '4 3' }, svg);
    text(svg, w / 2 - 40, h - 8, 'mean confidence');
    var total = row.calibration.reduce(function (s, b) { return s + b.count; }, 0);
    var marks = 0;
    row.calibration.forEach(function (b) {
      el('circle', { cx: x(b.mean_confidence), cy: y(b.accuracy), r: 3 + 9 * Math.sqrt(b.count / total), fill: '#1f77b4',
        'fill-opacity': 0.7, 'class': 'mark' }, svg).appendChild(document.createElementNS(NS, 'title')).textContent =
        b.lower + '-' + b.upper + ': ' + b.count + ' predictions, accuracy ' + b.accuracy;
      marks++;
    });
    return marks;
  }

  // Drift: PSI per feature over the windows, with the threshold.
  function drift(fig) {
    var rows = data.drift.filter(function (r) { return r.model === fig.dataset.model; });
    var features = Array.from(new Set(rows.map(function (r) { return r.feature; }))).sort();
    var times = rows.map(function (r) { return Date.parse(r.window_end); });
    var t0 = Math.min.apply(null, times), t1 = Math.max.apply(null, times);
    var max = Math.max(data.drift_threshold * 1.5, Math.max.apply(null, rows.map(function (r) { return r.psi; })));
    var w = 760, h = 240, m = { l: 50, r: 130, t: 10, b: 30 };
    var svg = frame(fig, w, h);
    axes(svg, m, w, h, max, 'PSI');
    var x = scale(t0, t1, m.l, w - m.r), y = scale(0, max, h - m.b, m.t);
    el('line', { x1: m.l, y1: y(data.drift_threshold), x2: w - m.r, y2: y(data.drift_threshold), stroke: '#d9534f',
      'stroke-dasharray': '6 4' }, svg);
    text(svg, w - m.r + 4, y(data.drift_threshold) + 4, 'threshold ' + data.drift_threshold, { fill: '#d9534f' });
    var marks = 0;
    features.forEach(function (f, i) {
      var pts = rows.filter(function (r) { return r.feature === f; })
        .sort(function (a, b) { return Date.parse(a.window_end) - Date.parse(b.window_end); })
        .map(function (r) { return x(Date.parse(r.window_end)).toFixed(1) + ',' + y(r.psi).toFixed(1); });
      el(pts.length > 1 ? 'polyline' : 'circle', pts.length > 1
        ? { points: pts.join(' '), fill: 'none', stroke: LINE_COLORS[i % LINE_COLORS.length], 'stroke-width': 1.5, 'class': 'mark' }
        : { cx: pts[0].split(',')[0], cy: pts[0].split(',')[1], r: 3, fill: LINE_COLORS[i % LINE_COLORS.length], 'class': 'mark' }, svg);
      marks++;
    });
    legend(svg, w - m.r + 10, m.t + 24, features.map(function (f, i) { return [f, LINE_COLORS[i % LINE_COLORS.length]]; }));
    text(svg, m.l, h - 8, new Date(t0).toISOString().slice(0, 10));
    text(svg, w - m.r - 70, h - 8, new Date(t1).toISOString().slice(0, 10));
    return marks;
  }

  // Latency: a histogram of model call durations.
  function latency(fig) {
    var rows = data.latency;
    var w = 760, h = 220, m = { l: 50, r: 10, t: 10, b: 40 };
    var max = Math.max.apply(null, rows.map(function (r) { return r.count; }));
    var svg = frame(fig, w, h);
    axes(svg, m, w, h, max, 'batches');
    var bw = (w - m.l - m.r) / rows.length;
    var y = scale(0, max, h - m.b, m.t);
    var marks = 0;
    rows.forEach(function (r, i) {
      if (r.count > 0) {
        el('rect', { x: m.l + i * bw + 2, y: y(r.count), width: bw - 4, height: y(0) - y(r.count), fill: '#5470c6', 'class': 'mark' }, svg)
          .appendChild(document.createElementNS(NS, 'title')).textContent = r.bucket + ': ' + r.count;
        marks++;
      }
      text(svg, m.l + i * bw + 2, h - m.b + 14, r.bucket, { 'font-size': 9 });
    });
    return marks;
  }

  var draw = { mix: mix, calibration: calibration, drift: drift, latency: latency };
  document.querySelectorAll('figure.chart').forEach(function (fig) {
    try {
      fig.dataset.rendered = String(draw[fig.dataset.kind](fig));
    } catch (e) {
      fig.dataset.error = String(e);
      var p = document.createElement('p');
      p.className = 'error';
      p.textContent = 'chart failed: ' + e;
      fig.appendChild(p);
    }
  });
  document.body.dataset.status = document.querySelector('figure[data-error]') ? 'errors' : 'rendered';
})();
