// Side-effect module: turn on grpc-js tracing BEFORE grpc-js is loaded (it reads GRPC_TRACE/GRPC_VERBOSITY once at
// load). Import it first; the lines are captured with grpc.setLogger, not printed.
process.env.GRPC_TRACE ??= 'keepalive,transport,subchannel';
process.env.GRPC_VERBOSITY ??= 'DEBUG';
export {};
