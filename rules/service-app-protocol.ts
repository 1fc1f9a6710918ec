// Meshes (Istio, Linkerd) and Gateway API implementations decide whether to speak HTTP/2 to a backend
// and to balance per request from `appProtocol`; a port that is gRPC only by name is balanced as TCP by
// some of them and sent HTTP/1.1 by others.
import { defineRule, insertIntoObjectMap, isGrpcPortName } from '../src/core/rule-api.js';
import { headSpan, nodeSpan } from './lib/common.js';

export default defineRule({
  id: 'service-app-protocol',
  meta: {
    type: 'suggestion',
    category: 'balancing',
    description: 'Require appProtocol on Service ports that carry gRPC/HTTP2',
    remediation: 'Declare the protocol with appProtocol: kubernetes.io/h2c (cleartext HTTP/2) or grpc (Istio).',
    severity: 'warning',
    fixable: true,
    messages: {
      missing:
        "Service '{{service}}' port {{port}} looks like gRPC ({{why}}) but declares no appProtocol: meshes and Gateway API may treat it as opaque TCP or HTTP/1.1.",
      addAppProtocol: 'Add appProtocol: {{appProtocol}}',
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
            related = [{ at: nodeSpan(target.workload.object, target.containerPort.node), message: `container port named '${target.containerPort.name}'` }];
          }
        }
        if (!why) continue;
        const edit = insertIntoObjectMap(service.object, port.node, { appProtocol: options.appProtocol });
        const fix = edit && { messageId: 'addAppProtocol', data: { appProtocol: options.appProtocol }, edits: [edit] };
        report({
          messageId: 'missing',
          data: { service: service.name, port: port.port ?? port.name ?? '?', why },
          at: headSpan(service.object, port.node),
          related,
          fix,
        });
      }
    });
  },
});
