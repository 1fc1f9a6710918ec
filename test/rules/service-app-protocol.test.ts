import rule from '../../rules/service-app-protocol.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const svc = (ports: string, extra = '') => `apiVersion: v1
kind: Service
metadata: {name: orders${extra}}
spec:
  selector: {app: orders}
  ports:
${ports}
`;
const httpRoute = (port = 50051) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: orders}
spec:
  parentRefs: [{name: gw}]
  rules:
    - backendRefs: [{name: orders, port: ${port}}]
`;

runRuleTests(rule, {
  valid: [
    {
      name: 'appProtocol declared',
      files: { 'svc.yaml': svc('    - name: grpc\n      port: 50051\n      appProtocol: kubernetes.io/h2c'), 'route.yaml': httpRoute() },
    },
    { name: 'HTTP/1 port behind an HTTPRoute', files: { 'svc.yaml': svc('    - {name: http, port: 50051}'), 'route.yaml': httpRoute() } },
    {
      name: 'UDP port named grpc is not HTTP/2',
      files: { 'svc.yaml': svc('    - {name: grpc-udp, port: 50051, protocol: UDP}'), 'route.yaml': httpRoute() },
    },
    // facts A15: meshes honour grpc port names (Istio) or detect HTTP/2 (Linkerd); a GRPCRoute says gRPC itself.
    {
      name: 'port named grpc, no route: meshes and kube-proxy do not need appProtocol',
      files: { 'svc.yaml': svc('    - {name: grpc, port: 50051}') },
    },
    {
      name: 'port named grpc behind a GRPCRoute: the route kind says gRPC',
      files: { 'svc.yaml': svc('    - {name: grpc, port: 50051}'), 'route.yaml': httpRoute().replace('HTTPRoute', 'GRPCRoute') },
    },
  ],
  invalid: [
    {
      name: 'port named grpc behind an HTTPRoute: an info, the fix is a suggestion at the port indent, comment kept',
      files: { 'svc.yaml': svc('    - name: grpc # the API\n      port: 50051'), 'route.yaml': httpRoute() },
      errors: [
        {
          messageId: 'missing',
          line: 7,
          column: 7,
          endLine: 7,
          endColumn: 17,
          severity: 'info',
          related: ['route.yaml:3:18'],
          message:
            "Service 'orders' port 50051 looks like gRPC but declares no appProtocol, and HTTPRoute 'orders' targets it. It is gRPC by its port name 'grpc'; Gateway API implementations and cloud load balancers speak HTTP/1.1 to the pods unless appProtocol says h2c.",
          suggestions: [
            {
              messageId: 'addAppProtocol',
              output: { 'svc.yaml': svc('    - name: grpc # the API\n      port: 50051\n      appProtocol: kubernetes.io/h2c') },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'a TLS port never gets kubernetes.io/h2c (facts A16): no suggestion by default',
      files: { 'svc.yaml': svc('    - {name: http2-tls, port: 443, targetPort: 8443}'), 'route.yaml': httpRoute(443) },
      errors: [{ messageId: 'missing', line: 7, column: 8, endLine: 7, endColumn: 23, suggestions: [] }],
      output: null,
    },
    {
      name: 'a TLS port with the grpc setting: appProtocol grpc',
      options: { appProtocol: 'grpc' },
      files: { 'svc.yaml': svc('    - {name: grpc-tls, port: 443}'), 'route.yaml': httpRoute(443) },
      errors: [
        {
          messageId: 'missing',
          line: 7,
          column: 8,
          endLine: 7,
          endColumn: 22,
          suggestions: [
            { messageId: 'addAppProtocol', output: { 'svc.yaml': svc('    - {name: grpc-tls, port: 443, appProtocol: grpc}') } },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'under Istio: grpc, whatever the setting (h2c is read only from Istio 1.18 and overrides the port name)',
      files: {
        'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {istio-injection: enabled}}\n',
        'svc.yaml': svc('    - {name: h2c-api, port: 8080}', ', namespace: shop'),
        'route.yaml': httpRoute(8080).replace('metadata: {name: orders}', 'metadata: {name: orders, namespace: shop}'),
      },
      errors: [
        {
          file: 'svc.yaml',
          messageId: 'missing',
          line: 7,
          column: 8,
          endLine: 7,
          endColumn: 21,
          suggestions: [
            {
              messageId: 'addAppProtocol',
              output: { 'svc.yaml': svc('    - {name: h2c-api, port: 8080, appProtocol: grpc}', ', namespace: shop') },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'gRPC only by the container port name the targetPort refers to, behind a GKE Ingress',
      files: {
        'svc.yaml': svc('    - port: 80\n      targetPort: grpc-api'),
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: orders}
          spec:
            template:
              metadata: {labels: {app: orders}}
              spec:
                containers:
                  - name: app
                    ports: [{name: grpc-api, containerPort: 9000}]
        `,
        'ingress.yaml':
          'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: edge, annotations: {kubernetes.io/ingress.class: gce}}\nspec: {defaultBackend: {service: {name: orders, port: {number: 80}}}}\n',
      },
      errors: [
        { messageId: 'missing', line: 7, column: 7, endLine: 7, endColumn: 15, related: ['deploy.yaml:10:19', 'ingress.yaml:3:18'] },
      ],
      output: null,
    },
  ],
});
