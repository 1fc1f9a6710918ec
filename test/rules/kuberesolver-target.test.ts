import rule from '../../rules/kuberesolver-target.js';
import { runRuleTests } from '../helpers/rule-tester.js';
import { app, spanOf } from './grpc-k8s.js';

const goClient = (target: string, register = true) =>
  `package main\n\nimport (\n\t"github.com/sercand/kuberesolver/v6"\n\t"google.golang.org/grpc"\n)\n\nfunc main() {\n${register ? '\tkuberesolver.RegisterInCluster()\n' : ''}\tgrpc.NewClient("${target}")\n}\n`;
const orders = app({ name: 'orders', namespace: 'shop', portName: 'grpc', port: 80, targetPort: 50051 });
const frontend = app({ name: 'frontend', namespace: 'web', port: 8080 });

runRuleTests(rule, {
  valid: [
    { name: 'port name and namespace', files: { 'k8s/orders.yaml': orders, 'client/main.go': goClient('kubernetes:///orders.shop:grpc') } },
    { name: 'the pod port number', files: { 'k8s/orders.yaml': orders, 'client/main.go': goClient('kubernetes:///orders.shop:50051') } },
    {
      name: 'kubernetes://ns/svc:port form',
      files: { 'k8s/orders.yaml': orders, 'client/main.go': goClient('kubernetes://shop/orders:grpc') },
    },
    {
      name: 'custom scheme registered',
      files: {
        'k8s/orders.yaml': orders,
        'client/main.go': goClient('k8s:///orders.shop:grpc').replace('RegisterInCluster()', 'RegisterInClusterWithSchema("k8s")'),
      },
    },
    {
      name: 'registered in another file',
      files: {
        'k8s/orders.yaml': orders,
        'client/main.go': goClient('kubernetes:///orders.shop:grpc', false),
        'client/init.go':
          'package main\n\nimport "github.com/sercand/kuberesolver/v6"\n\nfunc init() { kuberesolver.RegisterInCluster() } // grpc\n',
      },
    },
    {
      name: 'namespace omitted, Service in the client namespace',
      files: {
        'k8s/orders.yaml': orders,
        'k8s/frontend.yaml': app({ name: 'frontend', namespace: 'shop' }),
        'frontend/main.go': goClient('kubernetes:///orders:grpc'),
      },
    },
  ],
  invalid: [
    {
      name: 'numeric Service port with a different targetPort: dial the port name',
      files: { 'client/main.go': goClient('kubernetes:///orders.shop:80'), 'k8s/orders.yaml': orders },
      errors: [
        {
          messageId: 'servicePort',
          ...spanOf(goClient('kubernetes:///orders.shop:80'), '"kubernetes:///orders.shop:80"'),
          related: ['k8s/orders.yaml:10:7'],
        },
      ],
      output: { 'client/main.go': goClient('kubernetes:///orders.shop:grpc') },
    },
    {
      name: 'scheme never registered',
      files: { 'client/main.go': goClient('kubernetes:///orders.shop:grpc', false), 'k8s/orders.yaml': orders },
      errors: [
        {
          messageId: 'unregistered',
          ...spanOf(goClient('kubernetes:///orders.shop:grpc', false), '"kubernetes:///orders.shop:grpc"'),
          message:
            "Scheme 'kubernetes:' is never registered (kuberesolver.RegisterInCluster or grpc.WithResolvers), so every RPC fails. grpc.NewClient still succeeds: grpc-go falls back to its default resolver, which cannot resolve the whole target.",
        },
      ],
      output: null,
    },
    {
      name: 'namespace omitted while the Service lives elsewhere',
      files: { 'frontend/main.go': goClient('kubernetes:///orders:grpc'), 'k8s/orders.yaml': orders, 'k8s/frontend.yaml': frontend },
      errors: [{ messageId: 'namespaceOmitted', ...spanOf(goClient('kubernetes:///orders:grpc'), '"kubernetes:///orders:grpc"') }],
      output: { 'frontend/main.go': goClient('kubernetes:///orders.shop:grpc') },
    },
    {
      name: 'a port name the Service does not have: kuberesolver silently uses the first EndpointSlice port (facts A23)',
      files: { 'client/main.go': goClient('kubernetes:///orders.shop:grpc-api'), 'k8s/orders.yaml': orders },
      errors: [
        {
          messageId: 'unknownPortName',
          ...spanOf(goClient('kubernetes:///orders.shop:grpc-api'), '"kubernetes:///orders.shop:grpc-api"'),
          message:
            "kuberesolver target port 'grpc-api' names no port of Service 'orders'. kuberesolver then silently dials the first EndpointSlice port ('grpc'), which may be another protocol.",
        },
      ],
      output: null,
    },
  ],
});
