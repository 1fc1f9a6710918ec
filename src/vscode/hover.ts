// Hovers that say what a thing links to, read from the graph and the catalog: on a Service's name, the
// workloads it selects and who calls it; on a workload's name, the Services that select it; on an
// image, the workloads running it and its Dockerfile/entrypoint; on a dial target, the Service it reaches.
import * as vscode from 'vscode';
import { range } from '../core/facts/yaml-util.js';
import type { Catalog, Component, Place } from './catalog/model.js';
import { graphLinks } from './catalog/links.js';
import type { Engine } from './engine.js';

export class KubeconnHover implements vscode.HoverProvider {
  constructor(
    private readonly engine: Engine,
    private readonly catalog: () => Catalog | undefined,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.engine.wants(document.uri)) return undefined;
    const result = this.engine.analyzeNow();
    const catalog = this.catalog();
    if (!result || !catalog || this.engine.workspace.text(this.engine.key(document.uri)) !== document.getText()) return undefined;
    const file = this.engine.key(document.uri);
    const offset = document.offsetAt(position);
    const within = (start: number, end: number): boolean => start <= offset && offset <= end;
    const { graph } = result;
    const link = (p: Place): string => this.link(p);

    for (const service of graph.services) {
      const o = service.object;
      if (o.file !== file || !within(o.nameSpan[0], o.nameSpan[1])) continue;
      const c = catalog.components.find((x) => x.service?.file === file && x.service.start === o.nameSpan[0]);
      return this.hover(document, o.nameSpan, [`**Service ${service.name}**${service.headless ? ' (headless)' : ''}`, ...(c ? describeComponent(c, link) : [])]);
    }
    for (const w of graph.workloads) {
      const o = w.object;
      if (o.file === file && within(o.nameSpan[0], o.nameSpan[1])) {
        const services = graph.servicesSelecting(w);
        const lines = [`**${w.kind} ${w.name}**`, services.length ? `Selected by ${services.map((s) => link(placeOf(s.object))).join(', ')}` : 'No Service selects its pods.'];
        return this.hover(document, o.nameSpan, lines);
      }
      for (const container of [...w.containers, ...w.initContainers]) {
        if (!container.imageNode || o.file !== file) continue;
        const [start, end] = range(container.imageNode, graph.textOf(file));
        if (!within(start, end) || !container.image) continue;
        const users = graph.workloads.filter((x) => x.containers.some((k) => k.image === container.image));
        const links = graphLinks(graph, this.engine.workspace.options).imageLinks(container.image, w);
        const lines = [
          `**Image** \`${container.image}\``,
          `Run by ${users.map((u) => link(placeOf(u.object))).join(', ')}`,
          links.length ? `Built from ${links.map((l) => link(l.place)).join(', ')}` : 'No Dockerfile in the workspace is known to build it (setting `kubeconn.imageMap`).',
        ];
        return this.hover(document, [start, end], lines);
      }
    }
    for (const call of graphLinks(graph, this.engine.workspace.options).calls()) {
      if (call.site.file !== file || !within(call.site.start, call.site.end)) continue;
      const c = catalog.components.find((x) => x.service?.file === call.service.object.file && x.service.start === call.service.object.nameSpan[0]);
      return this.hover(document, [call.site.start, call.site.end], [`Dials **Service ${call.service.name}**`, ...(c ? describeComponent(c, link) : [])]);
    }
    return undefined;
  }

  private hover(document: vscode.TextDocument, [start, end]: readonly [number, number], lines: string[]): vscode.Hover {
    const md = new vscode.MarkdownString(lines.join('\n\n'));
    return new vscode.Hover(md, new vscode.Range(document.positionAt(start), document.positionAt(end)));
  }

  private link(p: Place): string {
    const facts = this.engine.workspace.factsOf(p.file);
    const line = facts ? facts.lines.position(p.start).line : 1;
    const uri = this.engine.uriOf(p.file).with({ fragment: `L${line}` });
    return `[${p.label.replace(/[[\]]/g, '')}](${uri.toString()})`;
  }
}

function placeOf(o: { kind: string; name: string; file: string; nameSpan: [number, number] }): Place {
  return { label: `${o.kind} ${o.name}`, file: o.file, start: o.nameSpan[0], end: o.nameSpan[1] };
}

function describeComponent(c: Component, link: (p: Place) => string): string[] {
  const lines: string[] = [];
  lines.push(c.workloads.length ? `Selects ${c.workloads.map((w) => `${link(w)}${w.detail ? ` (${w.detail})` : ''}`).join(', ')}` : 'Selects no workload in the workspace.');
  if (c.images.length) lines.push(`Images: ${c.images.map((i) => `\`${i.image}\``).join(', ')}`);
  lines.push(c.callers.length ? `Called from ${c.callers.map(link).join(', ')}` : 'No callers known in the workspace.');
  lines.push(c.checks.map((k) => `${k.status === 'pass' ? '✓' : k.status === 'fail' ? '✗' : '–'} ${k.label}`).join(' · '));
  return lines;
}
