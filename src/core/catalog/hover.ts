// What a position links to, for hovers in every editor (VS Code, the language server): on a Service's name,
// the workloads it selects, its images, callers and scorecard; on a workload's name, the Services that
// select it; on an image, who runs it and what builds it; on a dial target, the Service it reaches. Plain
// data: lines of text and places; each front end renders places as links.
import type { AnalysisResult } from '../workspace.js';
import { range } from '../facts/yaml-util.js';
import { graphLinks } from './links.js';
import type { Catalog, Component, Place } from './model.js';

/** A line of a hover: text, and places to show as links, in order. */
export type HoverLine = (string | Place)[];

export interface HoverContent {
  /** The hovered range in the file. */
  start: number;
  end: number;
  lines: HoverLine[];
}

export function hoverAt(result: AnalysisResult, catalog: Catalog, file: string, offset: number): HoverContent | undefined {
  const model = result.model;
  const within = (start: number, end: number): boolean => start <= offset && offset <= end;
  for (const service of model.services) {
    const o = service.object;
    if (o.file !== file || !within(o.nameSpan[0], o.nameSpan[1])) continue;
    const c = catalog.components.find((x) => x.service?.file === file && x.service.start === o.nameSpan[0]);
    return { start: o.nameSpan[0], end: o.nameSpan[1], lines: [[`**Service ${service.name}**${service.headless ? ' (headless)' : ''}`], ...(c ? describeComponent(c) : [])] };
  }
  const links = graphLinks(model);
  for (const w of model.workloads) {
    const o = w.object;
    if (o.file === file && within(o.nameSpan[0], o.nameSpan[1])) {
      const services = model.servicesSelecting(w);
      return {
        start: o.nameSpan[0],
        end: o.nameSpan[1],
        lines: [[`**${w.kind} ${w.name}**`], services.length ? ['Selected by ', ...join(services.map((s) => placeOf(s.object)))] : ['No Service selects its pods.']],
      };
    }
    for (const container of [...w.containers, ...w.initContainers]) {
      if (!container.imageNode || o.file !== file || !container.image) continue;
      const [start, end] = range(container.imageNode, o.source.textOf(container.imageNode));
      if (!within(start, end)) continue;
      const users = model.workloads.filter((x) => x.containers.some((k) => k.image === container.image));
      const builds = links.imageLinks(container.image, w);
      return {
        start,
        end,
        lines: [
          [`**Image** \`${container.image}\``],
          ['Run by ', ...join(users.map((u) => placeOf(u.object)))],
          builds.length ? ['Built from ', ...join(builds.map((l) => l.place))] : ['No Dockerfile in the workspace is known to build it (setting `imageMap`).'],
        ],
      };
    }
  }
  for (const call of links.calls()) {
    if (call.site.file !== file || !within(call.site.start, call.site.end)) continue;
    const c = catalog.components.find((x) => x.service?.file === call.service.object.file && x.service.start === call.service.object.nameSpan[0]);
    return { start: call.site.start, end: call.site.end, lines: [[`Dials **Service ${call.service.name}**`], ...(c ? describeComponent(c) : [])] };
  }
  return undefined;
}

function placeOf(o: { kind: string; name: string; file: string; nameSpan: [number, number] }): Place {
  return { label: `${o.kind} ${o.name}`, file: o.file, start: o.nameSpan[0], end: o.nameSpan[1] };
}

/** Places separated by commas. */
function join(places: Place[]): HoverLine {
  return places.flatMap((p, i) => (i === 0 ? [p] : [', ', p]));
}

function describeComponent(c: Component): HoverLine[] {
  const lines: HoverLine[] = [];
  lines.push(
    c.workloads.length
      ? ['Selects ', ...c.workloads.flatMap((w, i) => [...(i > 0 ? [', '] : []), w, ...(w.detail ? [` (${w.detail})`] : [])])]
      : ['Selects no workload in the workspace.'],
  );
  if (c.images.length) lines.push([`Images: ${c.images.map((i) => `\`${i.image}\``).join(', ')}`]);
  lines.push(c.callers.length ? ['Called from ', ...join(c.callers)] : ['No callers known in the workspace.']);
  lines.push([c.checks.map((k) => `${k.status === 'pass' ? '✓' : k.status === 'fail' ? '✗' : '–'} ${k.label}`).join(' · ')]);
  return lines;
}
