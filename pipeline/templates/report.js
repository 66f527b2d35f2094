(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var CHECKS = D.checks, PLANS = D.plans, COLS = D.columns;
  var SVGNS = 'http://www.w3.org/2000/svg';
  var state = { sort: 'name', dir: 1, q: '', district: '', level: '', family: '', failing: false, open: null };
  var byId = {};
  PLANS.forEach(function (p) { byId[p.id] = p; });

  // ------------------------------------------------------------ helpers
  function el(tag, attrs, kids) {
    var n = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') n.textContent = attrs[k];
      else if (k === 'cls') n.className = attrs[k];
      else n.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (c) {
      if (c !== null && c !== undefined) n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return n;
  }
  function svg(tag, attrs, text) {
    var n = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) n.textContent = text;
    return n;
  }
  function fold(s) {
    return String(s === null || s === undefined ? '' : s).normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '').replace(/[\u0111\u0110]/g, 'd').toLowerCase();
  }
  function failedCount(p, severity) {
    return CHECKS.filter(function (c) {
      var a = p.audit[c.name]; return a && !a[0] && c.severity === severity;
    }).length;
  }
  var searchIndex = null;
  function haystack(p) {
    if (!searchIndex) searchIndex = {};
    if (!searchIndex[p.id]) {
      var parts = [p.name, p.title, p.issuer, p.district, p.province, p.families.join(' ')];
      Object.keys(COLS).forEach(function (t) { p[t].forEach(function (r) { parts.push(r.join(' ')); }); });
      p.facts.forEach(function (f) { parts.push(f[1]); });
      searchIndex[p.id] = fold(parts.join(' \u0001 '));
    }
    return searchIndex[p.id];
  }

  // ------------------------------------------------------------ filters
  function fillSelect(id, values) {
    var s = document.getElementById(id);
    values.filter(Boolean).sort().forEach(function (v) { s.appendChild(el('option', { value: v, text: v })); });
  }
  function uniq(list) { return Object.keys(list.reduce(function (m, v) { m[v] = 1; return m; }, {})); }
  fillSelect('f-district', uniq(PLANS.map(function (p) { return p.district; })));
  fillSelect('f-level', uniq(PLANS.map(function (p) { return p.level; })));
  fillSelect('f-family', uniq([].concat.apply([], PLANS.map(function (p) { return p.families; }))));

  function visible() {
    var q = fold(state.q).trim();
    return PLANS.filter(function (p) {
      if (state.district && p.district !== state.district) return false;
      if (state.level && p.level !== state.level) return false;
      if (state.family && p.families.indexOf(state.family) < 0) return false;
      if (state.failing && !failedCount(p, 'error')) return false;
      return !q || haystack(p).indexOf(q) >= 0;
    });
  }

  // ------------------------------------------------------------ matrix
  var FIXED = [['name', 'Plan'], ['level', 'Level'], ['district', 'District'], ['families', 'Indices'],
    ['errors', 'Errors'], ['warnings', 'Warnings']];
  function sortValue(p, key) {
    if (key === 'errors') return failedCount(p, 'error');
    if (key === 'warnings') return failedCount(p, 'warning');
    if (key === 'families') return p.families.join(',');
    if (key.indexOf('check:') === 0) {
      var a = p.audit[key.slice(6)]; return a ? a[0] : 2;
    }
    return fold(p[key]);
  }
  function renderHead() {
    var tr = el('tr');
    FIXED.forEach(function (f) { tr.appendChild(el('th', { 'data-key': f[0], text: f[1] })); });
    CHECKS.forEach(function (c) {
      tr.appendChild(el('th', { cls: 'check', 'data-key': 'check:' + c.name, title: c.explain + ' (' + c.severity + ')',
        text: c.name }));
    });
    var thead = document.querySelector('#matrix thead');
    thead.appendChild(tr);
    thead.addEventListener('click', function (e) {
      var key = e.target.closest('th') && e.target.closest('th').getAttribute('data-key');
      if (!key) return;
      state.dir = state.sort === key ? -state.dir : 1;
      state.sort = key;
      renderMatrix();
    });
  }
  function cell(p, c) {
    var a = p.audit[c.name];
    if (!a) return el('td', { cls: 'c na', text: '\u2013', title: 'not applicable' });
    if (a[0]) return el('td', { cls: 'c ok', text: '\u2713', title: a[1] });
    return el('td', { cls: 'c ' + (c.severity === 'error' ? 'err' : 'warn'), title: a[1],
      text: c.severity === 'error' ? '\u2717' : '!' });
  }
  function renderMatrix() {
    var list = visible();
    list.sort(function (a, b) {
      var x = sortValue(a, state.sort), y = sortValue(b, state.sort);
      return (x < y ? -1 : x > y ? 1 : 0) * state.dir;
    });
    var body = document.querySelector('#matrix tbody');
    var frag = document.createDocumentFragment();
    list.forEach(function (p) {
      var tr = el('tr', { 'data-doc': p.id, cls: p.id === state.open ? 'selected' : '' }, [
        el('td', null, [el('div', { cls: 'plan-name', text: p.name }),
          el('div', { cls: 'sub', text: [p.issuer, p.date].filter(Boolean).join(' \u00b7 ') })]),
        el('td', { text: p.level }), el('td', { text: p.district }), el('td', { text: p.families.join(', ') }),
        el('td', { cls: 'num', text: String(failedCount(p, 'error')) }),
        el('td', { cls: 'num', text: String(failedCount(p, 'warning')) })]);
      CHECKS.forEach(function (c) { tr.appendChild(cell(p, c)); });
      frag.appendChild(tr);
    });
    body.textContent = '';
    body.appendChild(frag);
    document.getElementById('shown').textContent = list.length + ' of ' + PLANS.length + ' shown';
    renderCharts(list, document.getElementById('chart-scores'), document.getElementById('chart-deadlines'));
  }

  // ------------------------------------------------------------ charts (inline SVG)
  function scoreSeries(list) {
    var col = COLS.scores, iCode = col.indexOf('index_code'), iKind = col.indexOf('kind'),
      iVal = col.indexOf('value'), iUnit = col.indexOf('unit'), acc = {};
    list.forEach(function (p) {
      p.scores.forEach(function (r) {
        if (!r[iCode] || r[iUnit] === '%' || (r[iKind] !== 'target' && r[iKind] !== 'result')) return;
        var m = acc[r[iCode]] = acc[r[iCode]] || { target: [], result: [] };
        m[r[iKind]].push(r[iVal]);
      });
    });
    function mean(v) { return v.length ? v.reduce(function (s, x) { return s + x; }, 0) / v.length : null; }
    return Object.keys(acc).sort().map(function (k) {
      return { label: k, target: mean(acc[k].target), result: mean(acc[k].result) };
    });
  }
  function barsChart(rows) {
    if (!rows.length) return el('p', { cls: 'muted', text: 'No targets or results extracted.' });
    var max = Math.max.apply(null, rows.map(function (r) { return Math.max(r.target || 0, r.result || 0); })) || 1;
    var rowH = 26, left = 190, width = 640, plotW = width - left - 50, h = rows.length * rowH + 24;
    var s = svg('svg', { width: width, height: h, viewBox: '0 0 ' + width + ' ' + h, role: 'img' });
    rows.forEach(function (r, i) {
      var y = 4 + i * rowH;
      s.appendChild(svg('text', { x: left - 6, y: y + 14, 'text-anchor': 'end' }, r.label));
      [['target', '#4a78c2', 0], ['result', '#e39b2d', 11]].forEach(function (spec) {
        var v = r[spec[0]];
        if (v === null) return;
        var w = Math.max(1, v / max * plotW);
        var bar = svg('rect', { x: left, y: y + spec[2], width: w, height: 10, fill: spec[1] });
        bar.appendChild(svg('title', {}, r.label + ' ' + spec[0] + ': ' + v.toFixed(2)));
        s.appendChild(bar);
        s.appendChild(svg('text', { x: left + w + 4, y: y + spec[2] + 9 }, v.toFixed(2)));
      });
    });
    s.appendChild(svg('rect', { x: left, y: h - 14, width: 10, height: 10, fill: '#4a78c2' }));
    s.appendChild(svg('text', { x: left + 14, y: h - 5 }, 'target'));
    s.appendChild(svg('rect', { x: left + 70, y: h - 14, width: 10, height: 10, fill: '#e39b2d' }));
    s.appendChild(svg('text', { x: left + 84, y: h - 5 }, 'result'));
    return s;
  }
  function deadlineChart(list) {
    var iDate = COLS.deadlines.indexOf('date'), counts = {};
    list.forEach(function (p) {
      p.deadlines.forEach(function (r) {
        var m = (r[iDate] || '').slice(0, 7);
        if (/^\d{4}-\d{2}$/.test(m)) counts[m] = (counts[m] || 0) + 1;
      });
    });
    var months = Object.keys(counts).sort();
    if (!months.length) return el('p', { cls: 'muted', text: 'No dated deadlines extracted.' });
    var max = Math.max.apply(null, months.map(function (m) { return counts[m]; }));
    var width = 640, h = 200, bottom = 40, top = 14, bw = Math.min(56, (width - 40) / months.length);
    var s = svg('svg', { width: width, height: h, viewBox: '0 0 ' + width + ' ' + h, role: 'img' });
    var every = Math.max(1, Math.ceil(52 / bw));  // a month label is ~50px wide
    months.forEach(function (m, i) {
      var bh = counts[m] / max * (h - bottom - top), x = 30 + i * bw;
      var bar = svg('rect', { x: x + 1, y: h - bottom - bh, width: bw - 2, height: bh, fill: '#4a78c2' });
      bar.appendChild(svg('title', {}, m + ': ' + counts[m] + ' deadline(s)'));
      s.appendChild(bar);
      s.appendChild(svg('text', { x: x + bw / 2, y: h - bottom - bh - 3, 'text-anchor': 'middle' }, String(counts[m])));
      if (i % every === 0) {
        s.appendChild(svg('text', { x: x + bw / 2, y: h - bottom + 14, 'text-anchor': 'middle' }, m));
      }
    });
    s.appendChild(svg('line', { x1: 28, x2: width, y1: h - bottom, y2: h - bottom, stroke: '#999' }));
    return s;
  }
  function renderCharts(list, scoresBox, deadlinesBox) {
    scoresBox.textContent = '';
    scoresBox.appendChild(barsChart(scoreSeries(list)));
    deadlinesBox.textContent = '';
    deadlinesBox.appendChild(deadlineChart(list));
  }

  // ------------------------------------------------------------ drill-down
  function rowsTable(name, cols, rows) {
    var head = el('tr', null, cols.map(function (c) { return el('th', { text: c }); }));
    var body = rows.map(function (r) {
      return el('tr', null, r.map(function (v, i) {
        var text = v === null || v === undefined ? '' : (v === true ? 'true' : v === false ? 'false' : String(v));
        return el('td', { cls: cols[i] === 'evidence' ? 'evidence' : '', text: text });
      }));
    });
    return el('table', { cls: 'rows', 'data-table': name }, [el('thead', null, [head]), el('tbody', null, body)]);
  }
  function failedChecks(p) {
    var box = el('div', { id: 'failed-checks' });
    var failed = CHECKS.filter(function (c) { var a = p.audit[c.name]; return a && !a[0]; });
    box.appendChild(el('h3', { text: 'Failed checks (' + failed.length + ')' }));
    failed.forEach(function (c) {
      var a = p.audit[c.name];
      var div = el('div', { cls: 'failed-check ' + c.severity, 'data-check': c.name }, [
        el('span', { cls: 'badge ' + c.severity, text: c.severity }), ' ',
        el('strong', { text: c.name }), ': ', el('span', { cls: 'detail', text: a[1] }),
        el('div', { cls: 'muted', text: c.explain })]);
      a[2].forEach(function (ev) {
        div.appendChild(el('span', { cls: 'ev', text: ev[0] + (ev[1] ? '  (page ' + ev[1] + ')' : '') }));
      });
      box.appendChild(div);
    });
    var passed = CHECKS.filter(function (c) { var a = p.audit[c.name]; return a && a[0]; });
    box.appendChild(el('details', null, [el('summary', { text: 'Passed checks (' + passed.length + ')' }),
      rowsTable('passed', ['check', 'detail', 'evidence', 'page'], passed.map(function (c) {
        var a = p.audit[c.name], ev = a[2][0] || ['', null];
        return [c.name, a[1], ev[0], ev[1]];
      }))]));
    return box;
  }
  function openPlan(id) {
    var p = byId[id], box = document.getElementById('detail');
    if (!p) return;
    state.open = id;
    box.textContent = '';
    box.setAttribute('data-doc', id);
    box.appendChild(el('h2', { text: p.name + (p.issuer ? ' \u2014 ' + p.issuer : '') }));
    box.appendChild(el('p', { text: p.title }));
    box.appendChild(failedChecks(p));
    box.appendChild(el('h3', { text: 'Document facts' }));
    box.appendChild(rowsTable('facts', ['field', 'value', 'evidence', 'page'], p.facts));
    var charts = el('div', { cls: 'charts' }, [el('figure', null, [el('figcaption', { text: 'Targets vs results' }),
      el('div', { id: 'plan-scores' })]), el('figure', null, [el('figcaption', { text: 'Deadlines' }),
      el('div', { id: 'plan-deadlines' })])]);
    box.appendChild(charts);
    renderCharts([p], charts.querySelector('#plan-scores'), charts.querySelector('#plan-deadlines'));
    Object.keys(COLS).forEach(function (name) {
      var det = el('details', { open: '' }, [el('summary', { text: name + ' (' + p[name].length + ')' })]);
      if (p[name].length) det.appendChild(rowsTable(name, COLS[name], p[name]));
      box.appendChild(det);
    });
    document.querySelectorAll('#matrix tbody tr').forEach(function (tr) {
      tr.classList.toggle('selected', tr.getAttribute('data-doc') === id);
    });
    history.replaceState(null, '', '#doc=' + id + (state.q ? '&q=' + encodeURIComponent(state.q) : ''));
  }

  // ------------------------------------------------------------ wiring
  renderHead();
  renderMatrix();
  document.querySelector('#matrix tbody').addEventListener('click', function (e) {
    var tr = e.target.closest('tr');
    if (tr) { openPlan(tr.getAttribute('data-doc')); document.getElementById('detail').scrollIntoView(); }
  });
  var timer = null;
  document.getElementById('q').addEventListener('input', function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = e.target.value; renderMatrix(); }, 150);
  });
  [['f-district', 'district'], ['f-level', 'level'], ['f-family', 'family']].forEach(function (f) {
    document.getElementById(f[0]).addEventListener('change', function (e) { state[f[1]] = e.target.value; renderMatrix(); });
  });
  document.getElementById('f-failing').addEventListener('change', function (e) {
    state.failing = e.target.checked; renderMatrix();
  });
  // the hash keeps a view shareable: #doc=<doc_id> opens a plan, #q=<text> pre-fills the search
  var hash = {};
  location.hash.slice(1).split('&').forEach(function (kv) {
    var i = kv.indexOf('=');
    if (i > 0) hash[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
  });
  if (hash.q) { document.getElementById('q').value = hash.q; state.q = hash.q; renderMatrix(); }
  if (hash.doc) openPlan(hash.doc);
  // time from navigation start to a rendered page, for the scale test and curious readers
  document.body.setAttribute('data-render-ms', String(Math.round(performance.now())));
})();
