// The stats panel's page (bundled on its own by scripts/build.mjs): it draws
// what the extension sends (views/statsSeries.ts computes every figure and
// point) and asks for a reconnect when the user clicks the button.
import { CHART_HEIGHT, CHART_WIDTH, type Chart, type StatsPanelRequest, type StatsPanelUpdate } from '../views/statsSeries';

declare function acquireVsCodeApi(): { postMessage(message: StatsPanelRequest): void };

const host = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const title = byId('container');
const status = byId('status');
const updated = byId('updated');
const reconnect = byId<HTMLButtonElement>('reconnect');
const charts = byId('charts');

interface ChartElements {
  figure: HTMLElement;
  detail: HTMLElement;
  scale: HTMLElement;
  lines: SVGPolylineElement[];
}
const drawn = new Map<string, ChartElements>();

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: Element): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  created.className = className;
  parent.append(created);
  return created;
}

/** A chart's card, made the first time the chart is drawn. */
function card(chart: Chart): ChartElements {
  const section = element('section', 'chart', charts);
  section.dataset.chart = chart.id;
  const heading = element('h2', '', section);
  heading.textContent = chart.title;
  const figure = element('div', 'figure', section);
  const detail = element('div', 'detail', section);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${chart.title} over the last minute`);
  section.append(svg);
  const lines = chart.lines.map((_line, index) => {
    const polyline = document.createElementNS(SVG, 'polyline');
    polyline.setAttribute('class', `line line-${index}`);
    polyline.setAttribute('vector-effect', 'non-scaling-stroke');
    svg.append(polyline);
    return polyline;
  });
  const legend = element('div', 'legend', section);
  const scale = element('span', 'scale', legend);
  for (const [index, line] of chart.lines.entries()) {
    if (chart.lines.length === 1) break;
    const key = element('span', `key key-${index}`, legend);
    key.textContent = line.label;
  }
  return { figure, detail, scale, lines };
}

function draw(update: StatsPanelUpdate): void {
  title.textContent = update.container;
  status.textContent = update.status.text;
  status.classList.toggle('stopped', !update.status.live);
  reconnect.hidden = update.status.live;
  const { time, pids } = update.picture;
  const processes = pids === undefined ? '' : ` · ${pids} process${pids === 1 ? '' : 'es'}`;
  updated.textContent = time ? `sample of ${new Date(time).toLocaleTimeString()}${processes}` : '';
  for (const chart of update.picture.charts) {
    let elements = drawn.get(chart.id);
    if (!elements) drawn.set(chart.id, (elements = card(chart)));
    elements.figure.textContent = chart.figure;
    elements.detail.textContent = chart.detail;
    elements.scale.textContent = `top: ${chart.scale}`;
    chart.lines.forEach((line, index) => elements.lines[index]?.setAttribute('points', line.points));
  }
}

window.addEventListener('message', (event: MessageEvent<StatsPanelUpdate>) => {
  if (event.data?.kind === 'update') draw(event.data);
});
reconnect.addEventListener('click', () => host.postMessage({ kind: 'reconnect' }));
host.postMessage({ kind: 'ready' });
