# payments: the Python gRPC service. It ages connections out (max_connection_age) so clients rebalance, and
# calls catalog to price line items.
import os
from concurrent import futures

import grpc

import catalog_pb2_grpc
import payments_pb2_grpc

CATALOG_ADDR = os.environ.get("CATALOG_ADDR", "dns:///catalog.shop.svc.cluster.local:50053")


def serve():
    # Headless catalog, but no balancing policy: pick_first connects to one catalog pod.
    catalog = catalog_pb2_grpc.CatalogStub(grpc.insecure_channel(CATALOG_ADDR))
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=16),
        options=[("grpc.max_connection_age_ms", 300000), ("grpc.max_connection_age_grace_ms", 10000)],
    )
    payments_pb2_grpc.add_PaymentsServicer_to_server(PaymentsService(catalog), server)
    server.add_insecure_port("[::]:50052")
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    serve()
