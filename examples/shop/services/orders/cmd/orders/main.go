// orders: the Go gRPC service. It serves Orders on :50051 and calls payments for every order.
package main

import (
	"context"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

func main() {
	// PAYMENTS_ADDR comes from the Deployment (payments.shop.svc.cluster.local:50052). grpc.Dial without a
	// scheme uses the passthrough resolver: one address, so every call goes to the payments pod it reached first.
	payments, err := grpc.Dial(os.Getenv("PAYMENTS_ADDR"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		log.Fatal(err)
	}
	defer payments.Close()

	lis, err := net.Listen("tcp", ":50051")
	if err != nil {
		log.Fatal(err)
	}
	// No keepalive.ServerParameters: client connections never age out.
	srv := grpc.NewServer()
	registerOrders(srv, payments)
	go func() {
		if err := srv.Serve(lis); err != nil {
			log.Fatal(err)
		}
	}()

	// On SIGTERM, let in-flight orders finish for up to 45 s — longer than the pod's default 30 s grace period.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	done := make(chan struct{})
	go func() { srv.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-time.After(45 * time.Second):
		srv.Stop()
	}
}
