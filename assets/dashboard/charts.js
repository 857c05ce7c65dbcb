// The Overview's charts: requests, tokens, failovers and errors over the last hour, day or week,
// one line per bucket or client, drawn with uPlot (served by switchyard from node_modules).
import { element, fetchData } from './common.js';

const container = document.getElementById('charts');
const rangeSelect = document.getElementById('series-range');
const bySelect = document.getElementById('series-by');
const measures = [
  ['requests', 'Requests'],
  ['tokens', 'Tokens'],
  ['failovers', 'Failovers'],
  ['errors', 'Errors'],
];
const palette = ['#0969da', '#1a7f37', '#bf8700', '#cf222e', '#8250df', '#1b7c83', '#bc4c00', '#6e7781'];
let shownKey = '';
let plots = [];
let fetchedAt = Number.NEGATIVE_INFINITY;
/** The charts change by the minute: fetched every few seconds, at once when the choice changes. */
const refetchMs = 5000;

function options(title, names, width) {
  return {
    title,
    width,
    height: 180,
    series: [{}, ...names.map((name, index) => ({ label: name, stroke: palette[index % palette.length], width: 1.5 }))],
    axes: [{}, { size: 60 }],
    legend: { show: true },
  };
}

function draw(view) {
  const names = view.series.map((series) => series.name);
  const key = `${view.range}|${view.by}|${names.join(',')}`;
  if (key !== shownKey) {
    for (const plot of plots) plot.destroy();
    plots = [];
    container.replaceChildren();
    shownKey = key;
    if (names.length === 0) {
      container.appendChild(element('p', 'muted', `No traffic in the last ${view.range} yet.`));
      return;
    }
    for (const [measure, title] of measures) {
      const figure = element('figure', 'chart');
      figure.dataset.measure = measure;
      figure.setAttribute('aria-label', `${title} per ${view.by}, last ${view.range}`);
      container.appendChild(figure);
      // The grid (dashboard.css) decides the columns: one on a narrow screen, two or four on wide ones.
      const width = figure.clientWidth || 480;
      const data = [view.times, ...view.series.map((series) => series[measure])];
      plots.push(new window.uPlot(options(`${title} per ${view.by}`, names, width), data, figure));
    }
    return;
  }
  measures.forEach(([measure], index) => {
    plots[index]?.setData([view.times, ...view.series.map((series) => series[measure])]);
  });
}

/** Charts follow their grid cells when the window changes size. */
function fit() {
  for (const plot of plots) plot.setSize({ width: plot.root.parentElement.clientWidth || 480, height: 180 });
}

export const chartsView = {
  start(poll) {
    let pending = null;
    window.addEventListener('resize', () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(fit);
    });
    const changed = () => {
      fetchedAt = Number.NEGATIVE_INFINITY;
      poll();
    };
    rangeSelect.addEventListener('change', changed);
    bySelect.addEventListener('change', changed);
  },
  async refresh() {
    if (window.uPlot === undefined || performance.now() - fetchedAt < refetchMs) return;
    fetchedAt = performance.now();
    draw(await fetchData(`/dashboard/data/series?range=${rangeSelect.value}&by=${bySelect.value}`));
  },
};
