// Whether a proxy speaks HTTP/2 to a gRPC backend by itself differs: Istio honours `grpc`/`grpc-*`/`http2-*` port
// names, Linkerd detects HTTP/2, a GRPCRoute's backends get gRPC from the route kind. The gap is HTTPRoute backends
// (Gateway API's HTTPRouteBackendProtocolH2C: HTTP/1.1 unless appProtocol says kubernetes.io/h2c) and cloud load
// balancers (GKE, ALB). So this is an info, only for a port such a route sends traffic to (facts A15). The fix is
// a suggestion (A16): `kubernetes.io/h2c` is understood by Istio only since 1.18 and overrides the port name, and
// it means cleartext, so a TLS port gets `grpc` (by setting) or nothing.
import {
  type AnalysisModel,
  defineRule,
  insertIntoObjectMap,
  isGrpcPortName,
  type Service,
  type ServicePort,
} from '../src/core/rule-api.js';
import { headSpan, nameSpan, nodeSpan } from './lib/common.js';

export default defineRule({
  id: 'service-app-protocol',
  meta: {
    type: 'suggestion',
    category: 'balancing',
    description: 'Require appProtocol on Service ports that carry gRPC/HTTP2',
    remediation:
      'Declare the protocol with appProtocol: kubernetes.io/h2c (cleartext HTTP/2, Gateway API) or grpc (Istio) on ports an HTTPRoute or cloud load balancer targets.',
    severity: 'info',
    hasSuggestions: true,
    messages: {
      missing:
        "Service '{{service}}' port {{port}} looks like gRPC but declares no appProtocol, and {{route}} targets it. It is gRPC by its {{why}}; Gateway API implementations and cloud load balancers speak HTTP/1.1 to the pods unless appProtocol says h2c.",
      addAppProtocol: 'Add appProtocol: {{appProtocol}}{{note}}',
    },
  },
  check({ model, options, report, each }) {
    each(model.services, (service) => {
      if (service.type === 'ExternalName') return;
      for (const port of service.ports) {
        if (port.appProtocol || port.protocol !== 'TCP') continue;
        let why: string | undefined;
        let related: { at: ReturnType<typeof nodeSpan>; message: string }[] = [];
        if (isGrpcPortName(port.name)) {
          why = `port name '${port.name}'`;
        } else {
          const target = model.targetsOf(port).find((t) => isGrpcPortName(t.containerPort?.name));
          if (target?.containerPort) {
            why = `target port '${target.containerPort.name}'`;
            related = [
              {
                at: nodeSpan(target.workload.object, target.containerPort.node),
                message: `container port named '${target.containerPort.name}'`,
              },
            ];
          }
        }
        if (!why) continue;
        const route = model.routes
          .routesTo(service)
          .find((r) => (r.kind === 'HTTPRoute' || r.cloud) && (r.port === undefined || r.port === port.port || r.port === port.name));
        if (!route) continue;
        related.push({ at: nameSpan(route.route), message: `${route.kind} '${route.route.name}' sends traffic to this port` });
        const value = appProtocolFor(model, service, port, options.appProtocol);
        const edit = value && insertIntoObjectMap(service.object, port.node, { appProtocol: value.appProtocol });
        report({
          messageId: 'missing',
          data: {
            service: service.name,
            port: port.port ?? port.name ?? '?',
            why,
            route: `${route.cloud ? 'cloud Ingress' : route.kind} '${route.route.name}'`,
          },
          at: headSpan(service.object, port.node),
          related,
          suggest:
            value && edit
              ? [{ messageId: 'addAppProtocol', data: { appProtocol: value.appProtocol, note: value.note }, edits: [edit] }]
              : [],
        });
      }
    });
  },
});

/** A port that carries TLS: by name (`*tls*`, `https`, `grpcs`) or port number 443/8443. */
function isTlsPort(model: AnalysisModel, port: ServicePort): boolean {
  const names = [
    port.name,
    typeof port.targetPort === 'string' ? port.targetPort : undefined,
    ...model.targetsOf(port).map((t) => t.containerPort?.name),
  ];
  if (names.some((n) => n !== undefined && /(tls|https|grpcs|ssl)/i.test(n))) return true;
  return [port.port, port.targetPort].some((p) => p === 443 || p === 8443);
}

/**
 * The value the suggestion writes: Istio → `grpc` (h2c is mapped only since Istio 1.18 and overrides the port
 * name); a TLS port never gets `kubernetes.io/h2c` (cleartext): `grpc` when that is the setting, else nothing.
 */
function appProtocolFor(
  model: AnalysisModel,
  service: Service,
  port: ServicePort,
  setting: string,
): { appProtocol: string; note: string } | undefined {
  const istio = model.meshOfService(service)?.mesh === 'istio';
  if (istio) return { appProtocol: 'grpc', note: ' (Istio reads grpc; kubernetes.io/h2c only from Istio 1.18)' };
  if (isTlsPort(model, port)) return setting === 'grpc' ? { appProtocol: 'grpc', note: ' (the port carries TLS: not h2c)' } : undefined;
  return {
    appProtocol: setting,
    note: setting === 'kubernetes.io/h2c' ? ' (cleartext HTTP/2; Istio < 1.18 and Linkerd before 2025 do not know it)' : '',
  };
}
