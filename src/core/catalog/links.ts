// What the catalog and the hovers read from the model beyond Services and workloads: who dials a Service
// (gRPC dial sites in code, linked through env vars), which Dockerfile builds an image, and the Backstage
// entities that claim workloads, as places a front end can open.
import type { Service, Workload } from '../facts/k8s.js';
import type { AnalysisModel } from '../model/index.js';
import type { Place } from './model.js';

export interface Call {
  service: Service;
  /** The dial site's target argument in code. */
  site: Place;
  /** The workload that runs the calling code, when the core knows it. */
  fromWorkload?: Workload;
}

export interface Link {
  place: Place;
}

export interface EntityClaim {
  system?: string;
  place: Place;
  span: [number, number];
}

export interface GraphLinks {
  calls(): Call[];
  imageLinks(image: string, workload: Workload): Link[];
  entityOf(workload: Workload): EntityClaim | undefined;
}

/** `displayPath` names files in labels (workspace-relative in editors, so two `main.go` are told apart). */
export function graphLinks(graph: AnalysisModel, displayPath: (file: string) => string = (file) => file): GraphLinks {
  let calls: Call[] | undefined;
  return {
    calls() {
      if (calls) return calls;
      calls = [];
      const seen = new Set<string>();
      for (const link of graph.dials.links) {
        if (!link.service) continue;
        const key = `${link.file}\0${link.site.targetAt[0]}\0${link.service.object.file}\0${link.service.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const from = link.client?.workload ?? graph.dials.containersRunning(link.file)[0]?.workload;
        calls.push({
          service: link.service,
          site: {
            label: `${link.site.api} in ${displayPath(link.file)}`,
            detail: link.text,
            file: link.file,
            start: link.site.targetAt[0],
            end: link.site.targetAt[1],
            line: graph.files.get(link.file)?.lines.position(link.site.targetAt[0]).line,
          },
          fromWorkload: from,
        });
      }
      return calls;
    },
    imageLinks(image, workload) {
      const out: Link[] = [];
      for (const container of workload.containers) {
        if (container.image !== image) continue;
        for (const link of graph.images.dockerfilesForContainer(container)) {
          if (out.some((l) => l.place.file === link.dockerfile)) continue;
          out.push({ place: { label: displayPath(link.dockerfile), detail: `via ${link.via}`, file: link.dockerfile, start: 0, end: 0 } });
        }
      }
      return out;
    },
    entityOf(workload) {
      const [entity] = graph.catalog.componentsOf(workload);
      if (!entity) return undefined;
      const o = entity.object;
      return {
        system: entity.system,
        place: {
          label: `Component ${entity.name}`,
          detail: entity.system ? `System ${entity.system}` : undefined,
          file: o.file,
          start: o.nameSpan[0],
          end: o.nameSpan[1],
        },
        span: o.span,
      };
    },
  };
}
