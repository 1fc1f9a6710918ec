// orders: the Go gRPC service. It serves Orders on :50051 and calls payments for every order.
package main

import (
	"log"
	"net"
	"os"

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
	if err := srv.Serve(lis); err != nil {
		log.Fatal(err)
	}
}
