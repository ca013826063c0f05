'use strict';
// The clusters page: one table, refreshed at the sampling interval from /api/clusters.
(function () {
  let refreshMillis = 2000;

  function link(cluster) {
    const a = document.createElement('a');
    const query = new URLSearchParams({ kind: cluster.kind, namespace: cluster.namespace, name: cluster.name });
    a.href = '/cluster.html?' + query;
    a.textContent = cluster.name;
    return a;
  }

  function problems(list) {
    const ul = document.createElement('ul');
    for (const problem of list) {
      const li = document.createElement('li');
      li.textContent = problem;
      ul.appendChild(li);
    }
    return ul;
  }

  function render(fleet) {
    document.getElementById('mode').textContent = fleet.allowScaling ? 'scaling allowed' : 'read-only';
    const body = document.querySelector('#clusters tbody');
    body.replaceChildren();
    for (const c of fleet.clusters) {
      const row = document.createElement('tr');
      row.dataset.cluster = c.namespace + '/' + c.name;
      row.dataset.kind = c.kind;
      consoleApi.cell(row, link(c));
      consoleApi.cell(row, c.kind);
      consoleApi.cell(row, c.namespace);
      consoleApi.cell(row, c.phase, 'phase');
      consoleApi.cell(row, consoleApi.text(c.registered) + ' / ' + c.pods + ' / ' + consoleApi.text(c.desired), 'counts');
      consoleApi.cell(row, c.adaptMinimum === null ? 'no' : c.adaptMinimum + '–' + c.adaptMaximum);
      consoleApi.cell(row, consoleApi.age(c.ageSeconds));
      consoleApi.cell(row, consoleApi.scheduler(c), 'scheduler');
      consoleApi.cell(row, c.problems.length ? problems(c.problems) : 'none', c.problems.length ? 'problems' : 'ok');
      body.appendChild(row);
    }
    document.getElementById('empty').hidden = fleet.clusters.length > 0;
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  }

  async function refresh() {
    try {
      const fleet = await consoleApi.get('/api/clusters');
      refreshMillis = Math.max(500, fleet.samplingMillis);
      render(fleet);
      document.getElementById('error').hidden = true;
    } catch (e) {
      const error = document.getElementById('error');
      error.textContent = String(e.message || e);
      error.hidden = false;
    }
    setTimeout(refresh, refreshMillis);
  }

  refresh();
})();
