// The dashboard page's script, inlined into index.html: vanilla JavaScript (no library, no
// network), hand-written SVG. It reads the data from <script id="perfgate-data">, builds the
// filters and one card per benchmark, and draws a card's chart only when it scrolls into view
// (IntersectionObserver), so 200 runs × many benchmarks open quickly. The time from navigation to
// the first drawn chart is kept in window.perfgateDashboard.firstChartMs.
// Kept free of template literals so that it can live in this TypeScript string as it is.
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('perfgate-data').textContent);
  var state = { branch: data.defaultBranch, suite: '', query: '', bench: '' };
  var stats = { firstChartMs: null, drawn: 0 };
  window.perfgateDashboard = stats;
  var SVG = 'http://www.w3.org/2000/svg';
  var GRADE_COLORS = { 'A+': '#1a7f37', A: '#2da44e', 'A-': '#6cc644', B: '#d4a72c', C: '#e16f24', D: '#cf222e', F: '#82071e' };
  var STEP_COLORS = { critical: '#82071e', major: '#cf222e', minor: '#e16f24', improvement: '#1a7f37', shift: '#6e7781' };
  var $ = function (sel) { return document.querySelector(sel); };

  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function sha(run) { return run && run.commit ? run.commit.slice(0, 7) : ''; }
  function day(run) { return run ? run.startedAt.slice(0, 10) : ''; }
  function runText(run) { return run ? (sha(run) ? sha(run) + ' (' + day(run) + ')' : day(run)) : 'an unknown run'; }
  function commitLink(run) {
    if (!run) return esc('an unknown run');
    if (data.commitUrl && run.commit && /^[0-9a-f]{7,64}$/i.test(run.commit)) {
      var url = data.commitUrl.split('{commit}').join(encodeURIComponent(run.commit));
      if (/^https?:\/\//i.test(url)) return '<a href="' + esc(url) + '">' + esc(sha(run)) + '</a> (' + esc(day(run)) + ')';
    }
    return esc(runText(run));
  }

  // Units: times in ns shown in ns/µs/ms/s, bytes in B/KiB/MiB/GiB; the scale follows the series' typical value.
  var SCALES = {
    ns: [[1, 'ns'], [1e3, 'µs'], [1e6, 'ms'], [1e9, 's']],
    us: [[1, 'µs'], [1e3, 'ms'], [1e6, 's']],
    ms: [[1, 'ms'], [1e3, 's']],
    B: [[1, 'B'], [1024, 'KiB'], [1048576, 'MiB'], [1073741824, 'GiB']]
  };
  function scaleFor(unit, typical) {
    var steps = SCALES[unit];
    if (!steps) return { f: 1, unit: unit };
    var best = steps[0];
    for (var i = 0; i < steps.length; i++) if (Math.abs(typical) >= steps[i][0]) best = steps[i];
    return { f: best[0], unit: best[1] };
  }
  function num(v) {
    var a = Math.abs(v);
    return a >= 1000 ? Math.round(v).toLocaleString('en-US') : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  }
  function fmt(v, sc) { return v === null || v === undefined ? '–' : num(v / sc.f) + ' ' + sc.unit; }
  function pct(x) { return (x >= 0 ? '+' : '') + (x * 100).toFixed(1) + '%'; }

  function branch() {
    for (var i = 0; i < data.branches.length; i++) if (data.branches[i].name === state.branch) return data.branches[i];
    return data.branches[0];
  }
  function visible(b) {
    if (state.bench) return b.id === state.bench;
    if (state.suite && b.suite !== state.suite) return false;
    if (state.query && b.id.toLowerCase().indexOf(state.query.toLowerCase()) < 0) return false;
    return true;
  }

  // One line chart: the medians as a line with a point per run, the 95% intervals as a band,
  // the change points as vertical lines. Returns the SVG markup.
  function lineChart(opts) {
    var W = opts.width, H = opts.height, L = 64, R = 10, T = 10, B = 22;
    var runs = opts.runs, n = runs.length;
    var ys = [];
    for (var i = 0; i < n; i++) {
      if (opts.values[i] !== null) ys.push(opts.values[i]);
      if (opts.lo && opts.lo[i] !== null) ys.push(opts.lo[i]);
      if (opts.hi && opts.hi[i] !== null) ys.push(opts.hi[i]);
    }
    if (!ys.length) return '<svg xmlns="' + SVG + '" class="chart" width="' + W + '" height="' + H + '" role="img"><text x="' + L + '" y="' + H / 2 + '" class="empty">no values</text></svg>';
    var lo = Math.min.apply(null, ys), hi = Math.max.apply(null, ys);
    if (hi === lo) { hi = hi === 0 ? 1 : hi * 1.05; lo = lo * 0.95; }
    var pad = (hi - lo) * 0.08; lo -= pad; hi += pad;
    var sc = scaleFor(opts.unit, ys[ys.length - 1]);
    var x = function (j) { return L + (n <= 1 ? (W - L - R) / 2 : (j * (W - L - R)) / (n - 1)); };
    var y = function (v) { return T + (H - T - B) * (1 - (v - lo) / (hi - lo)); };
    var out = ['<svg xmlns="' + SVG + '" class="chart" viewBox="0 0 ' + W + ' ' + H + '" width="' + W + '" height="' + H + '" role="img" aria-label="' + esc(opts.label) + '">'];
    for (var t = 0; t <= 3; t++) {
      var v = lo + ((hi - lo) * t) / 3, yy = y(v).toFixed(1);
      out.push('<line class="grid" x1="' + L + '" x2="' + (W - R) + '" y1="' + yy + '" y2="' + yy + '"/><text class="tick" x="' + (L - 4) + '" y="' + yy + '" text-anchor="end" dominant-baseline="middle">' + esc(fmt(v, sc)) + '</text>');
    }
    out.push('<text class="tick" x="' + L + '" y="' + (H - 6) + '">' + esc(day(runs[0])) + '</text><text class="tick" x="' + (W - R) + '" y="' + (H - 6) + '" text-anchor="end">' + esc(day(runs[n - 1])) + '</text>');
    // Band: one polygon per stretch of runs that have an interval.
    if (opts.lo && opts.hi) {
      var seg = [];
      var flush = function () {
        if (seg.length) {
          var top = seg.map(function (j) { return x(j).toFixed(1) + ',' + y(opts.hi[j]).toFixed(1); });
          var bottom = seg.slice().reverse().map(function (j) { return x(j).toFixed(1) + ',' + y(opts.lo[j]).toFixed(1); });
          out.push('<polygon class="band" points="' + top.concat(bottom).join(' ') + '"/>');
        }
        seg = [];
      };
      for (i = 0; i < n; i++) { if (opts.lo[i] !== null && opts.hi[i] !== null && opts.values[i] !== null) seg.push(i); else flush(); }
      flush();
    }
    (opts.steps || []).forEach(function (s) {
      var xs = ((s.prev !== undefined ? x(s.prev) : x(s.at)) + x(s.at)) / 2;
      out.push('<line class="step" stroke="' + (STEP_COLORS[s.kind] || '#6e7781') + '" x1="' + xs.toFixed(1) + '" x2="' + xs.toFixed(1) + '" y1="' + T + '" y2="' + (H - B) + '"><title>' + esc(s.kind + ' ' + pct(s.worse) + ' worse at ' + runText(runs[s.at])) + '</title></line>');
    });
    var pts = [];
    for (i = 0; i < n; i++) if (opts.values[i] !== null) pts.push(x(i).toFixed(1) + ',' + y(opts.values[i]).toFixed(1));
    out.push('<polyline class="line" points="' + pts.join(' ') + '"/>');
    for (i = 0; i < n; i++) {
      if (opts.values[i] === null) continue;
      var tip = runText(runs[i]) + ': ' + fmt(opts.values[i], sc);
      if (opts.lo && opts.lo[i] !== null) tip += ' [' + fmt(opts.lo[i], sc) + ', ' + fmt(opts.hi[i], sc) + ']';
      var g = opts.grades && opts.grades[i];
      if (g) tip += ' · grade ' + g;
      out.push('<circle class="pt" data-run="' + i + '" cx="' + x(i).toFixed(1) + '" cy="' + y(opts.values[i]).toFixed(1) + '" r="' + (n > 120 ? 1.8 : 2.5) + '"' + (g && g !== 'A' && g !== 'A-' ? ' style="fill:' + GRADE_COLORS[g] + '"' : '') + '><title>' + esc(tip) + '</title></circle>');
    }
    out.push('</svg>');
    return out.join('');
  }

  function markDrawn() {
    stats.drawn++;
    if (stats.firstChartMs === null) {
      stats.firstChartMs = performance.now();
      document.documentElement.setAttribute('data-first-chart-ms', stats.firstChartMs.toFixed(1));
    }
  }

  function drawCard(card) {
    if (card.getAttribute('data-drawn')) return;
    card.setAttribute('data-drawn', '1');
    var br = branch(), b = br.benchmarks[Number(card.getAttribute('data-index'))];
    var detail = state.bench === b.id;
    var holder = card.querySelector('.plot');
    var width = detail ? Math.max(480, Math.min(1100, document.body.clientWidth - 48)) : 440;
    holder.innerHTML = lineChart({ runs: br.runs, values: b.median, lo: b.lo, hi: b.hi, steps: b.steps, grades: b.grades, unit: b.unit, width: width, height: detail ? 280 : 170, label: b.id + ': median per run with 95% interval' });
    if (detail) {
      b.metrics.forEach(function (m) {
        var box = el('div', { class: 'metric' });
        box.appendChild(el('h4', null, m.label));
        box.insertAdjacentHTML('beforeend', lineChart({ runs: br.runs, values: m.values, unit: m.unit, width: Math.min(540, width), height: 150, label: b.id + ': ' + m.label }));
        card.querySelector('.metrics').appendChild(box);
      });
    }
    markDrawn();
  }

  var observer = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { if (e.isIntersecting) { observer.unobserve(e.target); drawCard(e.target); } });
  }, { rootMargin: '300px 0px' }) : null;

  function stepsTable(b, runs) {
    if (!b.steps.length) return '<p class="muted">No change points in this series.</p>';
    var sc = scaleFor(b.unit, b.median.filter(function (v) { return v !== null; }).slice(-1)[0] || 1);
    var rows = b.steps.map(function (s) {
      return '<tr class="step-row"><td><span class="kind" style="background:' + (STEP_COLORS[s.kind] || '#6e7781') + '">' + esc(s.kind) + '</span>' + (s.recovered ? ' recovered' : '') + '</td><td>' + pct(s.worse) + ' worse</td><td>' + esc(fmt(s.before, sc)) + ' → ' + esc(fmt(s.after, sc)) + '</td><td>' + commitLink(runs[s.prev]) + '</td><td>' + commitLink(runs[s.at]) + '</td><td>' + s.p.toExponential(1) + '</td></tr>';
    });
    return '<table class="steps"><thead><tr><th>change</th><th>size</th><th>level</th><th>last run before</th><th>first run after</th><th>p</th></tr></thead><tbody>' + rows.join('') + '</tbody></table>';
  }

  function card(b, index, runs) {
    var c = el('article', { class: 'card', 'data-id': b.id, 'data-index': String(index) });
    var last = null, lastGrade = null;
    for (var i = runs.length - 1; i >= 0; i--) if (b.median[i] !== null) { last = b.median[i]; lastGrade = b.grades[i]; break; }
    var sc = scaleFor(b.unit, last || 1);
    var head = el('header');
    var a = el('a', { href: '#bench=' + encodeURIComponent(b.id) + '&branch=' + encodeURIComponent(state.branch), class: 'bench-link' }, b.name);
    head.appendChild(a);
    var meta = el('span', { class: 'meta' });
    meta.textContent = 'latest ' + fmt(last, sc) + (b.direction === 'higher' ? ' (higher is better)' : '');
    if (lastGrade) meta.insertAdjacentHTML('beforeend', ' <span class="grade" style="background:' + GRADE_COLORS[lastGrade] + '">' + esc(lastGrade) + '</span>');
    if (b.steps.length) meta.insertAdjacentHTML('beforeend', ' <span class="nsteps">' + b.steps.length + ' change point' + (b.steps.length === 1 ? '' : 's') + '</span>');
    head.appendChild(meta);
    c.appendChild(head);
    c.appendChild(el('div', { class: 'plot' }));
    if (state.bench === b.id) {
      c.classList.add('detail');
      c.insertAdjacentHTML('beforeend', '<div class="metrics"></div><h3>Change points</h3>' + stepsTable(b, runs));
    }
    return c;
  }

  function gradeStrip(br) {
    var n = br.runs.length, W = 900, H = 26, w = Math.max(1, (W - 2) / Math.max(1, n));
    var out = ['<svg xmlns="' + SVG + '" class="grades" viewBox="0 0 ' + W + ' ' + H + '" width="100%" height="' + H + '" preserveAspectRatio="none" role="img" aria-label="grade of each run">'];
    br.runs.forEach(function (r, i) {
      out.push('<rect class="run-grade" x="' + (1 + i * w).toFixed(2) + '" y="2" width="' + Math.max(0.5, w - 0.6).toFixed(2) + '" height="' + (H - 4) + '" fill="' + (r.grade ? GRADE_COLORS[r.grade] : '#d0d7de') + '"><title>' + esc(runText(r) + ': ' + (r.grade ? 'grade ' + r.grade : 'not graded')) + '</title></rect>');
    });
    out.push('</svg>');
    return out.join('');
  }

  function render() {
    var br = branch();
    var main = $('#cards');
    main.textContent = '';
    if (!br) { main.appendChild(el('p', { class: 'muted' }, 'No saved runs.')); return; }
    var suiteSel = $('#suite');
    var suites = [];
    br.benchmarks.forEach(function (b) { if (suites.indexOf(b.suite) < 0) suites.push(b.suite); });
    suiteSel.textContent = '';
    suiteSel.appendChild(el('option', { value: '' }, 'all suites'));
    suites.forEach(function (s) { var o = el('option', { value: s }, s); if (s === state.suite) o.selected = true; suiteSel.appendChild(o); });
    var graded = br.runs.filter(function (r) { return r.grade; }).length;
    $('#runs').innerHTML = '<h2>Runs on ' + esc(br.name) + '</h2><p class="muted">' + br.runs.length + ' runs, ' + esc(day(br.runs[0])) + ' to ' + esc(day(br.runs[br.runs.length - 1])) + '; each run graded against the median of the runs before it (' + graded + ' graded).</p>' + gradeStrip(br);
    var shown = 0, bySuite = {};
    br.benchmarks.forEach(function (b, i) {
      if (!visible(b)) return;
      shown++;
      if (!bySuite[b.suite]) {
        var sec = el('section', { class: 'suite', 'data-suite': b.suite });
        sec.appendChild(el('h2', null, b.suite));
        sec.appendChild(el('div', { class: 'grid' }));
        main.appendChild(sec);
        bySuite[b.suite] = sec.querySelector('.grid');
      }
      var c = card(b, i, br.runs);
      bySuite[b.suite].appendChild(c);
      if (observer) observer.observe(c); else drawCard(c);
    });
    $('#count').textContent = shown + ' of ' + br.benchmarks.length + ' benchmarks';
    $('#all').hidden = !state.bench;
    if (state.bench && !shown) main.appendChild(el('p', { class: 'muted' }, 'No benchmark ' + state.bench + ' on branch ' + br.name + '.'));
  }

  function readHash() {
    var h = location.hash.replace(/^#/, '');
    state.bench = '';
    h.split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i < 0) return;
      var k = kv.slice(0, i), v;
      try { v = decodeURIComponent(kv.slice(i + 1)); } catch (e) { return; }
      if (k === 'bench') state.bench = v;
      if (k === 'branch' && data.branches.some(function (b) { return b.name === v; })) state.branch = v;
      if (k === 'suite') state.suite = v;
    });
    $('#branch').value = state.branch;
  }

  function init() {
    document.title = data.title;
    $('#title').textContent = data.title;
    $('#source').textContent = data.source + ' · generated ' + data.generatedAt.slice(0, 16).replace('T', ' ') + ' UTC';
    var bs = $('#branch');
    data.branches.forEach(function (b) { bs.appendChild(el('option', { value: b.name }, b.name + ' (' + b.runs.length + ' runs)')); });
    data.notices.forEach(function (n) { $('#notices').appendChild(el('p', { class: 'notice' }, n)); });
    bs.addEventListener('change', function () { state.branch = bs.value; state.bench = ''; history.replaceState(null, '', '#branch=' + encodeURIComponent(state.branch)); render(); });
    $('#suite').addEventListener('change', function (e) { state.suite = e.target.value; render(); });
    $('#q').addEventListener('input', function (e) { state.query = e.target.value; render(); });
    $('#all').addEventListener('click', function () { history.replaceState(null, '', location.pathname + location.search); state.bench = ''; render(); });
    window.addEventListener('hashchange', function () { readHash(); render(); window.scrollTo(0, 0); });
    readHash();
    render();
  }
  init();
})();
`;
