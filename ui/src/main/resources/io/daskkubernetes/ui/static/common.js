'use strict';
// Shared by both pages: JSON from the console's own API (the session cookie goes along).
const consoleApi = {
  async get(path) {
    const response = await fetch(path, { credentials: 'same-origin' });
    if (!response.ok) {
      throw new Error(path + ' answered ' + response.status + ': ' + (await response.text()));
    }
    return response.json();
  },
  async post(path, body, csrf) {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Dask-Console-CSRF': csrf },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(text.trim() || response.status);
    }
    return text;
  },
  age(seconds) {
    if (seconds === null || seconds === undefined) return '';
    if (seconds < 120) return seconds + ' s';
    if (seconds < 7200) return Math.floor(seconds / 60) + ' min';
    if (seconds < 172800) return Math.floor(seconds / 3600) + ' h';
    return Math.floor(seconds / 86400) + ' d';
  },
  text(value) {
    return value === null || value === undefined ? '–' : String(value);
  },
  // The scheduler's address as the console asks it, and how it gets there (e.g. "port-forward").
  scheduler(c) {
    const address = consoleApi.text(c.schedulerAddress);
    return c.schedulerReachedBy ? address + ' (' + c.schedulerReachedBy + ')' : address;
  },
  cell(row, value, className) {
    const td = document.createElement('td');
    if (value instanceof Node) td.appendChild(value); else td.textContent = value;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  },
  bytes(n) {
    if (!n) return '0';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return n.toFixed(i === 0 ? 0 : 1) + ' ' + units[i];
  },
};
