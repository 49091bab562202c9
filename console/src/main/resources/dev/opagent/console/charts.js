// Draws the charts described by the JSON in #opagent-data with Chart.js (the console's experiments
// page and the report, which inlines it).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('opagent-data').textContent);
  var formats = {
    count: function (v) { return Number(v).toLocaleString('en-US', {maximumFractionDigits: 2}); },
    money: function (v) {
      return Number(v).toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
    },
    percent: function (v) { return (v * 100).toFixed(2) + '%'; },
    points: function (v) {
      return v === 0 ? '0 pp' : (v > 0 ? '+' : '') + (v * 100).toFixed(2) + ' pp';
    },
    share: function (v) { return Math.round(v * 100) + '%'; }
  };
  if (typeof Chart === 'undefined') {
    data.charts.forEach(function (spec) {
      document.getElementById(spec.id).parentNode.textContent = 'The chart library did not load.';
    });
    return;
  }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#1f2933';
  Chart.defaults.animation = false;

  // Axis ticks: money without cents, points with one decimal; tooltips keep full precision.
  var ticks = {
    money: function (v) { return Number(v).toLocaleString('en-US', {maximumFractionDigits: 0}); },
    points: function (v) {
      return Math.abs(v) < 1e-12 ? '0' : (v > 0 ? '+' : '') + (v * 100).toFixed(1) + ' pp';
    }
  };

  function format(spec, axis) {
    return formats[spec.formats[axis]] || formats.count;
  }

  function valueAxis(cfg, dataset) {
    return cfg.options.indexAxis === 'y' ? (dataset.xAxisID || 'x') : (dataset.yAxisID || 'y');
  }

  data.charts.forEach(function (spec) {
    var cfg = spec.config;
    cfg.options.scales = cfg.options.scales || {};
    Object.keys(spec.formats).forEach(function (axis) {
      var scale = cfg.options.scales[axis] = cfg.options.scales[axis] || {};
      scale.ticks = scale.ticks || {};
      var f = ticks[spec.formats[axis]] || format(spec, axis);
      scale.ticks.callback = function (v) { return f(v); };
      if (spec.formats[axis] === 'points') { // no lift: the line that matters
        scale.grid = scale.grid || {};
        scale.grid.color = function (c) {
          return c.tick && Math.abs(c.tick.value) < 1e-12 ? '#1f2933' : 'rgba(0,0,0,0.08)';
        };
        scale.grid.lineWidth = function (c) {
          return c.tick && Math.abs(c.tick.value) < 1e-12 ? 2 : 1;
        };
      }
    });
    var categoryAxis = cfg.options.indexAxis === 'y' ? 'y' : 'x';
    var category = cfg.options.scales[categoryAxis] = cfg.options.scales[categoryAxis] || {};
    category.ticks = category.ticks || {};
    category.ticks.callback = function (v) { // long labels are cut here, whole in tooltips
      var label = String(this.getLabelForValue(v));
      return label.length > 28 ? label.slice(0, 27) + '\u2026' : label;
    };
    cfg.options.plugins = cfg.options.plugins || {};
    cfg.options.plugins.tooltip = {
      callbacks: {
        label: function (ctx) {
          var f = format(spec, valueAxis(cfg, ctx.dataset));
          var raw = ctx.raw;
          var value = Array.isArray(raw) ? f(raw[0]) + ' … ' + f(raw[1]) : f(raw);
          return (ctx.dataset.label ? ctx.dataset.label + ': ' : '') + value;
        },
        afterLabel: function (ctx) {
          var notes = ctx.dataset.notes;
          return notes && notes[ctx.dataIndex] ? notes[ctx.dataIndex] : '';
        }
      }
    };
    new Chart(document.getElementById(spec.id), cfg);
  });
})();
