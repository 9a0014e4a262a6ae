import type { ComposeCheckFinding } from '../check';
import { serviceReferences, serviceReferenceSets, servicesOf, type ServiceInfo, type ServiceReference, type ServiceReferenceSet } from '../model';
import type { ComposeProject } from '../project';
import { defineCheck } from './_shared';

const MAX_CYCLES = 100;
const MAX_STEPS = 200_000;

export const DependencyCycle = defineCheck({
  id: 'dependency-cycle',
  severity: 'error',
  summary: 'Services depend on each other in a circle.',
  docs: `Compose starts a service after the services it depends on, so dependencies must not form a circle; it stops with "dependency cycle detected". Dependencies come from \`depends_on\`, \`links\`, \`volumes_from\`, \`network_mode\`/\`ipc\`/\`pid: service:x\` and \`build.additional_contexts: service:x\`, and \`extends\` must not come back to the service either (a service extending itself, or a base that leads back to it, is a circular reference). Each cycle is reported once, on the dependency that leaves its first service (in file order), with the whole circle in the message. Break the circle, for example by replacing a \`depends_on\` with a healthcheck-based retry in the application.`,
  examples: {
    fire: [
      'services:\n  a:\n    image: app\n    depends_on: [b]\n  b:\n    image: app\n    depends_on: [a]\n',
      'services:\n  web:\n    image: nginx\n    depends_on: [web]\n',
      'services:\n  a:\n    image: app\n    links: [b]\n  b:\n    image: app\n    volumes_from: [c]\n  c:\n    image: app\n    network_mode: service:a\n',
      'services:\n  a:\n    extends: b\n    image: app\n  b:\n    extends: a\n',
    ],
    pass: [
      'services:\n  a:\n    image: app\n    depends_on: [b, c]\n  b:\n    image: app\n    depends_on: [c]\n  c:\n    image: app\n',
      'services:\n  base:\n    image: app\n  web:\n    extends: base\n    depends_on: [db]\n  db:\n    image: postgres\n',
    ],
  },
  check(context, report) {
    const project = context.project;
    const declared = servicesOf(project.model);
    const sets = serviceReferenceSets(project);
    // After a keystroke the graph is usually the one checked last: when that had no cycle, neither has this one.
    if (project.extends.length === 0 && lastQuiet && sameGraph(lastQuiet, declared, sets)) {
      lastQuiet = { declared, sets };
      return;
    }
    lastQuiet = undefined;
    let reported = false;
    const reportCycle: typeof report = (finding) => {
      reported = true;
      report(finding);
    };
    findCycles(project, declared, sets, reportCycle);
    if (!reported && project.extends.length === 0) lastQuiet = { declared, sets };
  },
});

/** The services and reference sets of the last project checked, when it had no cycle. */
let lastQuiet: { declared: readonly ServiceInfo[]; sets: readonly (ServiceReferenceSet | undefined)[] } | undefined;

/** Whether the services (by name, in order) and the services each refers to (in order) are those of `last`. */
function sameGraph(last: NonNullable<typeof lastQuiet>, declared: readonly ServiceInfo[], sets: readonly (ServiceReferenceSet | undefined)[]): boolean {
  if (last.declared.length !== declared.length) return false;
  for (let i = 0; i < declared.length; i++) {
    if (last.declared[i]!.name !== declared[i]!.name) return false;
    const a = last.sets[i];
    const b = sets[i];
    if (a === b) continue;
    if (!a || !b || a.services.length !== b.services.length) return false;
    for (let j = 0; j < a.services.length; j++) if (a.services[j]!.name !== b.services[j]!.name) return false;
  }
  return true;
}

/** Reports each elementary cycle between services once (from its first-declared service), and circular extends across files. */
function findCycles(project: ComposeProject, declared: readonly ServiceInfo[], sets: readonly (ServiceReferenceSet | undefined)[], report: (finding: ComposeCheckFinding) => void): void {
  // Services by number, in the order they are declared; a service's rank is where it is declared (the last time).
  const id = new Map<string, number>();
  const names: string[] = [];
  const rank: number[] = [];
  for (let index = 0; index < declared.length; index++) {
    const name = declared[index]!.name;
    let number = id.get(name);
    if (number === undefined) {
      id.set(name, (number = names.length));
      names.push(name);
    }
    rank[number] = index;
  }
  // Edges between defined services; extends only within a project file (not into an `extends.file`).
  const edges: (ServiceReference[] | undefined)[] = new Array(names.length);
  const targets: (number[] | undefined)[] = new Array(names.length);
  const addEdge = (reference: ServiceReference): void => {
    if (reference.inFile !== undefined) return;
    const from = id.get(reference.from);
    const to = id.get(reference.name);
    if (from === undefined || to === undefined) return;
    const list = (edges[from] ??= []);
    if (list.some((edge) => edge.name === reference.name)) return;
    list.push(reference);
    (targets[from] ??= []).push(to);
  };
  // In the order serviceReferences lists them: every service's own, then the extends recorded while loading.
  for (const set of sets) if (set) for (const reference of set.services) addEdge(reference);
  if (project.extends.length > 0) for (const reference of serviceReferences(project)) if (reference.kind === 'extends') addEdge(reference);
  const component = stronglyConnected(targets);
  // Elementary cycles, each found from its first service (lowest rank): a DFS from
  // `start` through services of its component ranked after it.
  const starts: number[] = [];
  for (let node = 0; node < names.length; node++) if (targets[node]?.some((target) => component[target] === component[node])) starts.push(node);
  starts.sort((a, b) => rank[a]! - rank[b]!);
  let found = 0;
  let steps = 0;
  const onPath = new Uint8Array(names.length);
  for (const start of starts) {
    if (found >= MAX_CYCLES || steps > MAX_STEPS) break;
    const startRank = rank[start]!;
    const startComponent = component[start];
    const path: ServiceReference[] = [];
    onPath[start] = 1;
    const visit = (node: number): void => {
      if (found >= MAX_CYCLES || ++steps > MAX_STEPS) return;
      const out = edges[node];
      if (!out) return;
      const to = targets[node]!;
      for (let i = 0; i < out.length; i++) {
        const edge = out[i]!;
        const target = to[i]!;
        if (target === start) {
          const cycle = [...path, edge];
          const first = cycle[0]!;
          const circle = [names[start]!, ...cycle.map((step) => step.name)].join(' -> ');
          report({ ...first.location, message: `${first.path}: dependency cycle ${circle}` });
          found++;
          continue;
        }
        if (component[target] !== startComponent || rank[target]! <= startRank || onPath[target]) continue;
        onPath[target] = 1;
        path.push(edge);
        visit(target);
        path.pop();
        onPath[target] = 0;
      }
    };
    visit(start);
    onPath[start] = 0;
  }
  // Circular extends found while loading through other files.
  for (const record of project.extends) {
    if (record.problem !== 'cycle' || !record.baseFile) continue;
    const circle = (record.chain ?? []).map((id) => id.slice(id.lastIndexOf('#') + 1)).join(' -> ');
    report({ file: record.baseNode.file, range: record.baseNode.range, message: `services.${record.service}.extends: circular reference ${circle}` });
  }
}

/** Tarjan's strongly connected components (iterative) of nodes 0..n-1 with their edges: the component number of every node. */
function stronglyConnected(edges: readonly (readonly number[] | undefined)[]): Int32Array {
  const n = edges.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n);
  const stack: number[] = [];
  const work: number[] = [];
  const next = new Int32Array(n);
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    work.push(root);
    while (work.length > 0) {
      const node = work[work.length - 1]!;
      const out = edges[node];
      if (out !== undefined && next[node]! < out.length) {
        const target = out[next[node]!++]!;
        if (index[target] === -1) {
          index[target] = low[target] = counter++;
          stack.push(target);
          onStack[target] = 1;
          work.push(target);
        } else if (onStack[target]) low[node] = Math.min(low[node]!, index[target]!);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!;
        low[parent] = Math.min(low[parent]!, low[node]!);
      }
      if (low[node] === index[node]) {
        for (;;) {
          const member = stack.pop()!;
          onStack[member] = 0;
          component[member] = components;
          if (member === node) break;
        }
        components++;
      }
    }
  }
  return component;
}
