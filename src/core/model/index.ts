// The analysis model: built once per analysis from the per-file facts and the resolved options, every index
// in dependency order, then handed to the rules read-only. Nothing below this module imports it back: each
// index receives the indexes it needs as constructor arguments.
//
//   facts ─▶ kubernetes (objects, typed views, selection, HPAs)
//         ─▶ routes (Ingress / GRPCRoute / HTTPRoute backends → Services)
//         ─▶ mesh (workloads / namespaces in a service mesh, mesh resources, namespace labels set by scripts)
//         ─▶ images (container → Dockerfile, with the imageMap setting; build contexts)
//         ─▶ code (gRPC dial sites → Services, servers → containers, drains)
//         ─▶ pid1 (the PID 1 verdict of every image and container)
//         ─▶ backstage (catalog entities → workloads)
import type { FileFacts } from '../facts/index.js';
import type { Container, HorizontalPodAutoscaler, Service, ServicePort, Workload } from '../facts/k8s.js';
import type { K8sObject } from '../facts/manifests.js';
import type { KubeconnOptions } from '../options.js';
import { BackstageIndex } from './backstage.js';
import { DialIndex } from './code.js';
import { ImageIndex } from './images.js';
import { KubernetesIndex, type PortTarget } from './kubernetes.js';
import { MeshIndex, type MeshEvidence } from './mesh.js';
import { RouteIndex, type RouteBackend } from './routes.js';
import { Pid1Index } from './pid1/entrypoints.js';
import { isOneShot, runsOnce } from './served.js';

export class AnalysisModel {
  readonly k8s: KubernetesIndex;
  /** Ingress and Gateway API routes → Services. */
  readonly routes: RouteIndex;
  readonly mesh: MeshIndex;
  readonly images: ImageIndex;
  /** gRPC dial sites and servers linked to Services, workloads and each other. */
  readonly dials: DialIndex;
  readonly pid1: Pid1Index;
  /** Backstage catalog entities and their workloads. */
  readonly catalog: BackstageIndex;

  constructor(
    readonly files: ReadonlyMap<string, FileFacts>,
    readonly options: KubeconnOptions,
  ) {
    this.k8s = new KubernetesIndex(files);
    this.routes = new RouteIndex(this.k8s);
    this.mesh = new MeshIndex(this.k8s, files);
    const containers: Container[] = this.k8s.workloads.flatMap((w) => [...w.containers, ...w.initContainers]);
    this.images = new ImageIndex(files, containers, options.imageMap);
    this.dials = new DialIndex(files, this.k8s, this.images, this.mesh);
    this.pid1 = new Pid1Index(files, this.images, containers);
    this.catalog = new BackstageIndex(files, this.k8s);
  }

  // The Kubernetes index's members, which nearly every rule reads.
  get objects(): readonly K8sObject[] {
    return this.k8s.objects;
  }
  get services(): readonly Service[] {
    return this.k8s.services;
  }
  get workloads(): readonly Workload[] {
    return this.k8s.workloads;
  }
  get hpas(): readonly HorizontalPodAutoscaler[] {
    return this.k8s.hpas;
  }
  workloadsSelectedBy(service: Service): Workload[] {
    return this.k8s.workloadsSelectedBy(service);
  }
  servicesSelecting(workload: Workload): Service[] {
    return this.k8s.servicesSelecting(workload);
  }
  targetsOf(port: ServicePort): PortTarget[] {
    return this.k8s.targetsOf(port);
  }
  hpaFor(workload: Workload): HorizontalPodAutoscaler | undefined {
    return this.k8s.hpaFor(workload);
  }
  isServed(workload: Workload): boolean {
    return this.k8s.isServed(workload);
  }
  servedContainers(workload: Workload): Container[] {
    return this.k8s.servedContainers(workload);
  }
  /** Jobs, bare Pods, restartPolicy Never/OnFailure, Helm hooks and chart tests: pods that are not rolled. */
  isOneShot(workload: Workload): boolean {
    return isOneShot(workload);
  }
  /** Jobs, restartPolicy Never/OnFailure, Helm hooks and chart tests (not bare Pods that restart). */
  runsOnce(workload: Workload): boolean {
    return runsOnce(workload);
  }
  meshOf(workload: Workload): MeshEvidence | undefined {
    return this.mesh.meshOf(workload);
  }
  meshOfService(service: Service): MeshEvidence | undefined {
    return this.mesh.meshOfService(service);
  }
  textOf(file: string): string {
    return this.k8s.textOf(file);
  }
}

export type { MeshEvidence, PortTarget, RouteBackend };
