'use strict';
// The cluster page: summary, problems, chart, workers joined with pods, decisions, events, logs,
// and, when the console allows scaling, the scale and adapt controls.
(function () {
  const params = new URLSearchParams(location.search);
  const key = { kind: params.get('kind'), namespace: params.get('namespace'), name: params.get('name') };
  const detailPath = '/api/cluster?' + new URLSearchParams(key);
  // What tests and curious users can read: the chart's own data, as uPlot holds it
  // (chart.data: times, pods, registered workers, desired, unfinished tasks).
  window.daskConsole = { chart: null, detail: null };
  let session = { allowScaling: false };
  let refreshMillis = 2000;
  let logController = null;
  let logPod = null;

  function makeChart() {
    const element = document.getElementById('chart');
    const options = {
      width: Math.max(400, element.clientWidth || 900),
      height: 260,
      scales: { x: { time: true }, workers: { range: (u, min, max) => [0, Math.max(4, max + 1)] }, tasks: {} },
      axes: [
        {},
        { scale: 'workers', label: 'workers' },
        { scale: 'tasks', label: 'unfinished tasks', side: 1, grid: { show: false } },
      ],
      series: [
        {},
        { label: 'pods', scale: 'workers', stroke: '#0366d6', width: 2 },
        { label: 'registered workers', scale: 'workers', stroke: '#28a745', width: 2 },
        // drawn over the other two, dashed, so that it shows where they agree with it
        { label: 'desired', scale: 'workers', stroke: '#6f42c1', dash: [6, 4], width: 2 },
        { label: 'unfinished tasks', scale: 'tasks', stroke: '#e36209', width: 1 },
      ],
    };
    return new uPlot(options, [[], [], [], [], []], element);
  }

  function renderSummary(c) {
    document.getElementById('title').textContent = c.name;
    document.title = c.name + ' · Dask cluster';
    const summary = document.getElementById('summary');
    summary.replaceChildren();
    const facts = [
      ['Kind', c.kind], ['Namespace', c.namespace], ['Phase', c.phase],
      ['Workers (Dask / pods / desired)', consoleApi.text(c.registered) + ' / ' + c.pods + ' / ' + consoleApi.text(c.desired)],
      ['Adaptive', c.adaptMinimum === null ? 'no' : c.adaptMinimum + '–' + c.adaptMaximum],
      ['Age', consoleApi.age(c.ageSeconds)], ['Scheduler', consoleApi.scheduler(c)],
    ];
    for (const [label, value] of facts) {
      const span = document.createElement('span');
      span.textContent = label + ': ' + value;
      span.dataset.fact = label;
      summary.appendChild(span);
    }
    const problems = document.getElementById('problems');
    problems.replaceChildren();
    for (const problem of c.problems) {
      const li = document.createElement('li');
      li.textContent = problem;
      problems.appendChild(li);
    }
  }

  function renderWorkers(workers) {
    const body = document.querySelector('#workers tbody');
    body.replaceChildren();
    for (const w of workers) {
      const row = document.createElement('tr');
      row.dataset.pod = w.pod || '';
      consoleApi.cell(row, consoleApi.text(w.pod));
      consoleApi.cell(row, consoleApi.text(w.phase), 'phase');
      consoleApi.cell(row, String(w.restarts));
      consoleApi.cell(row, consoleApi.text(w.note), 'note');
      consoleApi.cell(row, consoleApi.text(w.daskStatus), 'dask-status');
      consoleApi.cell(row, consoleApi.text(w.address));
      consoleApi.cell(row, consoleApi.bytes(w.memoryBytes) + (w.memoryLimit ? ' of ' + consoleApi.bytes(w.memoryLimit) : ''));
      consoleApi.cell(row, String(w.processing));
      if (w.pod) {
        const button = document.createElement('button');
        button.textContent = 'log';
        button.addEventListener('click', () => showLog(w.pod));
        consoleApi.cell(row, button);
      } else {
        consoleApi.cell(row, '');
      }
      body.appendChild(row);
    }
  }

  function renderDecisions(decisions) {
    const list = document.getElementById('decisions');
    list.replaceChildren();
    for (const d of decisions.slice().reverse()) {
      const li = document.createElement('li');
      li.textContent = new Date(d.time).toLocaleTimeString() + ' ' + d.text;
      list.appendChild(li);
    }
  }

  function renderEvents(events) {
    const body = document.querySelector('#events tbody');
    body.replaceChildren();
    for (const e of events.slice().reverse()) {
      const row = document.createElement('tr');
      consoleApi.cell(row, e.time ? new Date(e.time).toLocaleTimeString() : '');
      consoleApi.cell(row, consoleApi.text(e.type), e.type === 'Warning' ? 'problem' : '');
      consoleApi.cell(row, consoleApi.text(e.reason));
      consoleApi.cell(row, e.object);
      consoleApi.cell(row, consoleApi.text(e.message));
      consoleApi.cell(row, String(e.count));
      body.appendChild(row);
    }
  }

  function renderControls(detail) {
    document.getElementById('mode').textContent = session.allowScaling ? 'scaling allowed' : 'read-only';
    const controls = document.getElementById('controls');
    const scale = document.getElementById('scale-form');
    const adapt = document.getElementById('adapt-form');
    // Without --allow-scaling the controls are not on the page at all.
    if (!session.allowScaling) {
      controls.remove();
    } else {
      controls.hidden = !(detail.canScale || detail.canAdapt);
      scale.hidden = !detail.canScale;
      adapt.hidden = !detail.canAdapt;
    }
    document.getElementById('control-note').textContent = detail.scaleNote || '';
  }

  async function submit(path, body) {
    const result = document.getElementById('control-result');
    try {
      await consoleApi.post(path, Object.assign({}, key, body), session.csrf);
      result.textContent = 'requested; the chart and the decisions show what comes of it';
    } catch (e) {
      result.textContent = 'refused: ' + (e.message || e);
    }
  }

  function wireControls() {
    if (!session.allowScaling) return;
    document.getElementById('scale-form').addEventListener('submit', (event) => {
      event.preventDefault();
      submit('/api/scale', { workers: Number(document.getElementById('scale-workers').value) });
    });
    document.getElementById('adapt-form').addEventListener('submit', (event) => {
      event.preventDefault();
      submit('/api/adapt', {
        minimum: Number(document.getElementById('adapt-minimum').value),
        maximum: Number(document.getElementById('adapt-maximum').value),
      });
    });
  }

  async function showLog(pod) {
    if (logController) logController.abort();
    logController = new AbortController();
    logPod = pod;
    const pre = document.getElementById('log');
    pre.textContent = '';
    document.getElementById('log-pod').textContent = pod;
    const follow = document.getElementById('log-follow').checked;
    const query = new URLSearchParams({ namespace: key.namespace, pod: pod, follow: String(follow) });
    try {
      const response = await fetch('/api/logs?' + query, { signal: logController.signal, credentials: 'same-origin' });
      if (!response.ok) { pre.textContent = await response.text(); return; }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        pre.textContent += decoder.decode(value, { stream: true });
        pre.scrollTop = pre.scrollHeight;
      }
    } catch (e) {
      if (e.name !== 'AbortError') pre.textContent += '\n[' + (e.message || e) + ']';
    }
  }

  async function refresh() {
    try {
      const detail = await consoleApi.get(detailPath);
      window.daskConsole.detail = detail;
      renderSummary(detail.cluster);
      renderControls(detail);
      renderWorkers(detail.workers);
      renderDecisions(detail.decisions);
      renderEvents(detail.events);
      const h = detail.history;
      if (!window.daskConsole.chart) window.daskConsole.chart = makeChart();
      window.daskConsole.chart.setData([h.t, h.pods, h.registered, h.desired, h.backlog]);
      document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      if (logPod === null) {
        const first = detail.workers.find((w) => w.pod);
        if (first) showLog(first.pod);
      }
    } catch (e) {
      document.getElementById('problems').textContent = String(e.message || e);
    }
    setTimeout(refresh, refreshMillis);
  }

  async function start() {
    session = await consoleApi.get('/api/session');
    refreshMillis = Math.max(500, session.samplingMillis || 2000);
    wireControls();
    refresh();
  }

  start();
})();
