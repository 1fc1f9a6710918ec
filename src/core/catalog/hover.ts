// What a position links to, for hovers in every editor (VS Code, the language server): on a Service's name,
// the workloads it selects, its images, callers and scorecard; on a workload's name, the Services that
// select it; on an image, who runs it and what builds it; on a dial target, the Service it reaches. Plain
// data: lines of Markdown and places; each front end renders places as links. Workspace text in the lines
// (names, image references, details) is escaped here (markdown.ts); place labels by the front end.
import type { AnalysisResult } from '../workspace.js';
import { range } from '../facts/yaml-util.js';
import { graphLinks } from './links.js';
import type { Service } from '../facts/k8s.js';
import { serviceId, type Catalog, type CheckStatus, type Component, type Place } from './model.js';
import { escapeMarkdown as md, markdownCode } from '../markdown.js';

/** A line of a hover: text, and places to show as links, in order. */
export type HoverLine = (string | Place)[];

export interface HoverContent {
  /** The hovered range in the file. */
  start: number;
  end: number;
  lines: HoverLine[];
}

/** `displayPath` names files in labels, as in buildCatalog. */
export function hoverAt(
  result: AnalysisResult,
  catalog: Catalog,
  file: string,
  offset: number,
  displayPath?: (file: string) => string,
): HoverContent | undefined {
  const model = result.modelFor(file);
  const within = (start: number, end: number): boolean => start <= offset && offset <= end;
  const facing = (service: Service): Component[] => catalog.components.filter((c) => c.serviceIds.includes(serviceId(service)));
  for (const service of model.services) {
    const o = service.object;
    if (o.file !== file || !within(o.nameSpan[0], o.nameSpan[1])) continue;
    return {
      start: o.nameSpan[0],
      end: o.nameSpan[1],
      lines: [[`**Service ${md(service.name)}**${service.headless ? ' (headless)' : ''}`], ...describeFaces(facing(service))],
    };
  }
  const links = graphLinks(model, displayPath);
  for (const w of model.workloads) {
    const o = w.object;
    if (o.file === file && within(o.nameSpan[0], o.nameSpan[1])) {
      const services = model.servicesSelecting(w);
      const c = catalog.components.find((x) => x.manifest.file === o.file && x.manifest.start === o.nameSpan[0]);
      return {
        start: o.nameSpan[0],
        end: o.nameSpan[1],
        lines: [
          [`**${md(w.kind)} ${md(w.name)}**`],
          services.length ? ['Selected by ', ...join(services.map((s) => placeOf(s.object)))] : ['No Service selects its pods.'],
          ...(c ? [scorecard(c)] : []),
        ],
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
          [`**Image** ${markdownCode(container.image)}`],
          ['Run by ', ...join(users.map((u) => placeOf(u.object)))],
          builds.length
            ? ['Built from ', ...join(builds.map((l) => l.place))]
            : ['No Dockerfile in the workspace is known to build it (setting `imageMap`).'],
        ],
      };
    }
  }
  // A dial site can reach several Services (a shared helper run by several Deployments with different addresses).
  const calls = links.calls().filter((call) => call.site.file === file && within(call.site.start, call.site.end));
  const [call] = calls;
  if (!call) return undefined;
  if (calls.length === 1)
    return {
      start: call.site.start,
      end: call.site.end,
      lines: [[`Dials **Service ${md(call.service.name)}**`], ...describeFaces(facing(call.service))],
    };
  const services = [...new Set(calls.map((c) => c.service))];
  return {
    start: call.site.start,
    end: call.site.end,
    lines: [
      [`Dials **${services.length} Services**, depending on the workload that runs it: `, ...join(services.map((s) => placeOf(s.object)))],
    ],
  };
}

function placeOf(o: { kind: string; name: string; file: string; nameSpan: [number, number] }): Place {
  return { label: `${o.kind} ${o.name}`, file: o.file, start: o.nameSpan[0], end: o.nameSpan[1] };
}

/** Places separated by commas. */
function join(places: Place[]): HoverLine {
  return places.flatMap((p, i) => (i === 0 ? [p] : [', ', p]));
}

const MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', off: '–', na: 'n/a' };

function scorecard(c: Component): HoverLine {
  return [c.checks.map((k) => `${MARK[k.status]} ${md(k.label)}`).join(' · ')];
}

/** The workloads behind a Service (its components), their images, callers and scorecards. */
function describeFaces(components: Component[]): HoverLine[] {
  const workloads = components.filter((c) => c.kind !== 'Service');
  const lines: HoverLine[] = [
    workloads.length
      ? [
          'Selects ',
          ...workloads.flatMap((c, i) => [
            ...(i > 0 ? [', '] : []),
            c.manifest,
            ...(c.manifest.detail ? [` (${md(c.manifest.detail)})`] : []),
          ]),
        ]
      : ['Selects no workload in the workspace.'],
  ];
  const images = [...new Set(workloads.flatMap((c) => c.images.map((i) => i.image)))];
  if (images.length) lines.push([`Images: ${images.map(markdownCode).join(', ')}`]);
  const callers = components[0]?.callers ?? [];
  lines.push(callers.length ? ['Called from ', ...join(callers)] : ['No callers known in the workspace.']);
  for (const c of components) lines.push([...(components.length > 1 ? [`${md(c.kind)} ${md(c.name)}: `] : []), ...scorecard(c)]);
  return lines;
}
