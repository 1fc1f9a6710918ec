// grace-period-budget with the drain the code asks for: a visible shutdown timeout (Go GracefulStop raced by
// a timer, Shutdown(ctx) under context.WithTimeout) or a gRPC MaxConnectionAgeGrace must fit after preStop.
import rule from '../../rules/grace-period-budget.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';
import { spanOf } from './grpc-k8s.js';

const deployment = () => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: orders
  spec:
    selector:
      matchLabels: {app: orders}
    template:
      metadata:
        labels: {app: orders}
      spec:
        containers:
          - name: orders
            image: example/orders:1
            ports:
              - containerPort: 50051
            lifecycle:
              preStop:
                sleep:
                  seconds: 5
`;
const goServer = (seconds: number) => `package main

import (
	"time"

	"google.golang.org/grpc"
)

func main() {
	s := grpc.NewServer()
	<-stop
	done := make(chan struct{})
	go func() { s.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-time.After(${seconds} * time.Second):
		s.Stop()
	}
}
`;
const pyServer = 'import grpc\n\nserver = grpc.server(pool, options=[("grpc.max_connection_age_ms", 300000), ("grpc.max_connection_age_grace_ms", 40000)])\n';

runRuleTests(rule, {
  valid: [
    { name: 'GracefulStop timer fits: 5 + 20 <= 30', files: { 'k8s/orders.yaml': deployment(), 'orders/main.go': goServer(20) } },
    { name: 'code of another image', files: { 'k8s/orders.yaml': deployment(), 'billing/main.go': goServer(60) } },
  ],
  invalid: [
    {
      name: 'go: GracefulStop raced by a 45 s timer needs 50 s',
      files: { 'k8s/orders.yaml': deployment(), 'orders/main.go': goServer(45) },
      errors: [{ messageId: 'codeDrain', line: 4, column: 9, endLine: 4, endColumn: 15, related: [`orders/main.go:${spanOf(goServer(45), '45 * time.Second').line}:${spanOf(goServer(45), '45 * time.Second').column}`] }],
      output: { 'k8s/orders.yaml': `${deployment()}      terminationGracePeriodSeconds: 50\n` },
    },
    {
      name: 'python: MaxConnectionAgeGrace of 40 s needs 45 s',
      files: { 'k8s/orders.yaml': deployment(), 'orders/server.py': pyServer },
      errors: [{ messageId: 'codeDrain', line: 4, column: 9, endLine: 4, endColumn: 15 }],
      output: { 'k8s/orders.yaml': `${deployment()}      terminationGracePeriodSeconds: 45\n` },
    },
  ],
});
