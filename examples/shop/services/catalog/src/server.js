// catalog: the Node gRPC service behind a headless Service. It never ages connections out, so its
// round_robin clients keep the pods they resolved at start-up and a scale-up goes unnoticed.
const grpc = require('@grpc/grpc-js');
const { CatalogService, implementation } = require('./catalog');

const server = new grpc.Server();
server.addService(CatalogService, implementation);
server.bindAsync('0.0.0.0:50053', grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) throw err;
});
