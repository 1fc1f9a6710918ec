// The analysis model: built once per analysis from the per-file facts and the resolved options, every index
// in dependency order, then handed to the rules read-only. Nothing below this module imports it back: each
// index receives the indexes it needs as constructor arguments.
//
//   facts ─▶ units (Helm charts rendered, Kustomize overlays built, plain manifests by folder)
//         ─▶ kubernetes (objects, typed views, selection inside a unit, HPAs; env values from ConfigMaps)
//         ─▶ routes (Ingress / GRPCRoute / HTTPRoute backends → Services)
//         ─▶ mesh (workloads / namespaces in a service mesh, mesh resources, namespace labels set by scripts)
//         ─▶ images (container → Dockerfile, with the imageMap setting; build contexts)
//         ─▶ app config (Spring / .NET config files and the code they belong to)
//         ─▶ code (gRPC dial sites → Services, servers → containers, drains)
//         ─▶ pid1 (the PID 1 verdict of every image and container)
//         ─▶ servers (HTTP/gRPC servers, signal handling, keepalive per container: code, command lines, configs)
//         ─▶ drains (how long each workload's app drains after SIGTERM, and where that is said)
//         ─▶ fronts (what pools connections to a workload's pods: Ingress controllers, cloud LBs, sidecars)
//         ─▶ sidecars (a workload's mesh proxy and how long it stays up after SIGTERM)
//         ─▶ backstage (catalog entities → workloads)
import type { FileFacts } from '../facts/index.js';
import type { Container, HorizontalPodAutoscaler, Service, ServicePort, Workload } from '../facts/k8s.js';
import type { DeploymentUnit, K8sObject } from '../facts/manifests.js';
import type { KubeconnOptions } from '../options.js';
import { AppConfigIndex } from './app-config.js';
import { BackstageIndex } from './backstage.js';
import { DialIndex } from './code.js';
import { DrainIndex } from './drains.js';
import { FrontIndex } from './fronts.js';
import { ImageIndex } from './images.js';
import { resolveEnv } from './env.js';
import { KubernetesIndex, type PortTarget } from './kubernetes.js';
import { MeshIndex, type MeshEvidence } from './mesh.js';
import { RouteIndex, type RouteBackend } from './routes.js';
import { Pid1Index } from './pid1/entrypoints.js';
import { buildUnits, type Units } from '../units/index.js';
import { ServerIndex } from './servers.js';
import { SidecarIndex } from './sidecars.js';
import { isOneShot, runsOnce } from './served.js';

/** The names of every file of a workspace (a Map of facts or a Set of names). */
export interface FileNames {
  has(file: string): boolean;
  keys(): Iterable<string>;
}

/** A model step that failed (a kubeconn bug), named by the step. */
export interface ModelNotice {
  step: string;
  message: string;
}

export class AnalysisModel {
  /** The deployment units and their objects, with the problems found building them. */
  readonly units: Units;
  readonly k8s: KubernetesIndex;
  /** Ingress and Gateway API routes → Services. */
  readonly routes: RouteIndex;
  readonly mesh: MeshIndex;
  readonly images: ImageIndex;
  /** Application config files (Spring, .NET) and the keys code reads from them. */
  readonly appConfig: AppConfigIndex;
  /** gRPC dial sites and servers linked to Services, workloads and each other. */
  readonly dials: DialIndex;
  readonly pid1: Pid1Index;
  /** The servers each container runs and how they handle SIGTERM and keepalive. */
  readonly servers: ServerIndex;
  /** How long each workload's app drains after SIGTERM. */
  readonly drains: DrainIndex;
  /** What pools connections to each workload's pods. */
  readonly fronts: FrontIndex;
  /** Each workload's mesh proxy sidecar and how long it outlives SIGTERM. */
  readonly sidecars: SidecarIndex;
  /** Backstage catalog entities and their workloads. */
  readonly catalog: BackstageIndex;

  /** Every file of the workspace (`files` unless this model analyses part of it). */
  private readonly everyFile: FileNames;

  /** Is this file in the workspace (analysed by this model or not)? */
  exists(file: string): boolean {
    return this.everyFile.has(file);
  }

  /** Steps that failed (kubeconn bugs): each is a notice, and the model goes on with that index empty. */
  readonly notices: ModelNotice[] = [];

  constructor(
    readonly files: ReadonlyMap<string, FileFacts>,
    readonly options: KubeconnOptions,
    /** The folder units of plain manifests, kept from a whole-workspace analysis (units/index.ts). */
    folders?: ReadonlyMap<string, DeploymentUnit>,
    /**
     * Every file of the workspace, when `files` is part of it (an incremental analysis of some islands): what
     * exists decides build contexts (a COPY source is there or not) and yarn's flavour (`.yarnrc.yml`).
     */
    workspace?: FileNames,
  ) {
    this.everyFile = workspace ?? files;
    // A step that throws must not take the analysis down: it is replaced by the same index built from no
    // input, so every rule still runs and only what depends on that step is missing.
    const none = new Map<string, FileFacts>();
    this.units = this.step(
      'units',
      () => buildUnits(files, options, folders),
      () => buildUnits(none, options),
    );
    const emptyK8s = () => new KubernetesIndex(none, []);
    this.k8s = this.step('kubernetes', () => new KubernetesIndex(files, this.units.objects), emptyK8s);
    this.step(
      'env',
      () => {
        resolveEnv(this.k8s);
      },
      () => undefined,
    );
    this.routes = this.step(
      'routes',
      () => new RouteIndex(this.k8s),
      () => new RouteIndex(emptyK8s()),
    );
    this.mesh = this.step(
      'mesh',
      () => new MeshIndex(this.k8s, files),
      () => new MeshIndex(emptyK8s(), none),
    );
    const containers: Container[] = this.step(
      'containers',
      () => this.k8s.workloads.flatMap((w) => [...w.containers, ...w.initContainers]),
      () => [],
    );
    this.images = this.step(
      'images',
      () => new ImageIndex(files, containers, options.imageMap, this.everyFile),
      () => new ImageIndex(none, [], options.imageMap),
    );
    this.appConfig = this.step(
      'app-config',
      () => new AppConfigIndex(files),
      () => new AppConfigIndex(none),
    );
    this.dials = this.step(
      'code',
      () => new DialIndex(files, this.k8s, this.images, this.mesh, this.appConfig),
      () => new DialIndex(none, emptyK8s(), this.images, this.mesh, this.appConfig),
    );
    this.pid1 = this.step(
      'pid1',
      () => new Pid1Index(files, this.images, containers),
      () => new Pid1Index(none, this.images, []),
    );
    this.servers = this.step(
      'servers',
      () => new ServerIndex(files, this.images, this.pid1, this.dials),
      () => new ServerIndex(none, this.images, this.pid1, this.dials),
    );
    this.drains = this.step(
      'drains',
      () => new DrainIndex(this.servers),
      () => new DrainIndex(new ServerIndex(none, this.images, this.pid1, this.dials)),
    );
    this.fronts = this.step(
      'fronts',
      () => new FrontIndex(this.k8s, this.mesh),
      () => new FrontIndex(emptyK8s(), this.mesh),
    );
    this.sidecars = this.step(
      'sidecars',
      () => new SidecarIndex(this.k8s, this.mesh),
      () => new SidecarIndex(emptyK8s(), this.mesh),
    );
    this.catalog = this.step(
      'backstage',
      () => new BackstageIndex(files, this.k8s),
      () => new BackstageIndex(none, this.k8s),
    );
  }

  private step<T>(name: string, build: () => T, fallback: () => T): T {
    try {
      // Fault injection for the front ends' tests: KUBECONN_TEST_FAIL_STEP=<name> makes that step throw.
      if (process.env.KUBECONN_TEST_FAIL_STEP === name) throw new Error('simulated failure (KUBECONN_TEST_FAIL_STEP)');
      return build();
    } catch (error) {
      this.notices.push({
        step: name,
        message: `kubeconn internal error while linking ${name}: ${(error as Error)?.message ?? String(error)}; findings that depend on it are missing`,
      });
      return fallback();
    }
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
  isServedThroughReadyEndpoints(workload: Workload): boolean {
    return this.k8s.isServedThroughReadyEndpoints(workload);
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
